// Chaos: thousands of chat messages in both directions while both sides' connections are
// dropped at random, and once while the server restarts. Each side follows the delivery rules
// the widget and the dashboard follow (an outbox resent with the same ids after every
// reconnect; on every connect and on every gap, a replay after the last seq held). Afterwards
// both sides must hold exactly the messages that were sent, once each, in one order, each
// sender's own in the order they were written. The counts are printed (see the README).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { emptyThread, mergeMessages, type Thread } from '../../server/chat/thread';
import type { Ack, ChatMessage, ChatPage } from '../../server/protocol';
import { testDatabases } from '../support/db';
import { handshake, signUp, sleep, startTestServer, type Account } from '../support/server';

const PER_SIDE = Number(process.env.CHAOS_MESSAGES ?? 1000);
const ORIGIN = 'https://shop.example';
const LIMITS = { CHAT_VISITOR_MESSAGES_PER_MINUTE: '100000', CHAT_AGENT_EVENTS_PER_SECOND: '100000' };
// The restarted server must know the sessions and visitor tokens of the first: one secret.
const SECRET = randomBytes(32).toString('hex');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** One side of a conversation, as a client that follows the delivery rules. */
class Side {
  thread: Thread = emptyThread;
  readonly outbox: { id: string; text: string }[] = [];
  readonly sent: string[] = [];
  sending = false;
  syncing = false;
  drops = 0;
  acksLost = 0;

  constructor(
    readonly name: string,
    readonly socket: Socket,
    private readonly sendOne: (m: { id: string; text: string }) => Promise<Ack<{ message: ChatMessage }>>,
    private readonly syncAfter: (after: number) => Promise<Ack<ChatPage>>,
  ) {
    socket.on('connect', () => void this.sync().then(() => this.pump()));
  }

  receive(m: ChatMessage): void {
    this.thread = mergeMessages(this.thread, [m]);
    if (this.thread.gap) void this.sync();
  }

  write(text: string): void {
    const m = { id: `${this.name}-${this.sent.length}-${randomBytes(4).toString('hex')}`, text };
    this.sent.push(m.id);
    this.outbox.push(m);
    void this.pump();
  }

  /** Replays everything after the last seq held (repeating while the server says there is more). */
  async sync(): Promise<void> {
    if (this.syncing || !this.socket.connected) return;
    this.syncing = true;
    try {
      for (;;) {
        const r = await this.syncAfter(this.thread.lastSeq).catch(() => null);
        if (!r || !r.ok) return;
        this.thread = mergeMessages(this.thread, r.messages);
        if (!r.more) return;
      }
    } finally {
      this.syncing = false;
    }
  }

  /** Sends the outbox one message at a time (so a sender's own messages keep their order). */
  async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outbox.length && this.socket.connected) {
        const m = this.outbox[0]!;
        const r = await this.sendOne(m).catch(() => null);
        if (!r || !r.ok) {
          // No ack (the connection dropped, or the server restarted): it goes again, same id.
          this.acksLost++;
          await sleep(20);
          continue;
        }
        this.receive(r.message);
        this.outbox.shift();
      }
    } finally {
      this.sending = false;
    }
  }
}

const emitWithAck = <T extends object>(s: Socket, event: string, payload: unknown) => s.timeout(3000).emitWithAck(event, payload) as Promise<Ack<T>>;

