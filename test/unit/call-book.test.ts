// The call state machine on a hand-driven clock: every transition, timeout, busy and refusal.
// The visitor moving between pages or leaving is in call-book-navigation.test.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import type { CallBook, Party } from '../../server/calls/call-book';
import { A, AV, CONNECT, RING, V, agentA, agentB, newCallBook, tab1, tab2, type CallBookFixture, type ManualClock } from '../support/call-book-fixture';

describe('CallBook', () => {
  let clock: ManualClock, book: CallBook, types: CallBookFixture['types'], lastEnd: CallBookFixture['lastEnd'], start: CallBookFixture['start'];
  beforeEach(() => ({ clock, book, types, lastEnd, start } = newCallBook()));

  it('rings, is accepted, connects and ends on hang-up with its duration', () => {
    const call = start();
    expect(call).toMatchObject({ phase: 'ringing', expiresAt: clock.t + RING, company: 'Lumen' });
    expect(types()).toEqual(['invited']);
    clock.advance(2_000);
    expect(book.accept(call.id, tab1, AV, []).ok).toBe(true);
    expect(call.phase).toBe('accepted');
    expect(call.visitor).toMatchObject({ tabId: 't1', socketId: 'vs1' });
    expect(book.connected(call.id, V(tab1)).ok).toBe(true);
    expect(book.connected(call.id, A()).ok).toBe(true); // the second report changes nothing
    expect(call.phase).toBe('connected');
    clock.advance(65_000);
    expect(book.hangup(call.id, V(tab1)).ok).toBe(true);
    expect(types()).toEqual(['invited', 'accepted', 'connected', 'ended']);
    expect(lastEnd()).toEqual({ callId: call.id, outcome: 'answered', reason: 'hangup', by: 'visitor', durationMs: 65_000 });
    expect(book.get(call.id)).toBeUndefined();
    expect(clock.pending).toBe(0);
  });

  it('counts a call nobody answers as missed after the ring timeout, and not before', () => {
    const call = start();
    clock.advance(RING - 1);
    expect(call.phase).toBe('ringing');
    clock.advance(1);
    expect(lastEnd()).toMatchObject({ outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null });
    expect(book.accept(call.id, tab1, AV, [])).toMatchObject({ ok: false, code: 'gone' });
  });

  it('keeps ringing while the visitor answers a permission prompt, then counts it missed if they never finish', () => {
    const call = start();
    clock.advance(RING - 5_000);
    expect(book.answering(call.id, tab1).ok).toBe(true);
    expect(types().at(-1)).toBe('answering');
    expect(call.expiresAt).toBe(clock.t + CONNECT);
    clock.advance(CONNECT - 1);
    expect(call.phase).toBe('ringing');
    expect(book.accept(call.id, tab1, AV, []).ok).toBe(true); // the prompt took 19.999 s more
    book.hangup(call.id, A());
    const c2 = start(agentB, { ...tab1, visitorId: 'v2' });
    book.answering(c2.id, { ...tab1, visitorId: 'v2' }); // right away: the ring timeout is the later one
    expect(c2.expiresAt).toBe(clock.t + RING);
    clock.advance(RING);
    expect(lastEnd()).toMatchObject({ callId: c2.id, outcome: 'missed', reason: 'no_answer' });
    // Only the rung visitor can say it is answering.
    const c3 = start(agentB, { ...tab1, visitorId: 'v3' });
    expect(book.answering(c3.id, tab1)).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('records decline and cancel', () => {
    const c1 = start();
    expect(book.decline(c1.id, tab1).ok).toBe(true);
    expect(lastEnd()).toMatchObject({ outcome: 'declined', reason: 'declined', by: 'visitor' });
    const c2 = start();
    expect(book.cancel(c2.id, agentA).ok).toBe(true);
    expect(lastEnd()).toMatchObject({ outcome: 'cancelled', reason: 'cancelled', by: 'agent' });
    expect(clock.pending).toBe(0);
  });

  it('one visitor, one call: a second agent is told who the visitor is with', () => {
    start();
    const r = book.start({ siteId: 'site-1', visitorId: 'v1', video: false, company: 'Lumen', agent: agentB });
    expect(r).toMatchObject({ ok: false, code: 'busy', message: 'This visitor is in a call with Ana Lima' });
    // The same visitor id on another site is someone else.
    expect(book.start({ siteId: 'site-2', visitorId: 'v1', video: true, company: 'X', agent: agentB }).ok).toBe(true);
  });

  it('one agent, one call', () => {
    start();
    const r = book.start({ siteId: 'site-1', visitorId: 'v9', video: true, company: 'Lumen', agent: agentA });
    expect(r).toMatchObject({ ok: false, code: 'busy' });
  });

  it('frees visitor and agent once a call ends', () => {
    const c = start();
    book.cancel(c.id, agentA);
    expect(start().phase).toBe('ringing');
  });

  it('lets only the first tab accept; the other tab is refused', () => {
    const call = start();
    expect(book.accept(call.id, tab1, AV, []).ok).toBe(true);
    expect(book.accept(call.id, tab2, AV, [])).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(book.decline(call.id, tab2)).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(book.hangup(call.id, V(tab2))).toMatchObject({ ok: false, code: 'forbidden' });
    expect(call.phase).toBe('accepted');
  });

  it('fails an accepted call whose peers never connect', () => {
    const call = start();
    book.accept(call.id, tab1, AV, []);
    clock.advance(CONNECT);
    expect(lastEnd()).toMatchObject({ outcome: 'failed', reason: 'connect_failed', by: 'system', durationMs: CONNECT });
  });

  it('fails a call accepted with neither camera nor microphone, telling why', () => {
    const call = start();
    const r = book.accept(call.id, tab1, { audio: false, video: false }, ['camera_denied', 'microphone_denied']);
    expect(r).toMatchObject({ ok: false, code: 'gone' });
    expect(lastEnd()).toMatchObject({ outcome: 'failed', reason: 'media_unavailable', by: 'visitor' });
  });

  it('keeps the visitor\'s media problems for the agent', () => {
    const call = start();
    book.accept(call.id, tab1, { audio: true, video: false }, ['camera_denied']);
    expect(call.visitor?.problems).toEqual(['camera_denied']);
  });

  describe('relay authorization', () => {
    it('relays only between the two parties of an answered call', () => {
      const call = start();
      // Ringing: no signal may flow yet (nothing leaves the visitor's browser before accept).
      expect(book.relay(call.id, A())).toMatchObject({ ok: false, code: 'invalid_state' });
      expect(book.relay(call.id, V(tab1))).toMatchObject({ ok: false, code: 'invalid_state' });
      book.accept(call.id, tab1, AV, []);
      expect(book.relay(call.id, A())).toMatchObject({ ok: true, to: { kind: 'visitor', socketId: 'vs1' } });
      expect(book.relay(call.id, V(tab1))).toMatchObject({ ok: true, to: { kind: 'agent', socketId: 'sa' } });
    });

    it('refuses everyone else', () => {
      const call = start();
      book.accept(call.id, tab1, AV, []);
      const refused: Party[] = [
        A(agentB), // another agent
        { kind: 'agent', userId: agentA.userId, socketId: 'other-tab-of-ana' }, // the same agent, another socket
        V({ ...tab1, visitorId: 'v2', socketId: 'vs9' }), // another visitor
        V({ ...tab1, siteId: 'site-2' }), // same ids on another site
        V(tab2), // another tab of the same visitor
      ];
      // The right tab on a socket that is not the one in the call may hang up (see below) but not signal.
      const staleSocket = V({ ...tab1, socketId: 'stale' });
      for (const p of [...refused, staleSocket]) expect(book.relay(call.id, p), JSON.stringify(p)).toMatchObject({ ok: false, code: 'forbidden' });
      for (const p of refused) expect(book.hangup(call.id, p).ok).toBe(false);
      expect(call.phase).toBe('accepted');
    });

    it('refuses an unknown or ended call id', () => {
      expect(book.relay('nope', A())).toMatchObject({ ok: false, code: 'gone' });
      const call = start();
      book.accept(call.id, tab1, AV, []);
      book.hangup(call.id, A());
      expect(book.relay(call.id, A())).toMatchObject({ ok: false, code: 'gone' });
      expect(book.relay(call.id, V(tab1))).toMatchObject({ ok: false, code: 'gone' });
    });

    it('refuses cancel from anyone but the calling agent, and after answer', () => {
      const call = start();
      expect(book.cancel(call.id, { userId: agentB.userId, socketId: agentB.socketId })).toMatchObject({ ok: false, code: 'forbidden' });
      book.accept(call.id, tab1, AV, []);
      expect(book.cancel(call.id, agentA)).toMatchObject({ ok: false, code: 'invalid_state' });
    });

    it('refuses a decline or accept from another visitor', () => {
      const call = start();
      const stranger = { ...tab1, visitorId: 'v2', socketId: 'x' };
      expect(book.decline(call.id, stranger)).toMatchObject({ ok: false, code: 'forbidden' });
      expect(book.accept(call.id, stranger, AV, [])).toMatchObject({ ok: false, code: 'forbidden' });
      expect(call.phase).toBe('ringing');
    });
  });

  it('ends the agent\'s call when their dashboard socket closes', () => {
    const ringing = start();
    book.agentSocketClosed('sa');
    expect(lastEnd()).toMatchObject({ callId: ringing.id, outcome: 'cancelled', reason: 'left', by: 'agent' });
    const call = start();
    book.accept(call.id, tab1, AV, []);
    book.agentSocketClosed('sb'); // someone else's socket
    expect(call.phase).toBe('accepted');
    book.agentSocketClosed('sa');
    expect(lastEnd()).toMatchObject({ callId: call.id, outcome: 'answered', reason: 'left', by: 'agent' });
  });

  it('the agent hanging up while it rings cancels; a visitor who has not accepted cannot hang up (they decline)', () => {
    const c1 = start();
    book.hangup(c1.id, A());
    expect(lastEnd()).toMatchObject({ outcome: 'cancelled' });
    const c2 = start();
    expect(book.hangup(c2.id, V(tab1))).toMatchObject({ ok: false, code: 'invalid_state' });
    expect(c2.phase).toBe('ringing');
  });

  it('answering extends the ring only once', () => {
    const call = start();
    clock.advance(RING - 1000);
    book.answering(call.id, tab1);
    clock.advance(CONNECT - 1000);
    book.answering(call.id, tab1); // again: no more time
    clock.advance(1000);
    expect(lastEnd()).toMatchObject({ outcome: 'missed', reason: 'no_answer' });
  });

  it('a server shutdown ends live calls as interrupted', () => {
    const call = start();
    book.accept(call.id, tab1, AV, []);
    book.close();
    expect(lastEnd()).toMatchObject({ outcome: 'answered', reason: 'interrupted', by: 'system' });
  });
});
