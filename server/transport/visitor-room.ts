// The room of all of one visitor's tabs, and whether any of them is connected.
import type { VisitorNamespace } from './io';

/** Every tab of one visitor: invitations ring in all of them. */
export const visitorRoom = (siteId: string, visitorId: string) => `visitor:${siteId}:${visitorId}`;

/** How many of the visitor's tabs are connected to this process. */
export const tabsHere = (nsp: VisitorNamespace, siteId: string, visitorId: string): number => nsp.adapter.rooms.get(visitorRoom(siteId, visitorId))?.size ?? 0;

/** Whether the visitor has a tab connected to any process (the others are asked only when `clustered`). */
export async function visitorOnline(nsp: VisitorNamespace, clustered: boolean, siteId: string, visitorId: string): Promise<boolean> {
  if (tabsHere(nsp, siteId, visitorId)) return true;
  if (!clustered) return false;
  return (await nsp.in(visitorRoom(siteId, visitorId)).fetchSockets()).length > 0;
}
