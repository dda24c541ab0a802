// The snippet's only console access. It runs inside someone else's website, so it stays silent
// unless the site owner turns debugging on with Porchlight('debug', true).
let enabled = false;

export const setDebug = (on: boolean): void => {
  enabled = on;
};

export const log = (...args: unknown[]): void => {
  if (enabled) console.log('[porchlight]', ...args);
};
