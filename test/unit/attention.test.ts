// Collision on the row: who of the team is on a visitor, merged from every dashboard tab, and
// what the live page keeps of it (without the agent themselves).
import { describe, expect, it } from 'vitest';
import { attentionBySite, attentionOn, refocus, type FocusHolder } from '../../server/attention/attention';
import { applyAttention, attentionSnapshot, attentionSentence, NO_ATTENTION } from '../../app/live/attention';
import type { AgentAttention } from '../../server/protocol';

const V = { siteId: 's1', visitorId: 'v1' };
const W = { siteId: 's1', visitorId: 'v2' };
const tab = (userId: string, name: string, focus: FocusHolder['focus']): FocusHolder => ({ userId, name, focus });
const face = (id: string, doing: AgentAttention['doing']): AgentAttention => ({ id, name: id, initials: id.slice(0, 2).toUpperCase(), avatar: null, doing });

describe('attention (server)', () => {
  it('one entry per person, with their strongest activity over all their tabs', () => {
    const tabs = [tab('ana', 'Ana Ruiz', { viewing: V }), tab('ana', 'Ana Ruiz', { calling: V }), tab('ben', 'Ben Li', { viewing: V })];
    expect(attentionOn(tabs, V)).toEqual([
      { id: 'ana', name: 'Ana Ruiz', initials: 'AR', avatar: null, doing: 'calling' },
      { id: 'ben', name: 'Ben Li', initials: 'BL', avatar: null, doing: 'viewing' },
    ]);
  });
  it('a tab on another visitor (or another site with the same visitor id) does not count', () => {
    const tabs = [tab('ana', 'Ana', { viewing: W }), tab('ben', 'Ben', { chatting: { siteId: 's2', visitorId: 'v1' } }), tab('cy', 'Cy', {})];
    expect(attentionOn(tabs, V)).toEqual([]);
  });
  it('the snapshot lists every visitor of the site someone is on', () => {
    const tabs = [tab('ana', 'Ana', { viewing: V, chatting: W }), tab('ben', 'Ben', { viewing: { siteId: 's2', visitorId: 'x' } })];
    const snap = attentionBySite(tabs, 's1');
    expect(snap.map((s) => [s.visitorId, s.agents.map((a) => a.doing)]).sort()).toEqual([
      ['v1', ['viewing']],
      ['v2', ['chatting']],
    ]);
  });
  it('refocus reports the visitor left and the one opened, and nothing when nothing changed', () => {
    const a = refocus({}, 'viewing', V);
    expect(a.focus).toEqual({ viewing: V });
    expect(a.changed).toEqual([V]);
    const b = refocus(a.focus, 'viewing', W);
    expect(b.changed).toEqual([V, W]);
    expect(refocus(b.focus, 'viewing', { ...W }).changed).toEqual([]);
    const c = refocus(b.focus, 'viewing', null);
    expect(c.focus).toEqual({});
    expect(c.changed).toEqual([W]);
    expect(refocus({}, 'calling', null).changed).toEqual([]);
  });
});

describe('attention (live page)', () => {
  it('leaves the agent themselves out, and drops visitors nobody else is on', () => {
    const map = attentionSnapshot([{ visitorId: 'v1', agents: [face('me', 'viewing'), face('ana', 'chatting')] }, { visitorId: 'v2', agents: [face('me', 'calling')] }], 'me');
    expect([...map.keys()]).toEqual(['v1']);
    expect(map.get('v1')?.map((a) => a.id)).toEqual(['ana']);
  });
  it('an update replaces one visitor; an unchanged one keeps the same map (no re-render)', () => {
    const m1 = applyAttention(NO_ATTENTION, { visitorId: 'v1', agents: [face('ana', 'viewing')] }, 'me');
    expect(m1.get('v1')?.[0]?.doing).toBe('viewing');
    expect(applyAttention(m1, { visitorId: 'v1', agents: [face('ana', 'viewing'), face('me', 'viewing')] }, 'me')).toBe(m1);
    const m2 = applyAttention(m1, { visitorId: 'v1', agents: [face('ana', 'calling')] }, 'me');
    expect(m2.get('v1')?.[0]?.doing).toBe('calling');
    expect(applyAttention(m2, { visitorId: 'v1', agents: [] }, 'me').has('v1')).toBe(false);
  });
  it('says what a colleague is doing in words', () => {
    expect(attentionSentence({ ...face('ana', 'chatting'), name: 'Ana' })).toBe('Ana is chatting with this visitor');
  });
});
