// The pure rules of chat: a client's thread (order, duplicates, gaps), links in message text,
// typing that expires, friendly names, and signed visitor tokens.
import { describe, expect, it } from 'vitest';
import { friendlyName, visitorLabel } from '../../server/chat/friendly-name';
import { linkify } from '../../server/chat/links';
import { emptyThread, holds, mergeMessages, threadFrom } from '../../server/chat/thread';
import { TypingBoard, type TypingChange } from '../../server/chat/typing';
import { visitorTokens } from '../../server/chat/visitor-token';
import type { ChatMessage } from '../../server/protocol';

const msg = (seq: number, id = `m${seq}`): ChatMessage => ({ id, conversationId: 'c', seq, from: 'visitor', agent: null, text: `text ${seq}`, event: null, at: seq });

describe('thread', () => {
  it('keeps messages by seq, once each, whatever order they arrive in', () => {
    let t = mergeMessages(emptyThread, [msg(2), msg(1)]);
    t = mergeMessages(t, [msg(1), msg(3), msg(2, 'other-copy')]);
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(t.messages[1]!.id).toBe('m2');
    expect(t).toMatchObject({ lastSeq: 3, gap: false });
  });

  it('reports a gap when a later message arrives first, and closes it when the replay fills it', () => {
    let t = mergeMessages(emptyThread, [msg(1)]);
    t = mergeMessages(t, [msg(4)]);
    expect(t).toMatchObject({ lastSeq: 1, gap: true });
    t = mergeMessages(t, [msg(2), msg(3)]);
    expect(t).toMatchObject({ lastSeq: 4, gap: false });
  });

  it('returns the same thread when nothing is new (no re-render), ignores nonsense seqs', () => {
    const t = mergeMessages(emptyThread, [msg(1)]);
    expect(mergeMessages(t, [msg(1)])).toBe(t);
    expect(mergeMessages(t, [msg(0), msg(-1), { ...msg(2), seq: 2.5 }])).toBe(t);
  });

  it('a thread opened at its end counts older messages as held', () => {
    const t = mergeMessages(threadFrom(40), [msg(41), msg(42)]);
    expect(t).toMatchObject({ lastSeq: 42, gap: false });
    expect(holds(t, 'm42')).toBe(true);
    expect(holds(t, 'm7')).toBe(false);
  });
});

