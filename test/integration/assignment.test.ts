// Assignment with real sockets, both databases: round-robin gives new visitor conversations to
// the online agents in turn (an Away agent is skipped); "first to reply" leaves them waiting; any
// agent takes one over or hands it to a colleague, who is told on their dashboard; a stranger
// cannot.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { Assignee, ChatMessage, ConversationSummary } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { ask, must, agentSocket, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type AgentSocket } from '../support/server';

const ORIGIN = 'https://shop.example';

describe.each(testDatabases())('assignment ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let owner: Account;
  let ana: Account;
  let ben: Account;
  let eve: Account;
  let site: { id: string; publicKey: string };
  let workspaceId: string;
  let open: { disconnect(): void }[] = [];

  const dashboard = async (a: Account) => {
    const s = agentSocket(server.url, a.cookie);
    open.push(s);
    await connected(s);
    await sleep(100); // joins its workspace rooms right after connecting
    return s;
  };
  /**
   * A new visitor writes their first message; resolves with the conversation as an agent sees it:
   * once assigned when `assigned` (the rotation runs after the conversation opens, unawaited), or
   * a moment later otherwise.
   */
  const newConversation = async (watcher: AgentSocket, { assigned = false } = {}) => {
    const v = visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: handshake() });
    open.push(v);
    await connected(v);
    const { message } = await must(ask<{ message: ChatMessage }>(v, 'chat:send', { id: randomUUID(), text: 'Hello?' }));
    const read = async () => (await must(ask<{ conversations: ConversationSummary[] }>(watcher, 'chat:list', { status: 'open' }))).conversations.find((x) => x.id === message.conversationId)!;
    if (!assigned) {
      await sleep(300);
      return read();
    }
    const deadline = Date.now() + 5000;
    for (;;) {
      const c = await read();
      if (c.assignee || Date.now() > deadline) return c;
      await sleep(100);
    }
  };
  const join = async (name: string) => {
    const a = await signUp(server.url, name);
    const { link } = await server.services.team.invite(owner.userId, { email: a.email, role: 'agent' });
    await server.services.team.accept(a.userId, link.split('/invite/')[1]!);
    return a;
  };

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    owner = await signUp(server.url, 'Olive');
    site = await server.services.sites.create(owner.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
    workspaceId = (await server.services.team.workspaceOf(owner.userId))!.id;
    ana = await join('Ana');
    ben = await join('Ben');
    eve = await signUp(server.url, 'Eve'); // another workspace
  });
  afterEach(async () => {
    for (const s of open) s.disconnect();
    open = [];
    await sleep(50);
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('first to reply (the default): a new conversation waits unassigned', async () => {
    const a = await dashboard(ana);
    expect((await newConversation(a)).assignee).toBeNull();
  });

  it('round-robin: new conversations go to the online agents in turn; an Away agent is skipped', async () => {
    await server.services.assignment.setMode(workspaceId, 'round_robin');
    const a = await dashboard(ana);
    const b = await dashboard(ben);
    const got: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) got.push((await newConversation(a, { assigned: true })).assignee?.name);
    // Each in turn: never the same agent twice in a row, both twice.
    expect(got.filter((n, i) => i > 0 && n === got[i - 1])).toEqual([]);
    expect([...got].sort()).toEqual(['Ana', 'Ana', 'Ben', 'Ben']);
    await must(ask(b, 'agent:availability', { away: true }));
    await sleep(100);
    for (let i = 0; i < 2; i++) expect((await newConversation(a, { assigned: true })).assignee?.name).toBe('Ana');
    await must(ask(b, 'agent:availability', { away: false }));
    await server.services.assignment.setMode(workspaceId, 'first_reply');
  });

  it('an agent hands a conversation to a colleague, who is told on their dashboard; taking it back works too', async () => {
    const a = await dashboard(ana);
    const b = await dashboard(ben);
    const c = await newConversation(a);
    const members = (await must(ask<{ agents: Assignee[] }>(a, 'chat:assignees', { conversationId: c.id }))).agents;
    expect(members.map((m) => [m.name, m.online])).toEqual([['Ana', true], ['Ben', true], ['Olive', false]]);

    const told = nextEvent<{ conversation: ConversationSummary; by: { name: string } | null }>(b, 'chat:assigned');
    const everyone = nextEvent<{ conversation: ConversationSummary }>(a, 'chat:conversation', (p) => p.conversation.id === c.id);
    const r = await must(ask<{ conversation: ConversationSummary }>(a, 'chat:assign', { conversationId: c.id, to: ben.userId }));
    expect(r.conversation.assignee?.name).toBe('Ben');
    expect((await told).by?.name).toBe('Ana');
    expect((await everyone).conversation.assignee?.name).toBe('Ben');

    // Ana takes it over again; Ben's inbox "mine" no longer has it.
    await must(ask(a, 'chat:assign', { conversationId: c.id, to: ana.userId }));
    const mine = (await must(ask<{ conversations: ConversationSummary[] }>(b, 'chat:list', { owner: 'mine' }))).conversations;
    expect(mine.map((x) => x.id)).not.toContain(c.id);
  });

  it('refuses handing to someone outside the workspace, and a stranger cannot assign or list', async () => {
    const a = await dashboard(ana);
    const c = await newConversation(a);
    expect(await ask(a, 'chat:assign', { conversationId: c.id, to: eve.userId })).toMatchObject({ ok: false, code: 'not_found' });
    const e = await dashboard(eve);
    expect(await ask(e, 'chat:assign', { conversationId: c.id, to: eve.userId })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await ask(e, 'chat:assignees', { conversationId: c.id })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await ask(a, 'chat:assign', { conversationId: c.id, to: 'x'.repeat(101) })).toMatchObject({ ok: false, code: 'bad_request' });
    const [after] = (await must(ask<{ conversations: ConversationSummary[] }>(a, 'chat:list', {}))).conversations.filter((x) => x.id === c.id);
    expect(after!.assignee).toBeNull();
  });
});
