// Online / Away with real sockets: the widget's "who is online" and offline capture follow the
// agents' availability; Away is kept for the agent's other and later tabs; a tab hidden past the
// idle time stops counting while another tab in use keeps the agent online.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { AgentBrief, ChatMessage, ConversationSummary, VisitorChatInfo } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { ask, must, agentSocket, connected, handshake, nextEvent, signUp, sleep, startTestServer, visitorSocket, type Account, type VisitorSocket } from '../support/server';

const ORIGIN = 'https://shop.example';

describe.each(testDatabases())('availability ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let ana: Account;
  let site: { id: string; publicKey: string };
  let open: { disconnect(): void }[] = [];

  const dashboard = async (a: Account) => {
    const s = agentSocket(server.url, a.cookie);
    open.push(s);
    const first = nextEvent<{ away: boolean }>(s, 'agent:availability');
    await connected(s);
    const { away } = await first;
    await sleep(100); // joins its workspace rooms right after connecting
    return { s, away };
  };
  /** A visitor tab whose chat panel is open (it hears who is online). */
  const panel = async () => {
    const s = visitorSocket(server.url, { key: site.publicKey, origin: ORIGIN, auth: handshake() });
    open.push(s);
    await connected(s);
    const hello = await must(ask<{ chat: VisitorChatInfo }>(s, 'chat:hello', {}));
    return { s, agents: hello.chat.agents };
  };
  const agentsSeen = (v: VisitorSocket, pred: (a: AgentBrief[]) => boolean) => nextEvent<{ agents: AgentBrief[] }>(v, 'chat:agents', (p) => pred(p.agents), 5000);
  const names = (a: AgentBrief[]) => a.map((x) => x.name);

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
    ana = await signUp(server.url, 'Ana Lima');
    site = await server.services.sites.create(ana.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
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

  it('Away takes the agent off the widget and turns new messages into offline ones; Online brings them back', async () => {
    const desk = await dashboard(ana);
    expect(desk.away).toBe(false);
    const v = await panel();
    expect(names(v.agents)).toEqual(['Ana Lima']);

    const gone = agentsSeen(v.s, (a) => a.length === 0);
    expect(await must(ask<{ away: boolean }>(desk.s, 'agent:availability', { away: true }))).toMatchObject({ away: true });
    await gone;
    const { message } = await must(ask<{ message: ChatMessage }>(v.s, 'chat:send', { id: randomUUID(), text: 'Anyone there?', email: 'maya@example.com' }));
    const [c] = (await must(ask<{ conversations: ConversationSummary[] }>(desk.s, 'chat:list', { visitorId: (v.s.auth as { visitorId: string }).visitorId }))).conversations;
    expect(c).toMatchObject({ id: message.conversationId, offline: true });

    // The Team page says the same.
    const onTeamPage = async () => (await server.services.team.view(ana.userId))?.members.find((m) => m.userId === ana.userId)?.availability;
    expect(await onTeamPage()).toBe('away');

    const back = agentsSeen(v.s, (a) => a.length === 1);
    await must(ask(desk.s, 'agent:availability', { away: false }));
    expect(names((await back).agents)).toEqual(['Ana Lima']);
    expect(await onTeamPage()).toBe('online');
    desk.s.disconnect();
    await expect.poll(onTeamPage, { timeout: 5000 }).toBe('offline');
  });

  it('Away is kept: the agent’s other tab is told at once, and a tab opened later starts Away', async () => {
    const one = await dashboard(ana);
    const two = await dashboard(ana);
    const told = nextEvent<{ away: boolean }>(two.s, 'agent:availability', (p) => p.away);
    await must(ask(one.s, 'agent:availability', { away: true }));
    expect((await told).away).toBe(true);
    const later = await dashboard(ana);
    expect(later.away).toBe(true);
    expect(names((await panel()).agents)).toEqual([]);
    await must(ask(later.s, 'agent:availability', { away: false }));
  });

  it('a hidden (idle) tab stops counting, but another tab in use keeps the agent online; closing the last tab takes them offline', async () => {
    const front = await dashboard(ana);
    const back = await dashboard(ana);
    const v = await panel();
    expect(names(v.agents)).toEqual(['Ana Lima']);
    await must(ask(back.s, 'agent:availability', { idle: true }));
    await sleep(200);
    expect(names((await must(ask<{ chat: VisitorChatInfo }>(v.s, 'chat:hello', {}))).chat.agents)).toEqual(['Ana Lima']);

    const offline = agentsSeen(v.s, (a) => a.length === 0);
    await must(ask(front.s, 'agent:availability', { idle: true }));
    await offline;
    const online = agentsSeen(v.s, (a) => a.length === 1);
    await must(ask(front.s, 'agent:availability', { idle: false }));
    await online;

    const closed = agentsSeen(v.s, (a) => a.length === 0);
    front.s.disconnect();
    back.s.disconnect();
    await closed;
  });

  it('refuses a malformed availability change and changes nothing', async () => {
    const desk = await dashboard(ana);
    expect(await ask(desk.s, 'agent:availability', { away: 'yes' })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await ask(desk.s, 'agent:availability', { away: true, extra: 1 })).toMatchObject({ ok: false, code: 'bad_request' });
    expect(names((await panel()).agents)).toEqual(['Ana Lima']);
  });
});