describe('linkify', () => {
  it('links http(s) URLs and leaves everything else as text', () => {
    expect(linkify('see https://lumen.example/a?b=1 and http://x.example.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://lumen.example/a?b=1', href: 'https://lumen.example/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'http://x.example', href: 'http://x.example/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('never links other schemes, and HTML stays text', () => {
    for (const t of ['javascript:alert(1)', 'data:text/html,<b>x</b>', '<a href="https://x.example">x</a>', '<img src=x onerror=alert(1)>', 'ftp://files.example/x']) {
      const parts = linkify(t);
      expect(parts.filter((p) => p.kind === 'link').every((p) => p.kind === 'link' && /^https?:\/\//.test(p.href))).toBe(true);
      expect(parts.map((p) => p.text).join('')).toBe(t);
    }
    expect(linkify('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('keeps a closing bracket that belongs to the URL, drops one that closes the sentence', () => {
    expect(linkify('(https://en.example/wiki/Lamp_(lighting))').find((p) => p.kind === 'link')?.text).toBe('https://en.example/wiki/Lamp_(lighting)');
    expect(linkify('(see https://x.example/a)').find((p) => p.kind === 'link')?.text).toBe('https://x.example/a');
  });

  it('keeps emoji and every script intact', () => {
    const t = 'Привет 👋🏽 مرحبا 你好 https://例え.テスト/パス';
    expect(linkify(t).map((p) => p.text).join('')).toBe(t);
  });
});

describe('typing', () => {
  function fakeClock() {
    let now = 0;
    const timers = new Map<number, { at: number; fn: () => void }>();
    let next = 1;
    return {
      now: () => now,
      setTimeout: (fn: () => void, ms: number) => (timers.set(next, { at: now + ms, fn }), next++),
      clearTimeout: (h: unknown) => void timers.delete(h as number),
      advance(ms: number) {
        now += ms;
        for (const [id, t] of [...timers]) if (t.at <= now) (timers.delete(id), t.fn());
      },
    };
  }

  it('starts once, renews while typing, and expires by itself when the stop never comes', () => {
    const clock = fakeClock();
    const changes: TypingChange<string>[] = [];
    const board = new TypingBoard<string>(clock, 6000, (c) => changes.push(c));
    board.set('c1', 'visitor', true);
    clock.advance(4000);
    board.set('c1', 'visitor', true);
    clock.advance(4000);
    expect(changes).toEqual([{ conversationId: 'c1', party: 'visitor', typing: true }]);
    expect(board.isTyping('c1', 'visitor')).toBe(true);
    clock.advance(2001);
    expect(changes.at(-1)).toEqual({ conversationId: 'c1', party: 'visitor', typing: false });
    expect(board.isTyping('c1', 'visitor')).toBe(false);
  });

  it('tells a new draft (sneak peek), an explicit stop once, and keeps parties apart', () => {
    const clock = fakeClock();
    const changes: TypingChange<string>[] = [];
    const board = new TypingBoard<string>(clock, 6000, (c) => changes.push(c));
    board.set('c1', 'visitor', true, 'how m');
    board.set('c1', 'visitor', true, 'how much');
    board.set('c1', 'agent:ana', true);
    board.set('c1', 'visitor', false);
    board.set('c1', 'visitor', false);
    expect(changes).toEqual([
      { conversationId: 'c1', party: 'visitor', typing: true, text: 'how m' },
      { conversationId: 'c1', party: 'visitor', typing: true, text: 'how much' },
      { conversationId: 'c1', party: 'agent:ana', typing: true },
      { conversationId: 'c1', party: 'visitor', typing: false },
    ]);
    expect(board.isTyping('c1', 'agent:ana')).toBe(true);
  });
});

describe('friendly names', () => {
  it('are stable per visitor id and differ between visitors', () => {
    expect(friendlyName('visitor-abc')).toBe(friendlyName('visitor-abc'));
    const names = new Set(Array.from({ length: 200 }, (_, i) => friendlyName(`v${i}x`)));
    expect(names.size).toBeGreaterThan(150);
    expect(friendlyName('visitor-abc')).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
  });
  it('give way to the name the visitor gave', () => {
    expect(visitorLabel('v1', 'Ana Lima')).toBe('Ana Lima');
    expect(visitorLabel('v1', '  ')).toBe(friendlyName('v1'));
    expect(visitorLabel('v1', null)).toBe(friendlyName('v1'));
  });
});

describe('visitor tokens', () => {
  const tokens = visitorTokens('a-long-server-secret-for-tests-only-0123456789');
  it('verify for the site and visitor they were issued to, and only for them', () => {
    const { token, tokenId } = tokens.issue('site-1', 'visitor-1');
    expect(tokens.verify('site-1', 'visitor-1', token)).toBe(tokenId);
    expect(tokens.verify('site-1', 'visitor-2', token)).toBeNull();
    expect(tokens.verify('site-2', 'visitor-1', token)).toBeNull();
    expect(visitorTokens('another-secret-of-another-install-0123456789').verify('site-1', 'visitor-1', token)).toBeNull();
  });
  it('refuse tampered and malformed tokens', () => {
    const { token } = tokens.issue('s', 'v');
    const [id, sig] = token.split('.') as [string, string];
    for (const bad of [undefined, '', id, `${id}.`, `${id}.${sig}.x`, `${id.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}.${sig}`, `${id}.${sig.slice(0, -1)}`, `${id}.${sig}x`]) {
      expect(tokens.verify('s', 'v', bad)).toBeNull();
    }
  });
  it('are new for each browser: two first contacts of one visitor id get different tokens', () => {
    expect(tokens.issue('s', 'v').tokenId).not.toBe(tokens.issue('s', 'v').tokenId);
  });
});
