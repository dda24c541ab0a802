// The chat widget's small rules: the visitor's typing signal (throttle, sneak peek, stop), the
// email check (the server's own rule), the texts people read, and the visual viewport numbers.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cleanEmail } from '../../embed-snippet/src/chat/email';
import { eventLine, presenceLine, previewText, sendError, typingLine } from '../../embed-snippet/src/chat/texts';
import { TYPING_EVERY_MS, TYPING_IDLE_MS, typingSignal } from '../../embed-snippet/src/chat/typing';
import { viewportVars } from '../../embed-snippet/src/chat/viewport';
import { VisitorChatSendSchema } from '../../server/transport/schemas';

/** A hand-driven clock with real timer semantics (due callbacks run in order as time advances). */
function manualClock() {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (h: unknown) => void timers.delete(h as number),
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

describe('typing signal', () => {
  const setup = (sneakPeek: boolean) => {
    const clock = manualClock();
    const sent: { typing: boolean; text?: string; at: number }[] = [];
    const t = typingSignal((p) => sent.push({ ...p, at: clock.now() }), () => sneakPeek, clock);
    return { clock, sent, t };
  };

  it('sends at most one event per interval while the visitor types, without the draft when sneak peek is off', () => {
    const { clock, sent, t } = setup(false);
    let draft = '';
    for (let i = 0; i < 40; i++) {
      draft += 'a';
      t.input(draft);
      clock.advance(100); // 10 keystrokes a second for 4 s
    }
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(4000 / TYPING_EVERY_MS) + 1);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(TYPING_EVERY_MS);
    expect(sent.every((e) => e.typing && !('text' in e))).toBe(true);
  });

  it('with sneak peek, the agent ends up with the latest draft', () => {
    const { clock, sent, t } = setup(true);
    t.input('H');
    t.input('He');
    t.input('Hel');
    expect(sent).toEqual([{ typing: true, text: 'H', at: 0 }]);
    clock.advance(TYPING_EVERY_MS);
    expect(sent[sent.length - 1]).toEqual({ typing: true, text: 'Hel', at: TYPING_EVERY_MS });
  });

  it('says typing:false when the draft is emptied, on stop (send, blur), and after a pause', () => {
    const { clock, sent, t } = setup(false);
    t.input('hi');
    t.input('');
    expect(sent.map((e) => e.typing)).toEqual([true, false]);
    t.input('again');
    t.stop();
    t.stop(); // once is enough
    expect(sent.map((e) => e.typing)).toEqual([true, false, true, false]);
    t.input('and then nothing');
    clock.advance(TYPING_IDLE_MS);
    expect(sent.map((e) => e.typing)).toEqual([true, false, true, false, true, false]);
    // Whitespace is not typing.
    t.input('   ');
    expect(sent).toHaveLength(6);
  });
});

describe('email for offline replies', () => {
  it('accepts exactly what the server accepts', () => {
    const server = (email: string) => VisitorChatSendSchema.safeParse({ id: 'msg-email01', text: 'hi', email }).success;
    for (const email of ['ana@example.com', 'ana.lima+shop@mail.example.co.uk', "o'neil@example.io", 'a@b', 'ana@', '@example.com', 'ana lima@example.com', 'ana@example', 'ana@@example.com', '.ana@example.com', 'ana..lima@example.com', `${'a'.repeat(250)}@example.com`]) {
      expect(cleanEmail(email) !== null, email).toBe(server(email));
    }
  });

  it('trims what the visitor typed around the address', () => {
    expect(cleanEmail('  ana@example.com \n')).toBe('ana@example.com');
    expect(z.string().email().safeParse(cleanEmail(' ana@example.com ')).success).toBe(true);
  });
});

describe('texts', () => {
  it('previews the first ~80 characters on one line, at a word boundary, never half an emoji', () => {
    expect(previewText('Short\n\nanswer')).toBe('Short answer');
    const long = 'The cable is 2.5 m long, in braided fabric. Would you like me to send you a photo of both versions?';
    const p = previewText(long);
    expect(p.length).toBeLessThanOrEqual(81);
    expect(p.endsWith('…')).toBe(true);
    expect(long.startsWith(p.slice(0, -1))).toBe(true);
    const emoji = previewText('x'.repeat(79) + '😀😀', 80);
    expect(emoji).toBe('x'.repeat(79) + '…');
  });

  it('words who is online, typing, and the system lines', () => {
    const a = (name: string) => ({ id: name, name, initials: name[0]! });
    expect(presenceLine([])).toBe('We’ll reply by email');
    expect(presenceLine([a('Ana Lima')])).toBe('Ana is online');
    expect(presenceLine([a('Ana'), a('Ben')])).toBe('Ana and Ben are online');
    expect(presenceLine([a('Ana'), a('Ben'), a('Cy'), a('Di')])).toBe('Ana, Ben and 2 others are online');
    expect(typingLine([a('Ana Lima')])).toBe('Ana is typing…');
    expect(typingLine([a('Ana'), a('Ben')])).toBe('Ana and Ben are typing…');
    expect(eventLine('call_requested')).toBe('You asked for a video call');
    expect(sendError('rate_limited')).toMatch(/too quickly/);
    expect(sendError('bad_request')).not.toBe(sendError('rate_limited'));
  });
});

describe('visual viewport', () => {
  it('hands the visible rectangle to the stylesheet (keyboard open, zoomed, scrolled sideways)', () => {
    expect(viewportVars({ left: 0, top: 0, width: 390, height: 844 })).toEqual({ '--vl': '0px', '--vt': '0px', '--vw': '390px', '--vh': '844px' });
    // The on-screen keyboard covers the bottom: the panel must end above it.
    expect(viewportVars({ left: 0, top: 0, width: 390, height: 508.333 })).toMatchObject({ '--vh': '508.33px' });
    // Pinch-zoomed and panned to the middle of a page wider than the screen.
    expect(viewportVars({ left: 167.5, top: 200, width: 195, height: 422 })).toMatchObject({ '--vl': '167.5px', '--vt': '200px', '--vw': '195px' });
    // Rubber-band scrolling can report a negative offset for a moment.
    expect(viewportVars({ left: -3, top: -12, width: 390, height: 844 })).toMatchObject({ '--vl': '0px', '--vt': '0px' });
  });
});
