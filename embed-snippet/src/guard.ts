// Every entry point (global API, event listeners, timers, socket handlers) goes through guard():
// a bug in the snippet must never surface as an exception in the host page.
import { log } from './log';

const seen = new Set<string>();

/** Logs a failure once (when debug is on): a handler that fails on every mousemove says so once. */
const failed = (err: unknown): void => {
  try {
    const k = '' + err;
    if (!seen.has(k)) log('error', seen.add(k) && err);
  } catch {
    // an error object whose toString throws: nothing to say
  }
};

export const guard =
  <A extends unknown[]>(fn: (...args: A) => void) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch (err) {
      failed(err);
    }
  };
