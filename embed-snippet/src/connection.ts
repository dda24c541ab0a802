// The socket to the Porchlight server's /visitor namespace.
//
// Transport: WebSocket first, HTTP long-polling as fallback. A visitor's socket lives as long as
// the page, and WebSocket-first is one request to connect (polling-first is three or four, then
// an upgrade), which is what ten thousand visitors per server process can afford. The server
// checks the site key and the Origin on both transports. If WebSocket fails (a proxy that blocks
// it, or the server is down: the browser does not say which), the next attempts start with
// polling, which upgrades to WebSocket where it can (socket.io's documented fallback).
//
// Backoff: socket.io's reconnection with a randomized delay (1 s doubling to 30 s, +-50%), so a
// server restart is not met by every visitor at the same instant and a down server costs a
// visitor one quiet attempt every ~30 s.
import { Manager, type Socket } from 'socket.io-client';
import type { VisitorHandshake } from '../../server/protocol';
import { guard } from './guard';
import { log } from './log';

export function connectVisitor(base: string, siteKey: string, handshake: () => VisitorHandshake): Socket {
  const { origin, pathname } = new URL(base);
  const manager = new Manager(origin, {
    path: pathname.replace(/\/$/, '') + '/socket.io',
    // The key goes in the URL, where the server's HTTP-level allowRequest check can read it.
    query: { k: siteKey },
    transports: ['websocket', 'polling'],
    reconnectionDelay: 1000,
    reconnectionDelayMax: 30_000,
    randomizationFactor: 0.5,
  });
  // A function, not an object: socket.io calls it on every (re)connect, so the server always
  // gets the current page, state and visit in the handshake.
  const socket = manager.socket('/visitor', { auth: guard((cb) => cb(handshake() as unknown as Record<string, unknown>)) });
  let refused = false;

  socket.on(
    'connect_error',
    guard((err: Error & { description?: unknown }) => {
      log('connect error:', err.message, err.description ?? '');
      if (!socket.active) {
        // Refused by the server's handshake check (socket.io does not retry those). Only an
        // internal error is worth another try, later; a wrong key or handshake will stay wrong.
        if (err.message === 'internal') setTimeout(guard(() => refused || socket.connect()), 15_000 + Math.random() * 30_000);
      } else if (err.description === 403) {
        // Polling saw the server refuse this site key or Origin: retrying cannot help.
        refused = true;
        socket.disconnect();
        log('refused: check the site key and that this origin is in the site\'s allowed origins');
      } else manager.opts.transports = ['polling', 'websocket'];
    }),
  );
  socket.on('connect', () => log('connected'));
  socket.on('disconnect', (reason) => log('disconnected:', reason));

  // Close on pagehide: the server learns at once that the tab left (the reload grace period
  // covers the next page), and an open socket does not keep the page out of the back/forward
  // cache. Coming back from that cache reconnects.
  addEventListener('pagehide', guard(() => socket.disconnect()));
  addEventListener(
    'pageshow',
    guard((e: PageTransitionEvent) => {
      if (e.persisted && !refused) socket.connect();
    }),
  );
  return socket;
}
