// Measuring child of the chat benchmark: holds the agents (dashboard sockets) and the chatting
// visitors in ONE process, so the send time and the receive time of every message are read from
// the same monotonic clock (performance.now()). Modes:
//   porchlight: agents are /agent sockets with a real session cookie, visitors /visitor sockets
//               with the snippet's handshake (site key in the query, Origin header); the
//               conversation is created by the visitor's first message.
//   relay:      the same sockets against bench-server.ts relay (a bare socket.io relay); a chatting
//               visitor names its room (`c<i>`) in the handshake, which stands for the conversation.
// Started by chat-bench.ts; not meant to be run by hand.
import { randomBytes } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ChatMessage, VisitorHandshake } from '../../server/protocol';
import { assertLoopback, exitWithParent, gcMonitor, lagMonitor, serveParent, sleep, summarize, wall, type IpcRequest } from './bench-shared';

exitWithParent();
const lag = lagMonitor();
const gcs = gcMonitor();

const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** What people type into a support chat: a few lengths, the same set in both modes. */
const TEXTS = {
  visitor: [
    'Hi! Do you ship to Canada?',
    'I ordered the Aurora desk lamp last week and the tracking page still says "label created". Order #48213, can you check?',
    'ok thanks',
    'Does the Pro plan include the API, or is that only on Business? We are a team of 6.',
    'Can I pay by invoice?',
  ],
  agent: [
    'Hi, thanks for reaching out! Let me check that for you.',
    'Yes, we ship to Canada in 3-5 business days; duties are included at checkout.',
    'I see it: the parcel left our warehouse this morning, you will get a tracking update by tonight.',
    'The API is included from the Pro plan; Business adds SSO and audit logs.',
    'Sure!',
  ],
};

interface ChatInit {
  mode: 'porchlight' | 'relay';
  url: string;
  key: string | null;
  origin: string;
  /** One entry per dashboard; cookie null in relay mode. */
  agents: { cookie: string | null }[];
  conversations: number;
  /** The dashboards also watch the site's live table (site:watch), as the dashboard does. */
  watchSiteId: string | null;
  localAddresses: string[];
}

type Dir = 'v2a' | 'a2v';

interface Sent {
  dir: Dir;
  conv: number;
  /** performance.now() right before the emit, and the same moment in wall-clock ms. */
  t0: number;
  wallAt: number;
  ackMs?: number;
  ackError?: string;
  /** The other side: the conversation's agent (v2a) or its visitor (a2v). */
  recvMs?: number;
  /** v2a: every dashboard's receive time; a2v: the other dashboards' copies (the sender's colleagues and itself). */
  dashMs: number[];
}

interface Conversation {
  visitor: Socket;
  agent: number;
  id: string | null;
}

let init: ChatInit | null = null;
const agents: Socket[] = [];
const convs: Conversation[] = [];
const sent = new Map<string, Sent>();
let misrouted = 0;
let unknownReceived = 0;
const bytes = { agent: 0, agentPackets: 0, visitor: 0, visitorPackets: 0 };
const disconnects = new Map<string, number>();

const messageId = () => `m${randomBytes(9).toString('base64url')}`;

function handshake(i: number): VisitorHandshake & { relayRoom?: string } {
  const tag = `c${i}x${randomBytes(4).toString('hex')}`;
  return {
    visitorId: `bv${tag}`,
    tabId: `bt${tag}`,
    visitId: `bs${tag}`,
    visitStartedAt: Date.now(),
    visitCount: 1,
    page: { url: 'http://bench.example/pricing', title: 'Pricing' },
    referrer: '',
    utm: {},
    language: 'en-US',
    timeZone: 'Europe/Berlin',
    screen: { w: 1440, h: 900 },
    state: 'active',
    ...((init as ChatInit).mode === 'relay' ? { relayRoom: `c${i}` } : {}),
  };
}

