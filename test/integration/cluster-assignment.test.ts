// Round-robin assignment across two Porchlight servers sharing one database and Redis: two agents
// online, each on a different process; new visitor conversations opened on either process go to
// them in turn, each assignee is told (chat:assigned) on their own socket on their own process,
// and an agent who chose Away on the other process is skipped.
// The database is a fresh PostgreSQL one when DATABASE_URL is set (two connections, as two
// processes would have); without it both servers share one in-memory PGlite.
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { AgentBrief, ChatMessage, ConversationSummary } from '../../server/protocol';
import { freshPostgres } from '../support/db';
import { agentSocket, ask, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket } from '../support/server';

const ORIGIN = 'https://shop.example';
type Assigned = { conversation: ConversationSummary; by: AgentBrief | null };

describe.skipIf(!process.env.REDIS_URL)('round-robin assignment across two processes (needs REDIS_URL)', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>> | null = null;
  const dbs: Database[] = [];
  const servers: Porchlight[] = [];
  const open: { disconnect(): void }[] = [];

  beforeAll(async () => {
    const env = { REDIS_URL: process.env.REDIS_URL!, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') };
    if (process.env.DATABASE_URL) {
      fresh = await freshPostgres(process.env.DATABASE_URL);
      for (let i = 0; i < 2; i++) dbs.push(await openDatabase({ url: fresh.url }));
    } else {
      const one = await openDatabase({});
      dbs.push(one, one);
    }
    for (const db of dbs) servers.push(await startTestServer(db, env));
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    for (const s of servers) await s.close();
    for (const d of new Set(dbs)) await d.close();
    await fresh?.drop();
  });

  it('new conversations from visitors on either process alternate between an agent on A and an agent on B; an Away agent is skipped', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Olive');
    const site = await a.services.sites.create(owner.userId, { name: 'Two Process Shop', allowedOrigins: [ORIGIN] });
    const workspaceId = (await a.services.team.workspaceOf(owner.userId))!.id;
    await a.services.assignment.setMode(workspaceId, 'round_robin');
    const join = async (name: string) => {
      const p = await signUp(a.url, name);
      const { link } = await a.services.team.invite(owner.userId, { email: p.email, role: 'agent' });
      await b.services.team.accept(p.userId, link.split('/invite/')[1]!);
      return p;
    };
    const ana = await join('Ana');
    const ben = await join('Ben');

    // Ana's dashboard is on A, Ben's on B; everything each is told is recorded.
    const told = new Map<string, Assigned[]>([[ana.userId, []], [ben.userId, []]]);
    const dashboard = async (server: Porchlight, who: Account) => {
      const s: AgentSocket = agentSocket(server.url, who.cookie);
      open.push(s);
      s.on('chat:assigned', (p) => told.get(who.userId)!.push(p));
      await connected(s);
      return s;
    };
    const onA = await dashboard(a, ana);
    const onB = await dashboard(b, ben);

    /** Who a visitor on `server` sees online (counts every process); waits until it is `names`. */
    const onlineBecomes = async (server: Porchlight, names: string[]) => {
      const v = visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: handshake() });
      open.push(v);
      await connected(v);
      let seen: string[] = [];
      for (let i = 0; i < 50; i++) {
        const hello = await ask<{ chat: { agents: AgentBrief[] } }>(v, 'chat:hello', {});
        if (!hello.ok) throw new Error(hello.code);
        seen = hello.chat.agents.map((x) => x.name).sort();
        if (JSON.stringify(seen) === JSON.stringify(names)) break;
        await sleep(100);
      }
      v.disconnect();
      expect(seen).toEqual(names);
    };
    await onlineBecomes(a, ['Ana', 'Ben']);
    await onlineBecomes(b, ['Ana', 'Ben']);

    /** A new visitor on `server` writes; resolves with who was told the conversation is theirs. */
    const newConversation = async (server: Porchlight): Promise<{ conversationId: string; to: string }> => {
      const v = visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: handshake() });
      open.push(v);
      await connected(v);
      const sent = await ask<{ message: ChatMessage }>(v, 'chat:send', { id: randomUUID(), text: 'Hello, anyone?' });
      if (!sent.ok) throw new Error(sent.code);
      const id = sent.message.conversationId;
      const mine = (p: Assigned) => p.conversation.id === id;
      // Whoever it went to hears it on their own socket, on their own process.
      const to = await Promise.race([nextEvent<Assigned>(onA, 'chat:assigned', mine, 5000).then(() => ana.userId), nextEvent<Assigned>(onB, 'chat:assigned', mine, 5000).then(() => ben.userId)]);
      return { conversationId: id, to };
    };

    const rounds: { via: string; to: string; conversationId: string }[] = [];
    for (const [via, server] of [['A', a], ['B', b], ['B', b], ['A', a]] as const) rounds.push({ via, ...(await newConversation(server)) });
    const name = (id: string) => (id === ana.userId ? 'Ana' : 'Ben');
    console.log(`[cluster-assignment] opened on ${rounds.map((r) => r.via).join(',')} -> assigned to ${rounds.map((r) => name(r.to)).join(',')}`);
    // In turn: never the same agent twice in a row, two each, wherever the visitor was.
    expect(rounds.filter((r, i) => i > 0 && r.to === rounds[i - 1]!.to)).toEqual([]);
    expect(rounds.map((r) => name(r.to)).sort()).toEqual(['Ana', 'Ana', 'Ben', 'Ben']);

    // Ben chooses Away on B; a visitor on either process now sees only Ana, and new
    // conversations opened on both processes all go to Ana.
    expect(await ask(onB, 'agent:availability', { away: true })).toMatchObject({ ok: true, away: true });
    await onlineBecomes(a, ['Ana']);
    for (const server of [a, b, a]) rounds.push({ via: server === a ? 'A' : 'B', ...(await newConversation(server)) });
    expect(rounds.slice(4).map((r) => name(r.to))).toEqual(['Ana', 'Ana', 'Ana']);

    // Each conversation was announced once, to its assignee only, by the rotation (by: null), and
    // the inbox agrees with what they were told.
    await sleep(200); // any stray announcement would have arrived by now
    for (const r of rounds) {
      const other = r.to === ana.userId ? ben.userId : ana.userId;
      expect(told.get(r.to)!.filter((p) => p.conversation.id === r.conversationId).map((p) => [p.by, p.conversation.assignee?.id])).toEqual([[null, r.to]]);
      expect(told.get(other)!.filter((p) => p.conversation.id === r.conversationId)).toEqual([]);
    }
    const inbox = await ask<{ conversations: ConversationSummary[] }>(onB, 'chat:list', { owner: 'mine', status: 'all' });
    if (!inbox.ok) throw new Error(inbox.code);
    expect(inbox.conversations.map((c) => c.id).sort()).toEqual(rounds.filter((r) => r.to === ben.userId).map((r) => r.conversationId).sort());
  });
});
