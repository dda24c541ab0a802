// The call state machine on a hand-driven clock: the visitor navigating between pages (the call
// waits for the next page and is handed to it), dropping off, and leaving.
import { beforeEach, describe, expect, it } from 'vitest';
import type { CallBook } from '../../server/calls/call-book';
import { A, AV, CONNECT, GRACE, V, newCallBook, tab1, tab2, type CallBookFixture, type ManualClock } from '../support/call-book-fixture';

describe('CallBook', () => {
  let clock: ManualClock, book: CallBook, types: CallBookFixture['types'], lastEnd: CallBookFixture['lastEnd'], start: CallBookFixture['start'];
  beforeEach(() => ({ clock, book, types, lastEnd, start } = newCallBook()));

  describe('visitor navigation and leaving', () => {
    const connectedCall = () => {
      const call = start();
      book.accept(call.id, tab1, AV, []);
      book.connected(call.id, V(tab1));
      return call;
    };

    it('waits for the next page after call:navigating, then hands the call to it', () => {
      const call = connectedCall();
      expect(book.navigating(call.id, tab1).ok).toBe(true);
      book.visitorSocketClosed('vs1', true);
      expect(call.away).toBe(true);
      expect(types().at(-1)).toBe('away');
      // While away, nothing is relayed to the old socket.
      expect(book.relay(call.id, A())).toMatchObject({ ok: false, code: 'invalid_state' });
      expect(book.ofTab('site-1', 'v1', 't1')).toBe(call);
      clock.advance(GRACE - 1);
      const next = { ...tab1, socketId: 'vs1-next' };
      expect(book.rejoin(call.id, next, call.resumeToken!, AV, []).ok).toBe(true);
      expect(types().at(-1)).toBe('rejoined');
      expect(book.relay(call.id, A())).toMatchObject({ ok: true, to: { socketId: 'vs1-next' } });
      // The old socket has no say any more.
      expect(book.relay(call.id, V(tab1))).toMatchObject({ ok: false, code: 'forbidden' });
      expect(book.connected(call.id, V(next)).ok).toBe(true);
      clock.advance(CONNECT * 3);
      expect(call.phase).toBe('connected'); // the new peers connected: no timer left to end it...
    });

    it('...unless the new peers never connect', () => {
      const call = connectedCall();
      book.navigating(call.id, tab1);
      book.visitorSocketClosed('vs1', true);
      book.rejoin(call.id, { ...tab1, socketId: 'n' }, call.resumeToken!, AV, []);
      clock.advance(CONNECT);
      expect(lastEnd()).toMatchObject({ outcome: 'answered', reason: 'connect_failed' });
    });

    it('ends the call once the grace period passes without the next page', () => {
      const call = connectedCall();
      book.navigating(call.id, tab1);
      book.visitorSocketClosed('vs1', true);
      clock.advance(GRACE);
      expect(lastEnd()).toMatchObject({ outcome: 'answered', reason: 'left', by: 'visitor' });
      expect(book.rejoin(call.id, { ...tab1, socketId: 'late' }, call.resumeToken!, AV, [])).toMatchObject({ ok: false, code: 'gone' });
    });

    it('ends at once when the page closes its socket without navigating (tab closed)', () => {
      connectedCall();
      book.visitorSocketClosed('vs1', true);
      expect(lastEnd()).toMatchObject({ outcome: 'answered', reason: 'left', by: 'visitor' });
    });

    it('waits when the connection drops (network), not closed by the page', () => {
      const call = connectedCall();
      book.visitorSocketClosed('vs1', false);
      expect(call.phase).toBe('connected');
      expect(call.away).toBe(true);
    });

    it('lets the next page rejoin only with the resume token its tab got at accept', () => {
      const call = connectedCall();
      expect(call.resumeToken).toMatch(/^call-\d+$/);
      book.navigating(call.id, tab1);
      book.visitorSocketClosed('vs1', true);
      // Someone who knows the visitor's and the tab's ids, but not the token, cannot take the call.
      expect(book.rejoin(call.id, { ...tab1, socketId: 'thief' }, 'guessed-token', AV, [])).toMatchObject({ ok: false, code: 'forbidden' });
      expect(call.away).toBe(true);
      expect(book.rejoin(call.id, { ...tab1, socketId: 'next' }, call.resumeToken!, AV, []).ok).toBe(true);
    });

    it('ignores a late "connected" from the previous page\'s peers while the visitor is away', () => {
      const call = connectedCall();
      book.visitorSocketClosed('vs1', false); // connection dropped
      expect(book.connected(call.id, A()).ok).toBe(true);
      clock.advance(GRACE);
      expect(lastEnd()).toMatchObject({ reason: 'left', by: 'visitor' }); // the grace timer still ran
    });

    it('a hang-up from the tab in the call counts from whichever socket it arrives on', () => {
      const call = connectedCall();
      // The tab's socket was replaced (reconnect) before the server heard of the old one closing.
      expect(book.hangup(call.id, V({ ...tab1, socketId: 'reconnected' })).ok).toBe(true);
      expect(lastEnd()).toMatchObject({ outcome: 'answered', reason: 'hangup', by: 'visitor' });
    });

    it('a decline from the tab in the call, after it answered, hangs up', () => {
      const call = connectedCall();
      expect(book.decline(call.id, tab1).ok).toBe(true);
      expect(lastEnd()).toMatchObject({ outcome: 'answered', reason: 'hangup', by: 'visitor' });
    });

    it('lets only the same tab of the same visitor rejoin', () => {
      const call = connectedCall();
      book.navigating(call.id, tab1);
      book.visitorSocketClosed('vs1', true);
      expect(book.rejoin(call.id, { ...tab2, socketId: 'z' }, call.resumeToken!, AV, [])).toMatchObject({ ok: false, code: 'forbidden' });
      expect(book.rejoin(call.id, { ...tab1, visitorId: 'v2', socketId: 'z' }, call.resumeToken!, AV, [])).toMatchObject({ ok: false, code: 'forbidden' });
      expect(call.away).toBe(true);
    });

    it('a closed socket of a tab that is not in the call changes nothing', () => {
      const call = connectedCall();
      book.visitorSocketClosed('vs2', true);
      expect(call.phase).toBe('connected');
      expect(call.away).toBe(false);
    });

    it('a ringing call for a visitor who left every tab is missed', () => {
      start();
      book.visitorGone('site-1', 'v1');
      expect(lastEnd()).toMatchObject({ outcome: 'missed', reason: 'left', by: 'visitor' });
    });
  });
});