describe.each(testDatabases())('chat under chaos ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  let port: number;
  let ana: Account;
  let site: { publicKey: string };
  const sockets: Socket[] = [];

  const start = async () => {
    server = await startTestServer(database, { ...LIMITS, PORT: String(port), BETTER_AUTH_SECRET: SECRET });
  };

  beforeAll(async () => {
    database = await kind.open();
    port = await freePort();
    await start();
    ana = await signUp(server.url, 'Ana Lima');
    site = await server.services.sites.create(ana.userId, { name: 'Lumen Lamps', allowedOrigins: [ORIGIN] });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it(`${PER_SIDE} messages each way, random drops on both sides and a server restart: nothing lost, nothing twice, one order`, { timeout: 240_000 }, async () => {
    const url = `http://127.0.0.1:${port}`;
    const auth = handshake();
    let token: string | undefined;
    const reconnecting = { reconnection: true, reconnectionDelay: 30, reconnectionDelayMax: 300, randomizationFactor: 0.5, transports: ['websocket'], forceNew: true };
    const vs = io(`${url}/visitor`, { ...reconnecting, query: { k: site.publicKey }, auth: (cb) => cb({ ...auth, ...(token ? { token } : {}) }), extraHeaders: { origin: ORIGIN } });
    const as = io(`${url}/agent`, { ...reconnecting, extraHeaders: { cookie: ana.cookie, origin: url } });
    sockets.push(vs, as);
    vs.on('visitor:token', (p: { token: string }) => (token ??= p.token));
    await Promise.all([new Promise<void>((r) => vs.once('connect', () => r())), new Promise<void>((r) => as.once('connect', () => r()))]);

    // The visitor opens the conversation; the agent side follows that one conversation.
    const first = await emitWithAck<{ message: ChatMessage }>(vs, 'chat:send', { id: `visitor-open-${randomBytes(4).toString('hex')}`, text: 'hello' });
    if (!first.ok) throw new Error(first.code);
    const conversationId = first.message.conversationId;

    const visitor = new Side('visitor', vs, (m) => emitWithAck(vs, 'chat:send', m), (after) => emitWithAck(vs, 'chat:sync', { after }));
    const agent = new Side('agent', as, (m) => emitWithAck(as, 'chat:send', { conversationId, ...m }), (after) => emitWithAck(as, 'chat:sync', { conversationId, after }));
    visitor.receive(first.message);
    visitor.sent.push(first.message.id);
    vs.on('chat:message', (m: ChatMessage) => visitor.receive(m));
    as.on('chat:message', (p: { message: ChatMessage }) => p.message.conversationId === conversationId && agent.receive(p.message));
    await agent.sync();

    // Drops at random on both sides while both write.
    let stop = false;
    let restarts = 0;
    const chaos = (async () => {
      let i = 0;
      while (!stop) {
        await sleep(40 + Math.random() * 120);
        const side = Math.random() < 0.5 ? visitor : agent;
        const engine = (side.socket.io as unknown as { engine?: { close(): void } }).engine;
        if (side.socket.connected && engine) {
          engine.close();
          side.drops++;
        }
        i++;
      }
    })();
    const writer = async (side: Side) => {
      for (let i = 0; i < PER_SIDE; i++) {
        side.write(`${side.name} says ${i} ${'·'.repeat(i % 7)}`);
        if (i % 25 === 0) await sleep(5);
        // Halfway, once: the whole server restarts (same database, same port).
        if (side === visitor && i === Math.floor(PER_SIDE / 2)) {
          restarts++;
          await server.close();
          await sleep(200);
          await start();
        }
      }
    };
    await Promise.all([writer(visitor), writer(agent)]);

    // Everything acknowledged, then one last replay on each side.
    const deadline = Date.now() + 180_000;
    while ((visitor.outbox.length || agent.outbox.length) && Date.now() < deadline) {
      await sleep(100);
      void visitor.pump();
      void agent.pump();
    }
    stop = true;
    await chaos;
    for (const side of [visitor, agent]) {
      while (!side.socket.connected && Date.now() < deadline) await sleep(50);
      await sleep(100);
      await side.sync();
    }

    const sentIds = [...visitor.sent, ...agent.sent];
    const ids = (t: Thread) => t.messages.map((m) => m.id);
    const counts = (t: Thread) => {
      const held = ids(t);
      const unique = new Set(held);
      const lost = sentIds.filter((id) => !unique.has(id)).length;
      const duplicated = held.length - unique.size;
      // A sender's own messages must appear in the order they were written.
      const reordered = [visitor.sent, agent.sent].reduce((n, own) => {
        const pos = own.map((id) => held.indexOf(id)).filter((p) => p >= 0);
        return n + pos.filter((p, i) => i > 0 && p < pos[i - 1]!).length;
      }, 0);
      return { held: held.length, lost, duplicated, reordered };
    };
    const v = counts(visitor.thread);
    const a = counts(agent.thread);
    console.log(
      `[chaos ${kind.name}] sent ${sentIds.length} (${visitor.sent.length} by the visitor, ${agent.sent.length} by the agent); ` +
        `visitor holds ${v.held}, lost ${v.lost}, duplicated ${v.duplicated}, reordered ${v.reordered}; ` +
        `agent holds ${a.held}, lost ${a.lost}, duplicated ${a.duplicated}, reordered ${a.reordered}; ` +
        `forced disconnects ${visitor.drops + agent.drops} (visitor ${visitor.drops}, agent ${agent.drops}), server restarts ${restarts}, acks lost and resent ${visitor.acksLost + agent.acksLost}`,
    );
    expect(visitor.drops + agent.drops).toBeGreaterThan(10);
    expect(restarts).toBe(1);
    for (const c of [v, a]) expect(c).toEqual({ held: sentIds.length, lost: 0, duplicated: 0, reordered: 0 });
    // One order: both sides hold the same sequence, numbered 1..n without holes.
    expect(ids(agent.thread)).toEqual(ids(visitor.thread));
    expect(visitor.thread.messages.map((m) => m.seq)).toEqual(sentIds.map((_, i) => i + 1));
  });
});
