// The rooms chat fans out through (they reach sockets on every process over the Redis adapter).
/** Every dashboard of the workspace (inbox, notifications). */
export const workspaceRoom = (workspaceId: string) => `ws:${workspaceId}`;
/** Every tab of one browser (its token): its conversation. */
export const browserRoom = (siteId: string, tokenId: string) => `vtok:${siteId}:${tokenId}`;
/** Visitor tabs whose chat panel is open: they are told who is online. */
export const panelRoom = (workspaceId: string) => `chat-open:${workspaceId}`;
