// Parts of the snippet that only some visitors need (call and chat UI) are separate files,
// /embed/<name>.js, built from src/parts/<name>.ts and loaded on first use. A part registers
// itself with Porchlight('part', name, init) and gets the live socket through `init`.
// Server events named `<part>:<verb>` (call:invite, chat:message) load that part; they wait in
// a queue until it has registered, then reach its handlers in order.
import type { Socket } from 'socket.io-client';
import type { ChatLink } from './chat-core';
import { guard } from './guard';
import { log } from './log';

/** What a part gets from the always-loaded core. */
export interface PartContext {
  socket: Socket;
  /** The Porchlight server the snippet came from, e.g. https://porchlight.example. */
  base: string;
  log: (...args: unknown[]) => void;
  /** The launcher, the page's chat commands and listeners (src/chat-core.ts). */
  chat: ChatLink;
}
export type PartInit = (ctx: PartContext) => void;

/** Names of the parts that exist, set by build.ts from src/parts/ (so nothing else is fetched). */
declare const PORCHLIGHT_PARTS: string[];

export function createParts(base: string, socket: Socket, chat: ChatLink): { register: (name: unknown, init: unknown) => void; load: (name: string) => void } {
  const waiting: Record<string, unknown[][]> = {};
  const loaded: Record<string, boolean> = {};

  const load = (name: string): void => {
    if (loaded[name]) return;
    loaded[name] = true;
    const script = document.createElement('script');
    script.async = true;
    script.src = `${base}/embed/${name}.js`;
    script.onerror = () => log('could not load part', name);
    document.head.appendChild(script);
  };

  socket.onAny(
    guard((event: string, ...args: unknown[]) => {
      const name = event.split(':')[0] ?? '';
      const queue = waiting[name];
      if (!queue || !PORCHLIGHT_PARTS.includes(name)) return;
      queue.push([event, ...args]);
      load(name);
    }),
  );
  for (const name of PORCHLIGHT_PARTS) waiting[name] = [];

  return {
    load,
    register: (name, init) => {
      const queue = typeof name === 'string' ? waiting[name] : undefined;
      if (!queue || typeof init !== 'function') return log('unknown part', name);
      delete waiting[name as string];
      loaded[name as string] = true;
      (init as PartInit)({ socket, base, log, chat });
      // The part's own socket.on() handlers are in place now: replay what arrived before it.
      for (const [event, ...args] of queue) for (const handler of socket.listeners(event as string)) guard(handler)(...args);
    },
  };
}