const countPackets = (s: Socket, side: 'agent' | 'visitor') => {
  // Bytes on the wire of each chat:message, the engine.io packet text before socket.io decodes it.
  s.io.engine.on('packet', (p: { type: string; data?: unknown }) => {
    if (p.type === 'message' && typeof p.data === 'string' && p.data.includes('"chat:message"')) {
      bytes[side] += Buffer.byteLength(p.data);
      bytes[`${side}Packets`]++;
    }
  });
};

const connected = (s: Socket, what: string) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => {
      s.on('disconnect', (reason) => disconnects.set(`${what} ${reason}`, (disconnects.get(`${what} ${reason}`) ?? 0) + 1));
      resolve();
    });
    s.once('connect_error', (err) => reject(new Error(`${what} refused: ${err.message}`)));
  });

function onAgentMessage(agentIndex: number, message: ChatMessage): void {
  const now = performance.now();
  const rec = sent.get(message.id);
  if (!rec) {
    unknownReceived++;
    return;
  }
  rec.dashMs.push(now - rec.t0);
  if (rec.dir === 'v2a' && convs[rec.conv]?.agent === agentIndex) rec.recvMs = now - rec.t0;
}

function onVisitorMessage(convIndex: number, message: ChatMessage): void {
  const now = performance.now();
  const rec = sent.get(message.id);
  if (!rec) {
    unknownReceived++;
    return;
  }
  if (rec.conv !== convIndex) {
    misrouted++;
    return;
  }
  if (rec.dir === 'a2v') rec.recvMs = now - rec.t0;
}

type Ack = { ok: boolean; code?: string; message?: ChatMessage };

