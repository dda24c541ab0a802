// The visitor's "typing" signal (chat:typing). While they type: at most one event every
// TYPING_EVERY_MS (which also renews the server's expiring mark); the draft goes with it only
// where the site allows sneak peek, and then the last draft is sent once the interval is over,
// so the agent never keeps a stale one. typing:false when the draft is emptied, on send, on blur,
// and after TYPING_IDLE_MS without a keystroke. Clock and timers injected: unit-tested as is.
export const TYPING_EVERY_MS = 1500;
export const TYPING_IDLE_MS = 5000;

export interface TypingClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TypingSignal {
  /** The draft changed (what the textarea holds now). */
  input(draft: string): void;
  /** Sent, blurred, closed: the visitor is not typing (any more). */
  stop(): void;
}

export function typingSignal(send: (p: { typing: boolean; text?: string }) => void, sneakPeek: () => boolean, clock: TypingClock): TypingSignal {
  let typing = false;
  let lastSent = -Infinity;
  let sentDraft: string | undefined;
  let draft = '';
  let trailing: unknown = null;
  let idle: unknown = null;

  const clear = (): void => {
    if (trailing !== null) clock.clearTimeout(trailing);
    if (idle !== null) clock.clearTimeout(idle);
    trailing = idle = null;
  };

  const emit = (): void => {
    trailing = null;
    const text = sneakPeek() ? draft : undefined;
    if (typing && text === sentDraft && clock.now() - lastSent < TYPING_EVERY_MS) return;
    typing = true;
    lastSent = clock.now();
    sentDraft = text;
    send(text === undefined ? { typing: true } : { typing: true, text });
  };

  const stop = (): void => {
    clear();
    if (!typing) return;
    typing = false;
    sentDraft = undefined;
    send({ typing: false });
  };

  return {
    input(next) {
      draft = next;
      if (!next.trim()) return stop();
      if (idle !== null) clock.clearTimeout(idle);
      idle = clock.setTimeout(stop, TYPING_IDLE_MS);
      const wait = lastSent + TYPING_EVERY_MS - clock.now();
      if (!typing || wait <= 0) {
        if (trailing !== null) clock.clearTimeout(trailing);
        emit();
      } else if (trailing === null) {
        // Within the interval: one more event at its end, with the draft as it is then.
        trailing = clock.setTimeout(emit, wait);
      }
    },
    stop,
  };
}
