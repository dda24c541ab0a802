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

export const guard =
  <A extends unknown[]>(fn: (...args: A) => unknown) =>
  (...args: A): void => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) result.catch((err: unknown) => log('error', err));
    } catch (err) {
      log('error', err);
    }
  };
