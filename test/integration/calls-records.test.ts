// Calls over real socket.io connections to a real server and database: how calls end (missed,
// declined, cancelled, answered, failed) and what the call records and history say afterwards.
import { describe, expect, it } from 'vitest';
import { call as callTable } from '../../drizzle/schema';
import type { CallEnd, VisitorDetails } from '../../server/protocol';
import { RING_MS, useCallSockets } from '../support/call-sockets';
import { ask, nextEvent, sleep, startTestServer } from '../support/server';
import { testDatabases } from '../support/db';

describe.each(testDatabases())('calls ($name)', (kind) => {
  const w = useCallSockets(kind);

  it('ends an unanswered call after the ring timeout for both sides and records it as missed', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const t0 = Date.now();
    const started = await w.startCall(a, v.auth.visitorId);
    if (!started.ok) throw new Error(started.code);
    const [atAgent, atVisitor] = await Promise.all([nextEvent<CallEnd>(a, 'call:ended', () => true, RING_MS + 3000), nextEvent<CallEnd>(v.s, 'call:ended', () => true, RING_MS + 3000)]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(RING_MS - 50);
    expect(atAgent).toEqual(atVisitor);
    expect(atAgent).toMatchObject({ callId: started.call.callId, outcome: 'missed', reason: 'no_answer', by: 'system', durationMs: null });
    const row = await w.record(started.call.callId);
    expect(row).toMatchObject({ outcome: 'missed', endedBy: 'system', reason: 'no_answer', agentId: w.ana.userId, agentName: 'Ana Lima', visitorKey: v.auth.visitorId, siteId: w.site.id, answeredAt: null, durationMs: null });
    expect(row?.endedAt).toBeInstanceOf(Date);
    // Too late to accept now.
    expect(await ask(v.s, 'call:accept', { callId: started.call.callId, media: { audio: true, video: true } })).toMatchObject({ ok: false, code: 'gone' });
  });

  it('records declined, cancelled and answered calls with who hung up, and lists them in the visitor panel', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const id = v.auth.visitorId;
    const c1 = await w.startCall(a, id);
    if (!c1.ok) throw new Error();
    const declined = nextEvent<CallEnd>(a, 'call:ended');
    expect((await ask(v.s, 'call:decline', { callId: c1.call.callId })).ok).toBe(true);
    expect(await declined).toMatchObject({ outcome: 'declined', by: 'visitor' });
    const c2 = await w.startCall(a, id);
    if (!c2.ok) throw new Error();
    const cancelled = nextEvent<CallEnd>(v.s, 'call:ended');
    expect((await ask(a, 'call:cancel', { callId: c2.call.callId })).ok).toBe(true);
    expect(await cancelled).toMatchObject({ outcome: 'cancelled', by: 'agent' });
    const c3 = await w.startCall(a, id);
    if (!c3.ok) throw new Error();
    await ask(v.s, 'call:accept', { callId: c3.call.callId, media: { audio: true, video: false }, problems: ['camera_denied'] });
    await sleep(300);
    const ended = nextEvent<CallEnd>(a, 'call:ended');
    await ask(v.s, 'call:hangup', { callId: c3.call.callId });
    const end = await ended;
    expect(end).toMatchObject({ outcome: 'answered', reason: 'hangup', by: 'visitor' });
    expect(end.durationMs).toBeGreaterThanOrEqual(250);
    const row = await w.record(c3.call.callId);
    expect(row).toMatchObject({ outcome: 'answered', endedBy: 'visitor', durationMs: end.durationMs });
    expect(row!.answeredAt!.getTime()).toBeLessThanOrEqual(row!.endedAt!.getTime());

    await ask(a, 'site:watch', { siteId: w.site.id });
    const details = await ask<{ details: VisitorDetails }>(a, 'visitor:details', { siteId: w.site.id, visitorId: id });
    if (!details.ok) throw new Error(details.code);
    expect(details.details.calls.map((c) => c.outcome)).toEqual(['answered', 'cancelled', 'declined']);
    expect(details.details.calls[0]).toMatchObject({ agentName: 'Ana Lima', endedBy: 'visitor', video: true });
    // The calls history, as the dashboard page reads it, only for the user's own sites.
    const mine = await w.server.services.calls.list({ siteIds: [w.site.id], visitorId: id, limit: 50 });
    expect(mine.map((c) => c.id)).toEqual([c3.call.callId, c2.call.callId, c1.call.callId]);
    expect(await w.server.services.calls.list({ siteIds: [w.eveSite.id], visitorId: id, limit: 50 })).toEqual([]);
    expect((await w.server.services.calls.list({ siteIds: [w.site.id], outcome: 'declined', visitorId: id, limit: 50 })).map((c) => c.id)).toEqual([c1.call.callId]);
  });

  it('fails a call accepted without camera or microphone and tells the agent why', async () => {
    const a = await w.agent(w.ana);
    const v = await w.visitor();
    const c = await w.startCall(a, v.auth.visitorId);
    if (!c.ok) throw new Error();
    const ended = nextEvent<CallEnd>(a, 'call:ended');
    const res = await ask(v.s, 'call:accept', { callId: c.call.callId, media: { audio: false, video: false }, problems: ['camera_denied', 'microphone_denied'] });
    expect(res.ok).toBe(false);
    expect(await ended).toMatchObject({ outcome: 'failed', reason: 'media_unavailable', by: 'visitor' });
  });

  it('pages through the history without skipping calls that started in the same millisecond', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const ids = ['a', 'b', 'c', 'd', 'e'].map((x) => `${x.repeat(8)}-0000-4000-8000-000000000000`);
    await w.database.db.insert(callTable).values(ids.map((id) => ({ id, siteId: w.site.id, visitorKey: 'same-ms-visitor', agentId: w.ana.userId, agentName: 'Ana Lima', video: true, startedAt: at })));
    const seen: string[] = [];
    let cursor: { before?: number; beforeId?: string } = {};
    for (let page = 0; page < 5 && seen.length < ids.length; page++) {
      const rows = await w.server.services.calls.list({ siteIds: [w.site.id], visitorId: 'same-ms-visitor', limit: 2, ...cursor });
      seen.push(...rows.map((r) => r.id));
      const last = rows.at(-1);
      if (!last) break;
      cursor = { before: last.startedAt, beforeId: last.id };
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('closes the records of calls a stopped server left open when it starts again', async () => {
    const now = new Date();
    await w.database.db.insert(callTable).values([
      { id: '11111111-1111-4111-8111-111111111111', siteId: w.site.id, visitorKey: 'visitor-left-open', agentId: w.ana.userId, agentName: 'Ana Lima', video: true, startedAt: now },
      { id: '22222222-2222-4222-8222-222222222222', siteId: w.site.id, visitorKey: 'visitor-left-open', agentId: w.ana.userId, agentName: 'Ana Lima', video: true, startedAt: now, answeredAt: now },
    ]);
    const again = await startTestServer(w.database);
    try {
      const rows = await w.server.services.calls.list({ siteIds: [w.site.id], visitorId: 'visitor-left-open', limit: 10 });
      expect(rows.map((r) => [r.outcome, r.reason, r.endedBy]).sort()).toEqual([['answered', 'interrupted', 'system'], ['failed', 'interrupted', 'system']]);
      expect(rows.every((r) => r.endedAt !== null)).toBe(true);
    } finally {
      await again.close();
    }
  });
});
