// Two Porchlight processes sharing PostgreSQL and Redis: a visitor on one is seen by a
// dashboard on the other, both in the snapshot and as live diffs.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { CallEnd, CallInvite, CallSignal, ChatMessage, ConversationSummary, PresenceDiff } from '../../server/protocol';
import { workspaceMember } from '../../drizzle/schema';
import { freshPostgres } from '../support/db';
import { agentSocket, connected, handshake, nextEvent, signUp, startTestServer, visitorSocket, type AgentSocket } from '../support/server';

const ready = !!process.env.REDIS_URL && !!process.env.DATABASE_URL;

describe.skipIf(!ready)('two processes over Redis and PostgreSQL', () => {
  let fresh: Awaited<ReturnType<typeof freshPostgres>>;
  const dbs: Database[] = [];
  const servers: Porchlight[] = [];
  const sockets: { disconnect(): void }[] = [];

  beforeAll(async () => {
    fresh = await freshPostgres(process.env.DATABASE_URL!);
    const env = { REDIS_URL: process.env.REDIS_URL!, BETTER_AUTH_SECRET: randomBytes(32).toString('hex') };
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase({ url: fresh.url });
      dbs.push(db);
      servers.push(await startTestServer(db, env));
    }
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const s of servers) await s.close();
    for (const d of dbs) await d.close();
    await fresh?.drop();
  });

  it('a dashboard on process B sees visitors connected to process A', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });

    const early = handshake();
    const v1 = visitorSocket(a.url, { key: site.publicKey, auth: early });
    sockets.push(v1);
    await connected(v1);

    const agent: AgentSocket = agentSocket(b.url, owner.cookie); // session made on A, checked by B
    sockets.push(agent);
    await connected(agent);
    const snap = await agent.emitWithAck('site:watch', { siteId: site.id });
    if (!snap.ok) throw new Error(snap.code);
    expect(snap.visitors.map((v) => v.id)).toContain(early.visitorId);

    const late = handshake();
    const seen = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === late.visitorId));
    const v2 = visitorSocket(a.url, { key: site.publicKey, auth: late });
    sockets.push(v2);
    await connected(v2);
    await seen;
  });

  it('a call between a dashboard on process B and a visitor on process A works like on one process', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Ana Lima');
    const colleague = await signUp(a.url, 'Ben');
    const site = await a.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    const ws = await a.services.sites.workspaceOf(owner.userId);
    await dbs[0]!.db.insert(workspaceMember).values({ workspaceId: ws!.id, userId: colleague.userId, role: 'agent' });
    const track = <T extends { disconnect(): void }>(x: T) => (sockets.push(x), x);

    const auth = handshake();
    const visitor = track(visitorSocket(a.url, { key: site.publicKey, auth }));
    await connected(visitor);
    const agent: AgentSocket = track(agentSocket(b.url, owner.cookie));
    await connected(agent);
    const watch = await agent.emitWithAck('site:watch', { siteId: site.id });
    expect(watch.ok).toBe(true);

    const ringing = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.call?.phase === 'ringing'));
    const invited = nextEvent<CallInvite>(visitor, 'call:invite');
    const started = await agent.emitWithAck('call:start', { siteId: site.id, visitorId: auth.visitorId, video: true });
    if (!started.ok) throw new Error(started.code);
    const callId = started.call.callId;
    expect((await invited).agent.name).toBe('Ana Lima');
    await ringing; // the visitor's row lives on A, the call on B

    // A colleague on process A is told the visitor is busy.
    const ben: AgentSocket = track(agentSocket(a.url, colleague.cookie, a.url, ws!.id));
    await connected(ben);
    expect(await ben.emitWithAck('call:start', { siteId: site.id, visitorId: auth.visitorId, video: true })).toMatchObject({ ok: false, code: 'busy' });

    const accepted = nextEvent<{ callId: string }>(agent, 'call:accepted');
    const acc = await visitor.emitWithAck('call:accept', { callId, media: { audio: true, video: true } });
    if (!acc.ok) throw new Error(acc.code);
    expect((await accepted).callId).toBe(callId);

    const toAgent = nextEvent<CallSignal>(agent, 'call:signal');
    const toVisitor = nextEvent<CallSignal>(visitor, 'call:signal');
    expect((await visitor.emitWithAck('call:signal', { callId, data: '{"type":"offer","sdp":"v=0\\r\\n"}' })).ok).toBe(true);
    expect((await agent.emitWithAck('call:signal', { callId, data: '{"type":"answer"} ☎' })).ok).toBe(true);
    expect((await toAgent).data).toBe('{"type":"offer","sdp":"v=0\\r\\n"}');
    expect((await toVisitor).data).toBe('{"type":"answer"} ☎');
    // Ben, on the visitor's process, cannot signal into it.
    expect(await ben.emitWithAck('call:signal', { callId, data: 'x' })).toMatchObject({ ok: false, code: 'forbidden' });

    // The visitor navigates: the next page (on process B this time) takes the call over.
    expect((await visitor.emitWithAck('call:navigating', { callId })).ok).toBe(true);
    const away = nextEvent(agent, 'call:away');
    visitor.disconnect();
    await away;
    const next = track(visitorSocket(b.url, { key: site.publicKey, auth: { ...auth, page: { url: 'https://shop.example/pricing', title: 'Pricing' } } }));
    const ongoing = nextEvent<{ callId: string }>(next, 'call:ongoing');
    await connected(next);
    expect((await ongoing).callId).toBe(callId);
    const rejoined = nextEvent<{ callId: string }>(agent, 'call:rejoined');
    expect((await next.emitWithAck('call:rejoin', { callId, resumeToken: acc.resumeToken, media: { audio: true, video: false } })).ok).toBe(true);
    await rejoined;

    const ended = nextEvent<CallEnd>(agent, 'call:ended');
    const cleared = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.call === null));
    expect((await next.emitWithAck('call:hangup', { callId })).ok).toBe(true);
    expect(await ended).toMatchObject({ callId, outcome: 'answered', reason: 'hangup', by: 'visitor' });
    await cleared;
    // Free again for anyone.
    const again = await ben.emitWithAck('call:start', { siteId: site.id, visitorId: auth.visitorId, video: false });
    expect(again.ok).toBe(true);
    if (again.ok) await ben.emitWithAck('call:cancel', { callId: again.call.callId });
  });

  it('two agents on two processes clicking Call on the same visitor at the same instant: one rings, the other is told busy', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Owner Two');
    const colleague = await signUp(a.url, 'Colleague Two');
    const site = await a.services.sites.create(owner.userId, { name: 'Shop Two', allowedOrigins: ['https://shop.example'] });
    const ws = await a.services.sites.workspaceOf(owner.userId);
    await dbs[0]!.db.insert(workspaceMember).values({ workspaceId: ws!.id, userId: colleague.userId, role: 'agent' });
    const track = <T extends { disconnect(): void }>(x: T) => (sockets.push(x), x);
    for (let round = 0; round < 5; round++) {
      const auth = handshake();
      const visitor = track(visitorSocket(a.url, { key: site.publicKey, auth }));
      await connected(visitor);
      const onA: AgentSocket = track(agentSocket(a.url, owner.cookie));
      const onB: AgentSocket = track(agentSocket(b.url, colleague.cookie, b.url, ws!.id));
      await Promise.all([connected(onA), connected(onB)]);
      let invites = 0;
      visitor.on('call:invite', () => invites++);
      const results = await Promise.all([onA, onB].map((s) => s.emitWithAck('call:start', { siteId: site.id, visitorId: auth.visitorId, video: true })));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, code: 'busy' });
      // The winner may be on the other process: its invite crosses Redis.
      const deadline = Date.now() + 3000;
      while (invites === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 200)); // room for a second invite, if one were sent
      expect(invites).toBe(1);
      for (const s of [onA, onB, visitor]) s.disconnect();
    }
  });

  it('chat across processes: a visitor on A and agents on B talk live, the row on A shows it, who is online counts both processes, and a visitor back on B replays what they missed', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Chat Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Chat Shop', allowedOrigins: ['https://shop.example'] });
    const track = <T extends { disconnect(): void }>(x: T) => (sockets.push(x), x);
    const auth = handshake();
    const visitor = track(visitorSocket(a.url, { key: site.publicKey, auth }));
    const token = nextEvent<{ token: string }>(visitor, 'visitor:token');
    await connected(visitor);
    const agent: AgentSocket = track(agentSocket(b.url, owner.cookie));
    await connected(agent);
    await new Promise((r) => setTimeout(r, 150)); // the agent joins its workspace room
    expect(await agent.emitWithAck('site:watch', { siteId: site.id })).toMatchObject({ ok: true });

    // The agent connected to B counts as online for the visitor on A.
    const hello = await visitor.emitWithAck('chat:hello', {});
    if (!hello.ok) throw new Error(hello.code);
    expect(hello.chat.agents.map((x) => x.name)).toEqual(['Chat Owner']);

    const atAgent = nextEvent<{ message: ChatMessage; conversation: ConversationSummary }>(agent, 'chat:message');
    const row = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.chat?.unread === 1));
    const sent = await visitor.emitWithAck('chat:send', { id: 'cluster-msg-1', text: 'hello from A' });
    if (!sent.ok) throw new Error(sent.code);
    const got = await atAgent;
    expect(got.message).toEqual(sent.message);
    await row; // the visitor's row lives on A; the chat state reached it from B's process too

    const reply = nextEvent<ChatMessage>(visitor, 'chat:message', (m) => m.from === 'agent');
    const r = await agent.emitWithAck('chat:send', { conversationId: got.conversation.id, id: 'cluster-msg-2', text: 'hello from B' });
    expect(r.ok).toBe(true);
    expect((await reply).text).toBe('hello from B');
    const assigned = nextEvent<PresenceDiff>(agent, 'presence:diff', (d) => d.upserts.some((u) => u.id === auth.visitorId && u.chat?.assigneeName === 'Chat Owner'));
    await assigned;

    // The visitor goes away; the agent writes; the visitor's next page lands on B and replays.
    visitor.disconnect();
    expect((await agent.emitWithAck('chat:send', { conversationId: got.conversation.id, id: 'cluster-msg-3', text: 'are you still there?' })).ok).toBe(true);
    const back = track(visitorSocket(b.url, { key: site.publicKey, auth: { ...auth, token: (await token).token } }));
    await connected(back);
    const page = await back.emitWithAck('chat:sync', { after: 2 });
    if (!page.ok) throw new Error(page.code);
    expect(page.messages.map((m) => [m.seq, m.text])).toEqual([[3, 'are you still there?']]);
  });

  it('access ends across processes: a member removed through process A loses the dashboard open on process B at once', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Team Owner');
    const ana = await signUp(a.url, 'Ana Agent');
    const { link } = await a.services.team.invite(owner.userId, { email: ana.email, role: 'agent' });
    await a.services.team.accept(ana.userId, link.split('/invite/')[1]!);
    const site = await a.services.sites.create(owner.userId, { name: 'Team Shop', allowedOrigins: ['https://shop.example'] });
    const dashboard: AgentSocket = agentSocket(b.url, ana.cookie);
    sockets.push(dashboard);
    await connected(dashboard);
    expect(await dashboard.emitWithAck('site:watch', { siteId: site.id })).toMatchObject({ ok: true });
    const closed = new Promise<string>((resolve) => dashboard.once('disconnect', resolve));
    await a.services.team.remove(owner.userId, ana.userId);
    expect(await closed).toBe('io server disconnect');
    // Back in through B, the site is no longer theirs.
    const again: AgentSocket = agentSocket(b.url, ana.cookie);
    sockets.push(again);
    await connected(again);
    expect(await again.emitWithAck('site:watch', { siteId: site.id })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('Away chosen in a tab on process A reaches the agent’s tab on B and a visitor’s panel on B', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Away Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Away Shop', allowedOrigins: ['https://shop.example'] });
    const onA: AgentSocket = agentSocket(a.url, owner.cookie);
    const onB: AgentSocket = agentSocket(b.url, owner.cookie);
    sockets.push(onA, onB);
    await Promise.all([connected(onA), connected(onB)]);
    await new Promise((r) => setTimeout(r, 150)); // both join their workspace rooms
    const visitor = visitorSocket(b.url, { key: site.publicKey, auth: handshake() });
    sockets.push(visitor);
    await connected(visitor);
    const hello = await visitor.emitWithAck('chat:hello', {});
    if (!hello.ok) throw new Error(hello.code);
    expect(hello.chat.agents.map((x) => x.name)).toEqual(['Away Owner']);

    const otherTab = nextEvent<{ away: boolean }>(onB, 'agent:availability', (p) => p.away);
    const panel = nextEvent<{ agents: unknown[] }>(visitor, 'chat:agents', (p) => p.agents.length === 0, 5000);
    expect(await onA.emitWithAck('agent:availability', { away: true })).toMatchObject({ ok: true, away: true });
    expect((await otherTab).away).toBe(true);
    await panel;
    // The choice is stored: a new tab on B starts Away.
    const later: AgentSocket = agentSocket(b.url, owner.cookie);
    sockets.push(later);
    const first = nextEvent<{ away: boolean }>(later, 'agent:availability');
    await connected(later);
    expect((await first).away).toBe(true);
  });

  it('collision on the row across processes: a colleague opening a visitor on B shows on the owner’s table on A, in the snapshot too', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Row Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Row Shop', allowedOrigins: ['https://shop.example'] });
    const ana = await signUp(b.url, 'Ana Cluster');
    const { link } = await a.services.team.invite(owner.userId, { email: ana.email, role: 'agent' });
    await a.services.team.accept(ana.userId, link.split('/invite/')[1]!);
    const auth = handshake();
    const visitor = visitorSocket(a.url, { key: site.publicKey, auth });
    const onA: AgentSocket = agentSocket(a.url, owner.cookie);
    const onB: AgentSocket = agentSocket(b.url, ana.cookie);
    sockets.push(visitor, onA, onB);
    await Promise.all([connected(visitor), connected(onA), connected(onB)]);
    expect(await onA.emitWithAck('site:watch', { siteId: site.id })).toMatchObject({ ok: true });

    type Update = { siteId: string; visitorId: string; agents: { name: string; doing: string }[] };
    const seen = nextEvent<Update>(onA, 'visitor:attention', (u) => u.visitorId === auth.visitorId && u.agents.length === 1, 5000);
    expect(await onB.emitWithAck('visitor:focus', { doing: 'chatting', visitor: { siteId: site.id, visitorId: auth.visitorId } })).toMatchObject({ ok: true });
    expect((await seen).agents.map((x) => [x.name, x.doing])).toEqual([['Ana Cluster', 'chatting']]);

    // A dashboard opening later on A gets it from B in its snapshot.
    const later: AgentSocket = agentSocket(a.url, owner.cookie);
    sockets.push(later);
    await connected(later);
    const snap = await later.emitWithAck('site:watch', { siteId: site.id });
    if (!snap.ok) throw new Error(snap.code);
    expect(snap.attention.find((x) => x.visitorId === auth.visitorId)?.agents.map((x) => x.name)).toEqual(['Ana Cluster']);

    // Ana's tab on B closes: the face leaves A's table.
    const gone = nextEvent<Update>(onA, 'visitor:attention', (u) => u.visitorId === auth.visitorId && u.agents.length === 0, 5000);
    onB.disconnect();
    await gone;
  });

  it('a workspace deleted through A: its visitors on B are closed and its key is refused on B at once, not after B’s key cache expires', async () => {
    const [a, b] = servers as [Porchlight, Porchlight];
    const owner = await signUp(a.url, 'Gone Owner');
    const site = await a.services.sites.create(owner.userId, { name: 'Gone Shop', allowedOrigins: ['https://shop.example'] });
    const ws = (await a.services.team.workspaceOf(owner.userId))!;
    const onB = visitorSocket(b.url, { key: site.publicKey, auth: handshake() }); // B caches the key
    sockets.push(onB);
    await connected(onB);
    const closed = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    await a.services.team.deleteWorkspace(owner.userId, ws.id, ws.name);
    expect(await closed).toBe('io server disconnect');
    await new Promise((r) => setTimeout(r, 200)); // the forget message crosses Redis
    const again = visitorSocket(b.url, { key: site.publicKey, auth: handshake() });
    sockets.push(again);
    await expect(connected(again)).rejects.toThrow();
  });
});
