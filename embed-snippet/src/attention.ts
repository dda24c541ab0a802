// The tab's attention state: 'hidden' when the tab is in the background, 'idle' after 60 s
// without input, 'active' otherwise. Input listeners are passive and only store a timestamp,
// so they cost the page nothing; one timer checks for idleness.
import type { TabState } from '../../server/protocol';
import { guard } from './guard';

const IDLE_MS = 60_000;
/** Input keeps the visit alive (a storage write): at most this often. */
const ACTIVITY_EVERY_MS = 10_000;
const INPUTS = ['mousemove', 'keydown', 'scroll', 'touchstart', 'pointerdown'];

export const tabState = (idle: boolean): TabState => (document.visibilityState === 'hidden' ? 'hidden' : idle ? 'idle' : 'active');

/** Reports state changes and (throttled) activity; returns the current state. */
export function watchAttention(onState: (s: TabState) => void, onActivity: () => void): () => TabState {
  let idle = false;
  let lastInput = Date.now();
  let lastActivity = lastInput;
  let state = tabState(idle);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const update = (): void => {
    const next = tabState(idle);
    if (next !== state) onState((state = next));
  };
  const arm = (ms: number): void => {
    clearTimeout(timer);
    timer = setTimeout(check, ms);
  };
  // Input does not reset the timer (that would be a timer per mousemove): the timer re-arms
  // itself for the remaining time when input happened since it was set.
  const check = guard(() => {
    const quiet = Date.now() - lastInput;
    if (quiet < IDLE_MS) return arm(IDLE_MS - quiet);
    idle = true;
    update();
  });
  const input = guard(() => {
    lastInput = Date.now();
    if (idle) {
      idle = false;
      arm(IDLE_MS);
      update();
    }
    if (lastInput - lastActivity >= ACTIVITY_EVERY_MS || state !== 'active') {
      lastActivity = lastInput;
      onActivity();
    }
  });

  for (const type of INPUTS) addEventListener(type, input, { capture: true, passive: true });
  document.addEventListener(
    'visibilitychange',
    guard(() => {
      // Coming back to the tab is attention, even before the first mouse move.
      if (document.visibilityState === 'visible') input();
      update();
    }),
  );
  arm(IDLE_MS);
  return () => state;
}
