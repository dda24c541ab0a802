// Every entry point (global API, event listeners, timers, socket handlers) goes through guard():
// a bug in the snippet must never surface as an exception in the host page.
import { log } from './log';

export const guard =
  <A extends unknown[]>(fn: (...args: A) => void) =>
  (...args: A): void => {
    try {
      fn(...args);
    } catch (err) {
      log('error', err);
    }
  };
