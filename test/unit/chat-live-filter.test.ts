// The live table's chat filter (app/live/filters.ts, `chat=unread|active|none` in the URL).
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, activeFilterCount, applyView, clearFilters, parseView, serializeView, type ViewState } from '../../app/live/filters';
import type { LiveChat, LiveVisitor } from '../../server/protocol';
import { liveVisitor } from '../support/live-visitor';

const NOW = 1_750_000_000_000;

const visitor = (id: string, chat: LiveChat | null, startedMinAgo: number): LiveVisitor => liveVisitor(id, { chat, visitStartedAt: NOW - startedMinAgo * 60_000 }, NOW);

const crowd = [
  visitor('unread', { conversationId: 'c1', status: 'open', assigneeName: null, unread: 2 }, 4),
  visitor('chatting', { conversationId: 'c2', status: 'open', assigneeName: 'Ana', unread: 0 }, 3),
  visitor('closed', { conversationId: 'c3', status: 'closed', assigneeName: 'Ana', unread: 0 }, 2),
  visitor('never', null, 1),
];
const view = (o: Partial<ViewState>): ViewState => ({ ...DEFAULT_VIEW, ...o });
const ids = (l: LiveVisitor[]) => l.map((v) => v.id);

describe('chat filter', () => {
  it('unread: visitors whose messages no agent has read', () => {
    expect(ids(applyView(crowd, view({ chat: 'unread' }), NOW))).toEqual(['unread']);
  });

  it('active: an open conversation (with or without unread messages)', () => {
    expect(ids(applyView(crowd, view({ chat: 'active' }), NOW))).toEqual(['unread', 'chatting']);
  });

  it('none: no open conversation (never chatted, or closed)', () => {
    expect(ids(applyView(crowd, view({ chat: 'none' }), NOW))).toEqual(['closed', 'never']);
  });

  it('lives in the URL like the other filters, counts as a filter, and is cleared with them', () => {
    const v = view({ chat: 'unread', call: 'none' });
    expect(serializeView(v)).toBe('call=none&chat=unread');
    expect(parseView(new URLSearchParams('chat=ACTIVE')).chat).toBe('active');
    expect(parseView(new URLSearchParams('chat=bogus')).chat).toBeNull();
    expect(activeFilterCount(v)).toBe(2);
    expect(clearFilters(v).chat).toBeNull();
  });
});
