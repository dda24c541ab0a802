// Who is typing in which conversation. Ephemeral: a typing mark expires after `ttlMs` unless
// it is renewed (clients renew while the person types), so a closed tab or a lost "stopped"
// event never leaves "Ana is typing…" on screen. Clock injected.
import type { Clock } from '../clock';

export interface TypingChange<P> {
  conversationId: string;
  party: P;
  typing: boolean;
  text?: string;
}

export class TypingBoard<P extends string> {
  private readonly marks = new Map<string, { timer: unknown; text: string | undefined }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly onChange: (c: TypingChange<P>) => void,
  ) {}

  /** Marks a party typing (or not). Emits a change when it starts, stops, or the draft changes. */
  set(conversationId: string, party: P, typing: boolean, text?: string): void {
    const key = `${conversationId}\n${party}`;
    const mark = this.marks.get(key);
    if (mark) this.clock.clearTimeout(mark.timer);
    if (!typing) {
      if (!mark) return;
      this.marks.delete(key);
      this.onChange({ conversationId, party, typing: false });
      return;
    }
    const timer = this.clock.setTimeout(() => {
      this.marks.delete(key);
      this.onChange({ conversationId, party, typing: false });
    }, this.ttlMs);
    this.marks.set(key, { timer, text });
    if (!mark || mark.text !== text) this.onChange({ conversationId, party, typing: true, ...(text === undefined ? {} : { text }) });
  }

  isTyping(conversationId: string, party: P): boolean {
    return this.marks.has(`${conversationId}\n${party}`);
  }

  close(): void {
    for (const m of this.marks.values()) this.clock.clearTimeout(m.timer);
    this.marks.clear();
  }
}