/** Send one message; resolves with the ack (the measurement is recorded in `sent`). */
function send(conv: number, dir: Dir, text: string): { id: string; acked: Promise<Ack> } {
  const c = convs[conv] as Conversation;
  const id = messageId();
  const rec: Sent = { dir, conv, t0: 0, wallAt: 0, dashMs: [] };
  sent.set(id, rec);
  const acked = new Promise<Ack>((resolve) => {
    const onAck = (ack: Ack) => {
      rec.ackMs = performance.now() - rec.t0;
      if (!ack?.ok) rec.ackError = ack?.code ?? 'unknown';
      resolve(ack);
    };
    rec.wallAt = wall();
    rec.t0 = performance.now();
    if (dir === 'v2a') c.visitor.emit('chat:send', { id, text }, onAck);
    else (agents[c.agent] as Socket).emit('chat:send', { conversationId: c.id, id, text }, onAck);
  });
  return { id, acked };
}

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = wall();
  while (!check()) {
    if (wall() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

serveParent({
  init: (m: IpcRequest) => {
    init = m.init as ChatInit;
    assertLoopback(init.url);
    for (const a of init.localAddresses) assertLoopback(a);
    return { pid: process.pid };
  },

  /** The dashboards first (so visitors find agents online), then the chatting visitors. */
  connect: async () => {
    const o = init as ChatInit;
    const snapshots: number[] = [];
    for (let j = 0; j < o.agents.length; j++) {
      const a = o.agents[j] as { cookie: string | null };
      const s = io(`${o.url}/agent`, {
        transports: ['websocket'],
        extraHeaders: { ...(a.cookie ? { cookie: a.cookie } : {}), origin: o.url },
        localAddress: '127.0.0.1',
        reconnection: false,
        forceNew: true,
      } as Parameters<typeof io>[1]);
      countPackets(s, 'agent');
      s.on('chat:message', (p: { message: ChatMessage }) => onAgentMessage(j, p.message));
      await connected(s, `agent ${j}`);
      agents.push(s);
      if (o.watchSiteId) {
        const ack = (await s.timeout(30_000).emitWithAck('site:watch', { siteId: o.watchSiteId })) as { ok: boolean; code?: string; visitors?: unknown[] };
        if (!ack.ok) throw new Error(`site:watch refused: ${ack.code}`);
        snapshots.push(ack.visitors?.length ?? 0);
      }
    }
    const tokens: Promise<unknown>[] = [];
    for (let i = 0; i < o.conversations; i++) {
      const s = io(`${o.url}/visitor`, {
        transports: ['websocket'],
        query: o.key ? { k: o.key } : {},
        auth: handshake(i) as unknown as Record<string, unknown>,
        extraHeaders: { origin: o.origin, 'user-agent': CHROME_UA },
        localAddress: o.localAddresses[i % o.localAddresses.length],
        reconnection: false,
        forceNew: true,
        timeout: 20_000,
      } as Parameters<typeof io>[1]);
      countPackets(s, 'visitor');
      // First contact: Porchlight issues the browser's token (what opens its conversation).
      if (o.mode === 'porchlight') tokens.push(new Promise((r) => s.once('visitor:token', r)));
      s.on('chat:message', (m: ChatMessage) => onVisitorMessage(i, m));
      await connected(s, `visitor ${i}`);
      convs.push({ visitor: s, agent: i % o.agents.length, id: o.mode === 'relay' ? `c${i}` : null });
    }
    await Promise.race([Promise.all(tokens), sleep(10_000).then(() => Promise.reject(new Error('no visitor:token within 10 s')))]);
    return { agents: agents.length, visitors: convs.length, snapshots };
  },

  /**
   * Opens every conversation (not measured): the visitor writes first, its agent receives it and
   * answers, the visitor receives the answer. The first reply assigns the conversation to that agent.
   */
  setup: async () => {
    const t0 = wall();
    let next = 0;
    const worker = async () => {
      while (next < convs.length) {
        const i = next++;
        const c = convs[i] as Conversation;
        for (let attempt = 0; ; attempt++) {
          const first = send(i, 'v2a', 'Hello, is anyone there?');
          const ack = await first.acked;
          if (!ack.ok) throw new Error(`conversation ${i}: first message refused: ${ack.code}`);
          c.id ??= ack.message?.conversationId ?? null;
          try {
            // Right after connecting, a Porchlight dashboard joins its workspace rooms asynchronously.
            await until(`agent ${c.agent} to receive conversation ${i}'s first message`, () => sent.get(first.id)?.recvMs !== undefined, attempt < 2 ? 3000 : 10_000);
            break;
          } catch (err) {
            if (attempt >= 2) throw err;
          }
        }
        const reply = send(i, 'a2v', 'Hi! How can I help?');
        const ack = await reply.acked;
        if (!ack.ok) throw new Error(`conversation ${i}: first reply refused: ${ack.code}`);
        await until(`visitor ${i} to receive the first reply`, () => sent.get(reply.id)?.recvMs !== undefined, 10_000);
      }
    };
    await Promise.all(Array.from({ length: Math.min(10, convs.length) }, worker));
    // The other dashboards' copies of the last replies may still be on their way: let them land
    // before forgetting the setup messages, so nothing counts as unknown in the measured window.
    await until('every dashboard to receive every setup message', () => [...sent.values()].every((r) => r.dashMs.length >= agents.length), 10_000).catch(() => {});
    await sleep(200);
    const setupMessages = sent.size;
    sent.clear();
    misrouted = 0;
    unknownReceived = 0;
    return { ms: wall() - t0, messages: setupMessages };
  },

  /**
   * `rate` messages a second in total from `startAt` to `endAt` (wall ms). Message k goes to
   * conversation order[k mod C] in round floor(k / C); rounds alternate direction (visitor ->
   * agent, then agent -> visitor), so every conversation alternates too and all of them are active.
   * Messages sent from `measureFrom` on are measured; the others are the warm-up.
   */
  run: async (m: IpcRequest) => {
    const rate = m.rate as number;
    const startAt = m.startAt as number;
    const measureFrom = m.measureFrom as number;
    const endAt = m.endAt as number;
    const drainMs = m.drainMs as number;
    const C = convs.length;
    const order = convs.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const k of Object.keys(bytes) as (keyof typeof bytes)[]) bytes[k] = 0;
    await sleep(Math.max(0, startAt - wall()));
    let k = 0;
    const ids: string[] = [];
    await new Promise<void>((resolve) => {
      const tick = () => {
        const now = wall();
        if (now >= endAt) {
          clearInterval(timer);
          resolve();
          return;
        }
        if (now >= measureFrom && !measuring) {
          measuring = true;
          lag.reset();
          gcs.reset();
        }
        const due = Math.floor(((now - startAt) * rate) / 1000);
        for (let burst = 0; k < due && burst < 50; burst++, k++) {
          const conv = order[k % C] as number;
          const round = Math.floor(k / C);
          const dir: Dir = round % 2 === 0 ? 'v2a' : 'a2v';
          const texts = TEXTS[dir === 'v2a' ? 'visitor' : 'agent'];
          ids.push(send(conv, dir, texts[(round + conv) % texts.length] as string).id);
        }
      };
      let measuring = false;
      const timer = setInterval(tick, 2);
    });
    const clientLag = lag.stats();
    const clientGc = gcs.stats();
    // Messages of the measured window still in flight: wait for them (bounded).
    const measured = ids.map((id) => sent.get(id) as Sent).filter((r) => r.wallAt >= measureFrom && r.wallAt < endAt);
    const done = (r: Sent) => r.ackMs !== undefined && r.recvMs !== undefined && r.dashMs.length >= agents.length;
    const drainStart = wall();
    while (!measured.every(done) && wall() - drainStart < drainMs) await sleep(20);

    const pick = (dir: Dir, f: (r: Sent) => number | undefined) =>
      measured.filter((r) => r.dir === dir).map(f).filter((x): x is number => x !== undefined);
    const ackErrors: Record<string, number> = {};
    for (const r of measured) if (r.ackError) ackErrors[r.ackError] = (ackErrors[r.ackError] ?? 0) + 1;
    const byDir = (dir: Dir) => measured.filter((r) => r.dir === dir);
    const result = {
      sentTotal: k,
      measured: measured.length,
      achievedRate: measured.length / ((endAt - measureFrom) / 1000),
      v2a: summarize(pick('v2a', (r) => r.recvMs)),
      a2v: summarize(pick('a2v', (r) => r.recvMs)),
      /** Every dashboard's copy of a visitor's message (the last dashboard is what an agent team sees). */
      v2aEveryDashboard: summarize(byDir('v2a').flatMap((r) => r.dashMs)),
      v2aLastDashboard: summarize(pick('v2a', (r) => (r.dashMs.length >= agents.length ? Math.max(...r.dashMs) : undefined))),
      /** An agent's message reaching the dashboards (its colleagues, and its own other tabs). */
      a2vDashboards: summarize(byDir('a2v').flatMap((r) => r.dashMs)),
      ackVisitor: summarize(pick('v2a', (r) => (r.ackError ? undefined : r.ackMs))),
      ackAgent: summarize(pick('a2v', (r) => (r.ackError ? undefined : r.ackMs))),
      lost: {
        v2a: byDir('v2a').filter((r) => r.recvMs === undefined).length,
        a2v: byDir('a2v').filter((r) => r.recvMs === undefined).length,
        dashboardCopies: measured.reduce((a, r) => a + Math.max(0, agents.length - r.dashMs.length), 0),
        acks: measured.filter((r) => r.ackMs === undefined).length,
      },
      ackErrors,
      misrouted,
      unknownReceived,
      bytes: {
        agentAvg: bytes.agentPackets ? bytes.agent / bytes.agentPackets : 0,
        visitorAvg: bytes.visitorPackets ? bytes.visitor / bytes.visitorPackets : 0,
      },
      // Every sample with its send time (wall ms): for the JSON file.
      samples: measured.map((r) => ({ at: Math.round(r.wallAt), dir: r.dir, conv: r.conv, recv: r.recvMs, ack: r.ackMs, dash: r.dashMs })),
      clientLag,
      clientGc,
      connected: { agents: agents.filter((s) => s.connected).length, visitors: convs.filter((c) => c.visitor.connected).length },
      disconnects: Object.fromEntries(disconnects),
    };
    return result;
  },

  shutdown: () => setImmediate(() => process.exit(0)),
});
