// The role matrix over the /agent namespace: every event of AgentClientEvents, tried as the
// owner, an admin and an agent of workspace W, as an outsider (who owns workspace X and sends W's
// ids) and as a stranger (no session). Members get their answers; the outsider is refused with
// not_found/forbidden and never hears any of W's data (not in an ack, not in any event pushed to
// their socket); the stranger's socket is refused before any event reaches a handler.
// The rows are in access-matrix-rows.ts, W and X in ../support/agent-access-fixture.ts; the
// handshake's own cases are in access-matrix-handshake.test.ts.
// Real server, real sockets, both databases.
import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { expectOk, MEMBERS, useAgentAccess } from '../support/agent-access-fixture';
import { testDatabases } from '../support/db';
import { ask, connected, sleep, type AgentSocket } from '../support/server';
import { conversation, EVENTS, MATRIX, OUTSIDER_TEXT, REFUSALS } from './access-matrix-rows';

describe.each(testDatabases())('access matrix over /agent ($name)', (kind) => {
  const access = useAgentAccess(kind);
  const { heardByOutsider, heardByVisitors, heardByColleague } = access;
  let cells = 0;

  /** Nothing of W in what the outsider got back. */
  const leaks = (x: unknown): string[] => {
    const text = JSON.stringify(x);
    return access.f.secrets.filter((s) => text.includes(s));
  };

  for (const member of MEMBERS) {
    for (const event of EVENTS) {
      it(`W's ${member} · ${event}`, async () => {
        await MATRIX[event].member(access.f, member);
        cells++;
      });
    }
  }

  for (const event of EVENTS) {
    it(`outsider · ${event} with W's ids`, async () => {
      const cell = MATRIX[event].outsider;
      const r = await ask(access.f.sockets.outsider, event, cell.payload(access.f));
      if (cell.expect === 'refused') expect(r.ok ? 'ok' : r.code).toSatisfy((c: string) => (REFUSALS as readonly string[]).includes(c));
      if (cell.expect === 'ok') expect(r.ok).toBe(true);
      if (cell.expect === 'no-data' && r.ok) expect(JSON.stringify(r)).not.toContain(access.f.conversationC);
      expect(leaks(r), 'W data in the answer').toEqual([]);
      cells++;
    });
  }

  it('outsider · nothing they tried reached W, and nothing of W reached them', async () => {
    // Their own site works: the refusals above are about W, not a broken account.
    expectOk(await ask(access.f.sockets.outsider, 'site:watch', { siteId: access.f.siteT.id }), 'outsider watches their own site');
    await sleep(200);
    // The conversation has no outsider line and keeps a member as assignee; the standing call
    // still runs; the visitors never heard of them.
    const c = expectOk(await conversation(access.f, 'owner'), 'owner chat:sync');
    expect(c.messages.map((m) => m.text)).not.toContain(OUTSIDER_TEXT);
    expect(c.conversation.status).toBe('open');
    expect(c.conversation.assignee?.id).not.toBe(access.f.accounts.outsider.userId);
    expect(await ask(access.f.sockets.owner, 'call:start', { siteId: access.f.siteS.id, visitorId: access.f.fixVisitorId, video: false })).toMatchObject({ ok: false, code: 'busy' });
    expect(JSON.stringify(heardByVisitors)).not.toContain(access.f.accounts.outsider.name);
    expect(JSON.stringify(heardByVisitors)).not.toContain(OUTSIDER_TEXT);
    // W's dashboards never saw the outsider on a visitor (collision faces) or in a thread.
    expect(JSON.stringify(heardByColleague)).not.toContain(access.f.accounts.outsider.userId);
    // Nothing of W was pushed to the outsider's socket while every cell ran (they do hear their own things).
    expect(heardByOutsider.length).toBeGreaterThan(0);
    expect(heardByOutsider.filter((e) => leaks(e).length > 0).map((e) => e.event)).toEqual([]);
  });

  for (const event of EVENTS) {
    it(`stranger · ${event}: the connection is refused, so the event is never delivered`, async () => {
      const s: AgentSocket = connect(`${access.f.server.url}/agent`, { transports: ['websocket'], extraHeaders: { origin: access.f.server.url }, reconnection: false, forceNew: true });
      access.track(s);
      // Emitted before the handshake: socket.io buffers it until connected, which never happens.
      let answered = false;
      (s as unknown as { emit(e: string, p: unknown, ack: () => void): void }).emit(event, MATRIX[event].stranger(access.f), () => (answered = true));
      await expect(connected(s)).rejects.toThrow('unauthorized');
      expect(s.connected).toBe(false);
      expect(answered).toBe(false);
      cells++;
    });
  }

  it('prints the size of the matrix', () => {
    const personas = MEMBERS.length + 2;
    // The 7 handshake cells run in access-matrix-handshake.test.ts, with their own server.
    console.log(`[access-matrix ${kind.name}] /agent: ${EVENTS.length} events × ${personas} personas = ${EVENTS.length * personas} cells; ${cells} passed`);
    expect(cells).toBe(EVENTS.length * personas);
  });
});
