// The one global, window.Porchlight(command, ...args). The install tag defines it first as a
// queue stub (calls pile up in Porchlight.q); once loaded, the real function replaces it and
// runs the queued calls in order. The real function is marked (`v`), which is how a second copy
// of the snippet on the same page knows to stay out (one connection per page).
import { guard } from './guard';
import { log } from './log';

export type Command = (...args: unknown[]) => void;
type Global = ((command?: unknown, ...args: unknown[]) => void) & { q?: ArrayLike<unknown>[]; v?: number };

declare global {
  interface Window {
    Porchlight?: Global;
  }
}

export const alreadyLoaded = (): boolean => !!window.Porchlight?.v;

export function installGlobal(commands: Record<string, Command>): void {
  const queued = Array.from(window.Porchlight?.q ?? []);
  const porchlight: Global = guard((command?: unknown, ...args: unknown[]) => {
    const run = typeof command === 'string' && Object.prototype.hasOwnProperty.call(commands, command) ? commands[command] : undefined;
    if (run) run(...args);
    else log('unknown command', command);
  });
  porchlight.v = 1;
  window.Porchlight = porchlight;
  for (const args of queued) guard(() => porchlight(...Array.from(args)))();
}
