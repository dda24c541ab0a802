// /embed/chat.js: the visitor's side of live chat (panel, unread badge and preview, delivery).
// The core loads it when the visitor clicks the launcher, on Porchlight('chat:open'), on the
// first chat:* event from the server (chat:unread on connect, chat:message), or at start when
// the previous page of this tab had the panel open or unsent messages. It registers with
// Porchlight('part', 'chat', init); the core then replays the chat events that arrived while
// this file was loading.
import type { PartContext } from '../parts';
import { setAvatarBase } from '../call/avatar';
import { guard, setLog } from '../chat/safe';
import { startChat } from '../chat/session';

guard(() =>
  window.Porchlight?.('part', 'chat', (ctx: PartContext) => {
    setLog(ctx.log);
    setAvatarBase(ctx.base);
    startChat(ctx.socket, ctx.chat);
  }),
)();
