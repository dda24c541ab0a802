// The widget's outbox and what it keeps for the next page: a message is never dropped before
// the server's copy is in the thread, goes out in order, survives storage round trips, and
// storage written by anyone else cannot smuggle in something the server would refuse.
import { describe, expect, it } from 'vitest';
import { emptyThread, mergeMessages } from '../../server/chat/thread';
import type { ChatMessage } from '../../server/protocol';
import { enqueue, markFailed, markRetry, nextToSend, OUTBOX_MAX, parseOutbox, remove, withoutDelivered, type OutboxEntry } from '../../embed-snippet/src/chat/outbox';
import { nothingSaved, parseSaved, serialize } from '../../embed-snippet/src/chat/persist';

const entry = (id: string, text = `text of ${id}`): OutboxEntry => ({ id, kind: 'text', text, at: 1000 });
const stored = (id: string, seq: number): ChatMessage => ({ id, conversationId: 'c1', seq, from: 'visitor', agent: null, text: `text of ${id}`, event: null, at: 2000 + seq });

describe('outbox', () => {
  it('sends the oldest unsent message first and skips the ones the server refused', () => {
    let box = enqueue(enqueue(enqueue([], entry('msg-aaaa1')), entry('msg-aaaa2')), entry('msg-aaaa3'));
    expect(nextToSend(box)?.id).toBe('msg-aaaa1');
    box = markFailed(box, 'msg-aaaa1', 'bad_request');
    expect(nextToSend(box)?.id).toBe('msg-aaaa2');
    expect(box.find((e) => e.id === 'msg-aaaa1')?.failed).toBe('bad_request');
    box = markRetry(box, 'msg-aaaa1');
    expect(nextToSend(box)?.id).toBe('msg-aaaa1');
    expect(box.find((e) => e.id === 'msg-aaaa1')).not.toHaveProperty('failed');
  });

  it('holds one entry per id (a double click is one message)', () => {
    const box = enqueue(enqueue([], entry('msg-same1')), entry('msg-same1', 'other text'));
    expect(box).toHaveLength(1);
    expect(box[0]!.text).toBe('text of msg-same1');
  });

  it('lets go of an entry only once the thread holds the stored message', () => {
    const box = enqueue(enqueue([], entry('msg-bbbb1')), entry('msg-bbbb2'));
    const thread = mergeMessages(emptyThread, [stored('msg-bbbb1', 1)]);
    const left = withoutDelivered(box, thread);
    expect(left.map((e) => e.id)).toEqual(['msg-bbbb2']);
    // Nothing delivered: the very same array (no needless re-render or storage write).
    expect(withoutDelivered(left, thread)).toBe(left);
    expect(remove(left, 'msg-bbbb2')).toEqual([]);
  });

  it('keeps at most OUTBOX_MAX entries, dropping the oldest', () => {
    let box: readonly OutboxEntry[] = [];
    for (let i = 0; i < OUTBOX_MAX + 5; i++) box = enqueue(box, entry(`msg-${String(i).padStart(5, '0')}`));
    expect(box).toHaveLength(OUTBOX_MAX);
    expect(box[0]!.id).toBe('msg-00005');
  });

  it('reads back only entries the server would accept from storage', () => {
    const parsed = parseOutbox([
      entry('msg-good1'),
      { id: 'msg-good2', kind: 'call', text: 'ignored', at: 5 },
      { id: 'bad id with spaces', kind: 'text', text: 'x', at: 1 },
      { id: 'msg-long1', kind: 'text', text: 'x'.repeat(5001), at: 1 },
      { id: 'msg-blank', kind: 'text', text: '   ', at: 1 },
      { id: 'msg-kind1', kind: 'html', text: 'x', at: 1 },
      { id: 'msg-mail1', kind: 'text', text: 'hi', at: 1, email: 'not an email' },
      { id: 'msg-mail2', kind: 'text', text: 'hi', at: 1, email: ' ana@example.com ', failed: 'bad_request' },
      null,
      'string',
    ]);
    expect(parsed).toEqual([
      entry('msg-good1'),
      { id: 'msg-good2', kind: 'call', text: '', at: 5 },
      { id: 'msg-mail1', kind: 'text', text: 'hi', at: 1 },
      { id: 'msg-mail2', kind: 'text', text: 'hi', at: 1, email: 'ana@example.com', failed: 'bad_request' },
    ]);
    expect(parseOutbox({ not: 'an array' })).toEqual([]);
  });
});

describe('what the next page of the tab restores', () => {
  it('round-trips the open panel, the draft and the unsent messages', () => {
    const saved = { panel: 'open' as const, draft: 'half a sentence', outbox: [entry('msg-cccc1')], dismissedSeq: 4 };
    expect(parseSaved(serialize(saved))).toEqual(saved);
    const min = { panel: 'min' as const, draft: '', outbox: [], dismissedSeq: 0 };
    expect(parseSaved(serialize(min))).toEqual(min);
  });

  it('stores nothing when there is nothing to restore, so the core does not load the chat part for nothing', () => {
    expect(serialize(nothingSaved)).toBeNull();
    // A closed panel's draft stays on its page.
    expect(serialize({ ...nothingSaved, draft: 'typed then closed' })).toBeNull();
    // Unsent messages alone are worth it: they must go out from the next page.
    expect(serialize({ ...nothingSaved, outbox: [entry('msg-dddd1')] })).not.toBeNull();
  });

  it('treats corrupt or foreign values as nothing saved', () => {
    expect(parseSaved('{not json')).toEqual(nothingSaved);
    expect(parseSaved('[1,2]')).toEqual(nothingSaved);
    expect(parseSaved(JSON.stringify({ p: 'fullscreen', d: 42, o: 'x', x: -3 }))).toEqual(nothingSaved);
    expect(parseSaved(null)).toEqual(nothingSaved);
  });
});
