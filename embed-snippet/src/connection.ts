// The socket to the Porchlight server's /visitor namespace.
//
// Transport: WebSocket first, HTTP long-polling as fallback. A visitor's socket lives as long as
// the page, and WebSocket-first is one request to connect (polling-first is three or four, then
// an upgrade), which is what ten thousand visitors per server process can afford. The server
// checks the site key and the Origin on both transports. If WebSocket fails (a proxy that blocks
// it, or the server is down: the browser does not say which) or has not opened the session within
// FALLBACK_MS (a proxy that swallows it), the page switches to polling at once, not after the
// backoff or socket.io's 20 s connect timeout; polling upgrades to WebSocket where it can.
//
// Backoff: socket.io's reconnection with a randomized delay (1 s doubling to 30 s, +-50%), so a
// server restart is not met by every visitor at the same instant and a down server costs a
// visitor one quiet attempt every ~30 s.
//
// Packets are encoded here, not by socket.io-parser's encoder: it uses JSON.stringify, which
// host pages break (see json.ts). build.ts leaves the default encoder out of the bundle.
import { Manager, type Socket } from 'socket.io-client';
import { Decoder, type Packet } from 'socket.io-parser';
import type { VisitorHandshake } from '../../server/protocol';
import { guard } from './guard';
import { json } from './json';
import { log, tell } from './log';

/** A WebSocket that has not opened the session by then is taken as blocked. */
export const FALLBACK_MS = 1500;

/** socket.io's text packet format (the snippet sends no binary). */
class Encoder {
  encode(p: Packet): string[] {
    return [p.type + (p.nsp != '/' ? p.nsp + ',' : '') + (p.id ?? '') + (p.data == null ? '' : json(p.data))];
  }
}

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
    parser: { Encoder, Decoder },
  });
  // A function, not an object: socket.io calls it on every (re)connect, so the server always
  // gets the current page, state and visit in the handshake.
  const socket = manager.socket('/visitor', { auth: guard((cb) => cb(handshake() as unknown as Record<string, unknown>)) });
  let refused = false;

  const polling = guard(() => {
    const o = manager.opts;
    if (refused || !socket.active || manager.engine?.readyState == 'open' || o.transports?.[0] == 'polling') return;
    o.transports = ['polling', 'websocket'];
    log('WebSocket failed: polling');
    // Public API for "start over now" (it also drops the pending backoff timer).
    socket.disconnect().connect();
  });
  // The first attempt, and every reconnect while WebSocket is still tried first (a network that
  // changed to one behind such a proxy).
  const watch = (): void => void setTimeout(polling, FALLBACK_MS);
  watch();
  manager.on('reconnect_attempt', watch);

  socket.on(
    'connect_error',
    guard((err: Error & { description?: unknown; context?: { responseText?: unknown } }) => {
      log('connect error:', err.message, err.description ?? '');
      if (!socket.active) {
        // Refused by the server's handshake check (socket.io does not retry those). Only an
        // internal error is worth another try, later; a wrong key or handshake will stay wrong.
        if (err.message === 'internal') setTimeout(guard(() => refused || socket.connect()), 15_000 + Math.random() * 30_000);
      } else if (err.description === 403) {
        // Polling saw the server's gate answer (engine.io: {"code":4,"message":"..."}). A refused
        // origin or key stays refused: one line for the site owner, and no more tries.
        const why = '' + err.context?.responseText;
        const text = /origin/.test(why) ? 'this origin is not allowed for this site' : /key/.test(why) ? 'unknown site key (data-site)' : '';
        if (text) {
          refused = true;
          socket.disconnect();
          tell(text);
        }
        // Otherwise (the server's own error) the backoff tries again.
      } else {
        // WebSocket failed: polling, in a moment (socket.io is still inside its error handling).
        setTimeout(polling);
      }
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
