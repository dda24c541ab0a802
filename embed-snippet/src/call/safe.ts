// The call part's guard and logger. A part is its own bundle, so it cannot share the core's
// log switch (src/log.ts would be a second, always-off copy): it logs through the core's logger,
// handed over in PartContext, and stays silent until then. guard() also catches rejected
// promises, so an async handler cannot surface as "Uncaught (in promise)" in the host page.
type Log = (...args: unknown[]) => void;

let sink: Log = () => {};

export const setLog = (fn: Log): void => {
  sink = fn;
};

export const log: Log = (...args) => sink(...args);

const seen = new Set<string>();

/** Logs a failure once: the same error on every event is said once. */
const failed = (err: unknown): void => {
  try {
    const k = '' + err;
    if (!seen.has(k)) log('error', seen.add(k) && err);
  } catch {
    // an error object whose toString throws: nothing to say
  }
};

export const guard =
  <A extends unknown[]>(fn: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      const result = fn(...args);
      // Not `instanceof Promise`: zone.js replaces window.Promise, and async functions still return native ones.
      if (typeof (result as Promise<unknown> | null)?.then == 'function') (result as Promise<unknown>).then(undefined, failed);
    } catch (err) {
      failed(err);
    }
  };
