// The snippet's only console access. It runs inside someone else's website, so it stays silent
// unless the site owner turns debugging on with Porchlight('debug', true); the one exception is
// tell(): a line the site owner must see to fix their install (a refused origin or site key).
let enabled = false;

export const setDebug = (on: boolean): void => {
  enabled = on;
};

const out = (always: boolean, args: unknown[]): void => {
  try {
    if (enabled || always) console[always ? 'warn' : 'log'](...args);
  } catch {
    // A page that replaced console with something that throws: say nothing rather than throw from a guard.
  }
};

export const log = (...args: unknown[]): void => out(false, ['[porchlight]', ...args]);

/** Always printed, once per cause (the caller's job): what the site owner must fix. */
export const tell = (text: string): void => out(true, ['Porchlight: ' + text]);
