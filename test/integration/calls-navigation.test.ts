// Calls over real socket.io connections to a real server and database: a call while its parties
// come and go — tabs closing, dashboards going away, the visitor navigating to another page.
import { describe, expect, it } from 'vitest';
import type { CallEnd, CallInvite, IceConfig } from '../../server/protocol';
import { GRACE_MS, ORIGIN, useCallSockets } from '../support/call-sockets';
import { ask, connected, nextEvent, sleep, visitorSocket } from '../support/server';
import { testDatabases } from '../support/db';

describe.each(testDatabases())('calls ($name)', (kind) => {
  const w = useCallSockets(kind);

  it('ends the call for the agent at once when the visitor\'s tab closes', async () => {
    const { a, v, callId } = await w.answered();
    const ended = nextEvent<CallEnd>(a, 'call:ended', () => true, 1000);
    v.s.disconnect(); // what the snippet does on pagehide
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'left', by: 'visitor' });
  });

  it('ends the call for the visitor when the agent\'s dashboard goes away', async () => {
    const { a, v, callId } = await w.answered();
    const ended = nextEvent<CallEnd>(v.s, 'call:ended', () => true, 1000);
    a.disconnect();
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'left', by: 'agent' });
  });

  it('keeps the call while the visitor navigates, and hands it to the same tab\'s next page', async () => {
    const { a, v, callId, resumeToken } = await w.answered();
    expect((await ask(v.s, 'call:navigating', { callId })).ok).toBe(true);
    const away = nextEvent(a, 'call:away');
    v.s.disconnect();
    await away;
    // Another tab of the same visitor gets no call:ongoing; the same tab's next page does.
    const otherTab = w.track(visitorSocket(w.server.url, { key: w.site.publicKey, origin: ORIGIN, auth: { ...v.auth, tabId: `${v.auth.tabId}z` } }));
    let otherTold = false;
    otherTab.on('call:ongoing', () => (otherTold = true));
    const next = w.track(visitorSocket(w.server.url, { key: w.site.publicKey, origin: ORIGIN, auth: { ...v.auth, page: { url: 'https://shop.example/pricing', title: 'Pricing' } } }));
    const ongoing = await nextEvent<CallInvite & { acceptedAt: number; media: { audio: boolean; video: boolean } }>(next, 'call:ongoing');
    expect(ongoing).toMatchObject({ callId, agent: { name: 'Ana Lima' }, media: { audio: true, video: true } });
    // Knowing the visitor's and tab's ids is not enough: the token from the accept is.
    expect(await ask(next, 'call:rejoin', { callId, resumeToken: 'a-guessed-token', media: { audio: true, video: true } })).toMatchObject({ ok: false, code: 'forbidden' });
    const rejoined = nextEvent<{ callId: string; ice: IceConfig }>(a, 'call:rejoined');
    expect((await ask<{ ice: IceConfig }>(next, 'call:rejoin', { callId, resumeToken, media: { audio: true, video: true } })).ok).toBe(true);
    expect((await rejoined).callId).toBe(callId);
    const got = nextEvent<{ data: string }>(a, 'call:signal');
    expect((await ask(next, 'call:signal', { callId, data: 'from the next page' })).ok).toBe(true);
    expect((await got).data).toBe('from the next page');
    expect(otherTold).toBe(false);
  });

  it('keeps ringing a visitor whose only tab navigates, and rings their next page', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const started = await w.startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    let ended = false;
    a.on('call:ended', () => (ended = true));
    v.s.disconnect();
    const leftAt = Date.now();
    await sleep(300);
    const next = w.track(visitorSocket(w.server.url, { key: w.site.publicKey, origin: ORIGIN, auth: { ...v.auth, page: { url: 'https://shop.example/pricing', title: 'Pricing' } } }));
    const invite = await nextEvent<CallInvite>(next, 'call:invite');
    expect(invite.callId).toBe(started.call.callId);
    // Past the grace counted from the tab's leaving (and still inside the ring).
    await sleep(Math.max(0, GRACE_MS + 300 - (Date.now() - leftAt)));
    expect(ended).toBe(false);
    expect((await ask(next, 'call:accept', { callId: invite.callId, media: { audio: true, video: false } })).ok).toBe(true);
  });

  it('counts a ringing call as missed when the visitor has left the site for the grace period', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const started = await w.startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    const t0 = Date.now();
    v.s.disconnect();
    const end = await nextEvent<CallEnd>(a, 'call:ended', () => true, GRACE_MS + 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(end).toMatchObject({ outcome: 'missed', reason: 'left', by: 'visitor' });
  });

  it('a hang-up the visitor\'s tab sends on its re-established connection ends the call', async () => {
    const { a, v, callId } = await w.answered();
    const ended = nextEvent<CallEnd>(a, 'call:ended');
    // The connection dropped (not closed by the page) and came back on a new socket, which
    // carries the hang-up the page had queued.
    v.s.io.engine.close();
    const again = w.track(visitorSocket(w.server.url, { key: w.site.publicKey, origin: ORIGIN, auth: v.auth }));
    await connected(again);
    expect((await ask(again, 'call:hangup', { callId })).ok).toBe(true);
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'hangup', by: 'visitor' });
  });

  it('ends a navigating call when no next page comes back within the grace period', async () => {
    const { a, v, callId } = await w.answered();
    await ask(v.s, 'call:navigating', { callId });
    const t0 = Date.now();
    v.s.disconnect();
    const end = await nextEvent<CallEnd>(a, 'call:ended', () => true, GRACE_MS + 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(end).toMatchObject({ callId, reason: 'left', by: 'visitor' });
  });
});
