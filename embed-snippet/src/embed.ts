// Porchlight embed snippet: the script every page of a customer's site loads (/embed.js).
// It reports this tab's presence (page, attention, visit) to the Porchlight server over one
// socket.io connection. It runs in someone else's page, so: it never throws into the page
// (guard), never logs unless debug is on, does its setup after the page's own work (idle
// callback) and keeps its own footprint to the one global, window.Porchlight.
import type { Socket } from 'socket.io-client';
import type { TabState, VisitorClientEvents, VisitorHandshake } from '../../server/protocol';
import { alreadyLoaded, installGlobal } from './api';
import { watchAttention } from './attention';
import { CHAT_KEY, chatCore } from './chat-core';
import { connectVisitor } from './connection';
import { guard } from './guard';
import { mergeIdentity, type IdentityPayload } from './identity';
import { log, setDebug } from './log';
import { watchNavigation } from './navigation';
import { currentPage, environment, text } from './page';
import { createParts } from './parts';
import { read, write } from './storage';
import { keepToken, tabId, visit, VISIT_KEY } from './visit';

guard(() => {
  if (alreadyLoaded()) return log('loaded twice on this page: the first copy keeps running');

  // Our own <script> tag carries the site key; its src says where the server is. The
  // querySelector fallback covers pages whose loaders hide currentScript.
  const own = document.currentScript as HTMLScriptElement | null;
  const script = own?.getAttribute('data-site') ? own : document.querySelector<HTMLScriptElement>('script[data-site]');
  const siteKey = script?.getAttribute('data-site');
  const src = new URL(script?.src || '', location.href);
  // https://porchlight.example/embed.js -> https://porchlight.example (or a path prefix before it)
  const base = src.origin + src.pathname.replace(/\/embed\.js$/, '');

  let socket: Socket | undefined;
  let parts: ReturnType<typeof createParts> | undefined;
  let identity: IdentityPayload | null = null;
  const chat = chatCore(() => parts?.load('chat'));

  const send = <E extends keyof VisitorClientEvents>(event: E, payload: Parameters<VisitorClientEvents[E]>[0]): void => {
    // Sent only while connected: the handshake of the next connection carries page and state,
    // and identity is re-sent on connect, so nothing is queued (and replayed stale) meanwhile.
    if (!socket?.connected) return;
    log('send', event, payload);
    socket.emit(event, payload, (res: { ok: boolean }) => res.ok || log('server refused', event, res));
  };

  installGlobal({
    identify: (input) => {
      identity = mergeIdentity(identity, input);
      if (identity) send('visitor:identify', identity);
    },
    debug: (on) => setDebug(on !== false),
    // Sign-out in a single-page app: this browser forgets the visitor (id, chat token, identity)
    // and their conversation, and the page carries on as a new anonymous visitor.
    shutdown: () => {
      identity = null;
      write('localStorage', VISIT_KEY, null);
      write('sessionStorage', CHAT_KEY, null);
      chat.link.run?.('shutdown');
      if (socket?.active) socket.disconnect().connect();
    },
    part: (name, init) => (parts ? parts.register(name, init) : log('part before connect', name)),
    ...chat.commands,
  });

  if (!siteKey || !/^https?:$/.test(src.protocol)) return log('no data-site attribute on the Porchlight script tag');
  if (!currentPage().url) return log('not an http(s) page: nothing to report');

  const start = guard(() => {
    const tab = tabId();
    const env = environment();
    // What the server was last told, so only changes are sent.
    const sent = { url: '', title: '', state: 'active' as TabState, visit: '', hs: {} as { v?: string; k?: string } };

    // Everything that can change while the socket is up, compared with what the server has.
    const sync = (): void => {
      if (!socket?.connected) return;
      const page = currentPage();
      if (page.url !== sent.url) {
        send('visitor:page', page);
        // The server counts a navigation as activity.
        Object.assign(sent, page, { state: 'active' });
      }
      const s = state();
      if (s !== sent.state) send('visitor:state', { state: (sent.state = s) });
    };

    // A visit that ended (30 min without activity) while this tab stayed open: reconnect, so
    // the next handshake starts the new visit on the server.
    const activity = (): void => {
      if (visit(true).i !== sent.visit && socket?.connected) {
        log('new visit');
        socket.disconnect().connect();
      }
    };

    const state = watchAttention(sync, activity);
    watchNavigation(
      () => {
        activity();
        sync();
      },
      () => currentPage().url !== sent.url && text(document.title, 300) === sent.title,
    );

    const handshake = (): VisitorHandshake => {
      const s = state();
      const v = visit(s === 'active');
      const page = currentPage();
      Object.assign(sent, page, { state: s, visit: v.i, hs: v });
      return { visitorId: v.v, tabId: tab, visitId: v.i, visitStartedAt: v.s, visitCount: v.c, page, referrer: v.r, utm: v.u, ...env, state: s, token: v.k };
    };

    socket = connectVisitor(base, siteKey, handshake);
    socket.on(
      'connect',
      guard(() => {
        // The page may have changed between the handshake and the server's answer.
        sync();
        if (identity) send('visitor:identify', identity);
      }),
    );
    // The server's first word on every connection: the launcher goes on the page in the site's look.
    socket.on('visitor:look', guard(chat.mount));
    // Another tab may have stored its visitor id or token first: every tab of the browser uses
    // those. Two tabs opened at once can both find the storage empty and both write it; the
    // one overwritten hears it through the storage event and switches.
    const adopt = guard((token: string | null) => keepToken(token, sent.hs) && socket?.disconnect().connect());
    socket.on('visitor:token', (p: { token?: unknown }) => typeof p?.token == 'string' && adopt(p.token));
    addEventListener('storage', (e) => e.key == VISIT_KEY && adopt(null));
    parts = createParts(base, socket, chat.link);
    // An open panel or unsent messages on the previous page (or chat:open before this): the chat part is needed now.
    if (read('sessionStorage', CHAT_KEY) || chat.link.queue.includes('open')) parts.load('chat');
  });

  // Connecting is not urgent next to the page's own rendering; a prerendered page waits until
  // it is actually shown (it may never be).
  if ((document as Document & { prerendering?: boolean }).prerendering) document.addEventListener('prerenderingchange', start, { once: true });
  else if (typeof requestIdleCallback == 'function') requestIdleCallback(start, { timeout: 300 });
  else setTimeout(start, 1);
})();
