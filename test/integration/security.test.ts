// Attacks a real server the way a hostile page, visitor or tenant would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { PresenceDiff } from '../../server/protocol';
import { pageView, visitor as visitorTable } from '../../drizzle/schema';
import { testDatabases } from '../support/db';
import { agentSocket, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket } from '../support/server';

describe.each(testDatabases())('security ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let alice: Account; // workspace A
  let bob: Account; // workspace B
  let siteA: { id: string; publicKey: string };
  let siteB: { id: string; publicKey: string };
  const open: { disconnect(): void }[] = [];
  const track = <T extends { disconnect(): void }>(s: T) => (open.push(s), s);

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    alice = await signUp(server.url, 'Alice');
    bob = await signUp(server.url, 'Bob');
    siteA = await server.services.sites.create(alice.userId, { name: 'A', allowedOrigins: ['https://a.example'] });
    siteB = await server.services.sites.create(bob.userId, { name: 'B', allowedOrigins: ['https://b.example'] });
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  describe('visitor handshake', () => {
    for (const transport of ['websocket', 'polling'] as const) {
      it(`refuses an unknown site key (${transport})`, async () => {
        const s = track(visitorSocket(server.url, { key: 'pk_doesnotexist', origin: 'https://a.example', transports: [transport] }));
        await expect(connected(s)).rejects.toThrow();
        expect(s.connected).toBe(false);
      });

      it(`refuses a foreign Origin for a valid key (${transport})`, async () => {
        const s = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://evil.example', transports: [transport] }));
        await expect(connected(s)).rejects.toThrow();
        // The key of site B from site A's origin is refused too.
        const t = track(visitorSocket(server.url, { key: siteB.publicKey, origin: 'https://a.example', transports: [transport] }));
        await expect(connected(t)).rejects.toThrow();
      });

      it(`accepts the right key from an allowed origin (${transport})`, async () => {
        const s = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example', transports: [transport] }));
        await connected(s);
        expect(s.connected).toBe(true);
      });
    }

    it('refuses a handshake without a valid visitor payload', async () => {
      for (const auth of [{}, { ...handshake(), visitorId: '<script>' }, { ...handshake(), page: { url: 'javascript:alert(1)', title: 'x' } }, { ...handshake(), extra: 1 }]) {
        const s = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example', auth: auth as never }));
        await expect(connected(s)).rejects.toThrow('bad_request');
      }
    });
  });

  describe('tenancy', () => {
    it("an agent cannot watch another workspace's site, even by its id, and receives none of its diffs", async () => {
      const agentA = track(agentSocket(server.url, alice.cookie));
      await connected(agentA);
      expect(await agentA.emitWithAck('site:watch', { siteId: siteB.id })).toMatchObject({ ok: false, code: 'not_found' });
      expect(await agentA.emitWithAck('site:watch', { siteId: siteA.id })).toMatchObject({ ok: true });
      const received: PresenceDiff[] = [];
      agentA.on('presence:diff', (d) => received.push(d));

      const hs = handshake();
      const agentB = track(agentSocket(server.url, bob.cookie));
      await connected(agentB);
      await agentB.emitWithAck('site:watch', { siteId: siteB.id });
      const bSees = nextEvent<PresenceDiff>(agentB, 'presence:diff', (d) => d.upserts.some((u) => u.id === hs.visitorId));
      const v = track(visitorSocket(server.url, { key: siteB.publicKey, origin: 'https://b.example', auth: hs }));
      await connected(v);
      await bSees; // B's own dashboard saw it, so the diff was sent
      await sleep(200);
      expect(received.filter((d) => d.siteId === siteB.id)).toEqual([]);
      expect(JSON.stringify(received)).not.toContain(hs.visitorId);
      expect(await agentA.emitWithAck('visitor:details', { siteId: siteB.id, visitorId: hs.visitorId })).toMatchObject({ ok: false, code: 'not_found' });
    });

    it('an agent socket without a session is refused', async () => {
      const anon = track(agentSocket(server.url, ''));
      await expect(connected(anon)).rejects.toThrow();
      const forged = track(agentSocket(server.url, 'better-auth.session_token=forged.token'));
      await expect(connected(forged)).rejects.toThrow();
    });

    it("a page on another origin cannot ride an agent's cookie into the agent namespace", async () => {
      const hijack = track(agentSocket(server.url, alice.cookie, 'https://a.example'));
      await expect(connected(hijack)).rejects.toThrow();
    });

    it('a visitor socket cannot reach agent events or rooms', async () => {
      const v = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example' }));
      await connected(v);
      const raw = v as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } };
      // No such handler on /visitor: the call goes unanswered rather than leaking anything.
      await expect(raw.timeout(300).emitWithAck('site:watch', { siteId: siteA.id })).rejects.toThrow();
      // Nor the agents' chat events (the inbox, another conversation, closing or starting chats).
      for (const [event, payload] of [
        ['chat:list', {}],
        ['chat:start', { siteId: siteA.id, visitorId: 'someone-else-123' }],
        ['chat:close', { conversationId: '00000000-0000-4000-8000-000000000000' }],
      ] as const) {
        await expect(raw.timeout(300).emitWithAck(event, payload), event).rejects.toThrow();
      }
      // A visitor connection (site key, visitor origin) asking for /agent is refused.
      const sneaky = track(
        connect(`${server.url}/agent`, { query: { k: siteA.publicKey }, transports: ['websocket'], extraHeaders: { origin: 'https://a.example' }, reconnection: false, forceNew: true }),
      );
      await expect(connected(sneaky)).rejects.toThrow();
    });
  });

  describe('bad input', () => {
    it('rejects malformed and oversized payloads with a clear code, changes nothing, and keeps serving others', async () => {
      const agent: AgentSocket = track(agentSocket(server.url, alice.cookie));
      await connected(agent);
      await agent.emitWithAck('site:watch', { siteId: siteA.id });
      const hs = handshake();
      const v = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example', auth: hs }));
      await connected(v);
      await server.history.flush();
      const before = server.services.presence.snapshot(siteA.id).find((x) => x.id === hs.visitorId)!;
      const rowsBefore = (await database.db.select().from(pageView)).length;

      const bad: unknown[] = [
        null,
        'string',
        42,
        [],
        { url: 'https://a.example/x' }, // no title
        { url: 'ftp://a.example/x', title: 't' },
        { url: 'https://a.example/' + 'x'.repeat(3000), title: 't' },
        { url: 'https://a.example/x', title: 'x'.repeat(301) },
        { url: 'https://a.example/x', title: 't', siteId: siteB.id }, // unknown keys are refused, not ignored
        JSON.parse('{"__proto__":{"polluted":true},"url":"https://a.example/x","title":"t"}'),
      ];
      for (const p of bad) {
        const res = await v.emitWithAck('visitor:page', p as never);
        expect(res).toMatchObject({ ok: false, code: 'bad_request' });
      }
      expect(await v.emitWithAck('visitor:state', { state: 'asleep' } as never)).toMatchObject({ ok: false, code: 'bad_request' });
      expect(await v.emitWithAck('visitor:identify', { attributes: { nested: { a: 1 } } } as never)).toMatchObject({ ok: false, code: 'bad_request' });
      expect(await v.emitWithAck('visitor:identify', { name: 'n'.repeat(201) })).toMatchObject({ ok: false, code: 'bad_request' });
      expect(await agent.emitWithAck('site:watch', { siteId: 'not-a-uuid' })).toMatchObject({ ok: false, code: 'bad_request' });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      await server.history.flush();
      expect(server.services.presence.snapshot(siteA.id).find((x) => x.id === hs.visitorId)).toEqual(before);
      expect((await database.db.select().from(pageView)).length).toBe(rowsBefore);

      // A message over the size cap drops that socket only.
      const big = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example' }));
      await connected(big);
      const dropped = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
      big.emit('visitor:page', { url: 'https://a.example/', title: 'x'.repeat(200_000) });
      expect(await dropped).toMatch(/transport (close|error)/);

      // Everyone else is still served.
      const moved = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === hs.visitorId && u.page.path === '/after'));
      expect(await v.emitWithAck('visitor:page', { url: 'https://a.example/after', title: 'After' })).toEqual({ ok: true });
      await moved;
    });

    it('rate-limits a flooding visitor without affecting others', async () => {
      const v = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example' }));
      await connected(v);
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => v.emitWithAck('visitor:page', { url: `https://a.example/p${i}`, title: 'p' })));
      expect(results.filter((r) => !r.ok && r.code === 'rate_limited').length).toBeGreaterThan(0);
      const other = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example' }));
      await connected(other);
      expect(await other.emitWithAck('visitor:page', { url: 'https://a.example/fine', title: 'Fine' })).toEqual({ ok: true });
    });

    it('a visitor can only change its own presence: ids in payloads are not honored', async () => {
      const victim = handshake();
      const vv = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example', auth: victim }));
      await connected(vv);
      const attacker = track(visitorSocket(server.url, { key: siteA.publicKey, origin: 'https://a.example' }));
      await connected(attacker);
      const res = await attacker.emitWithAck('visitor:identify', { name: 'x', visitorId: victim.visitorId } as never);
      expect(res).toMatchObject({ ok: false, code: 'bad_request' });
      await attacker.emitWithAck('visitor:identify', { name: 'Mallory' });
      await server.history.flush();
      expect(server.services.presence.snapshot(siteA.id).find((x) => x.id === victim.visitorId)!.identity.name).toBeUndefined();
      const rows = await database.db.select().from(visitorTable);
      expect(rows.find((r) => r.visitorKey === victim.visitorId)?.name ?? null).toBeNull();
    });
  });
});
