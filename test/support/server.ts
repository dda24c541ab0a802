// A real Porchlight server on port 0 for integration tests, plus real socket.io clients.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { Database } from '../../drizzle/db';
import { loadConfig } from '../../server/config';
import { startPorchlight, type Porchlight } from '../../server/main';
import type { Ack, AgentClientEvents, AgentServerEvents, VisitorClientEvents, VisitorHandshake, VisitorServerEvents } from '../../server/protocol';

export const root = path.resolve(import.meta.dirname, '../..');

/**
 * The Redis prefix of this test file's servers: its processes form one cluster, and test files
 * running at the same time on the same Redis never see each other's processes, heartbeats or limits.
 */
const REDIS_PREFIX = `test-${randomBytes(5).toString('hex')}`;

export async function startTestServer(database: Database, env: Record<string, string> = {}): Promise<Porchlight> {
  const config = loadConfig({
    REDIS_PREFIX,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_PORT: 'off',
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
    PRESENCE_GRACE_MS: '400',
    PRESENCE_FLUSH_MS: '50',
    NODE_ENV: 'test',
    // Test files sign up many accounts from one address; the limits' own test turns them back on.
    PORCHLIGHT_NO_RATE_LIMIT: '1',
    ...env,
  });
  const log = process.env.TEST_SERVER_LOG ? (m: string, e?: unknown) => console.error(m, e) : () => {};
  return startPorchlight({ config, database, snippetDir: path.join(root, 'embed-snippet', 'dist'), log });
}

export interface Account {
  userId: string;
  cookie: string;
  email: string;
}

export async function signUp(baseUrl: string, name = 'Agent'): Promise<Account> {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomBytes(4).toString('hex')}@example.com`;
  const res = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ email, password: 'correct-horse-battery', name }),
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: { id: string } };
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { userId: body.user.id, cookie, email };
}

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;
export type AgentSocket = Socket<AgentServerEvents, AgentClientEvents>;

let seq = 0;
export function handshake(over: Partial<VisitorHandshake> = {}): VisitorHandshake {
  seq++;
  return {
    visitorId: `visitor${seq}x${randomBytes(4).toString('hex')}`,
    tabId: `tab${seq}x${randomBytes(4).toString('hex')}`,
    visitId: `visit${seq}x${randomBytes(4).toString('hex')}`,
    visitStartedAt: Date.now(),
    visitCount: 1,
    page: { url: 'https://shop.example/', title: 'Home' },
    referrer: '',
    utm: {},
    language: 'en-US',
    timeZone: 'Europe/Berlin',
    screen: { w: 1440, h: 900 },
    state: 'active',
    ...over,
  };
}

export interface VisitorOptions {
  key: string;
  origin?: string;
  auth?: VisitorHandshake;
  transports?: ('websocket' | 'polling')[];
  userAgent?: string;
  headers?: Record<string, string>;
}

export function visitorSocket(baseUrl: string, o: VisitorOptions): VisitorSocket {
  return connect(`${baseUrl}/visitor`, {
    query: { k: o.key },
    auth: o.auth ?? handshake(),
    transports: o.transports ?? ['websocket'],
    extraHeaders: { origin: o.origin ?? 'https://shop.example', 'user-agent': o.userAgent ?? CHROME_UA, ...o.headers },
    reconnection: false,
    forceNew: true,
  });
}

/** A dashboard socket; `workspaceId` is the workspace the page shows (the user's current one when absent). */
export function agentSocket(baseUrl: string, cookie: string, origin = baseUrl, workspaceId?: string): AgentSocket {
  return connect(`${baseUrl}/agent`, {
    transports: ['websocket'],
    auth: workspaceId ? { workspaceId } : {},
    extraHeaders: { cookie, origin },
    reconnection: false,
    forceNew: true,
  });
}

/** Resolves on connect, rejects with the server's refusal message. */
export function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', (err) => reject(err));
  });
}

/** Waits for the next event matching a predicate, failing after a timeout. */
export function nextEvent<T>(s: Socket, event: string, pred: (x: T) => boolean = () => true, timeoutMs = 3000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, on);
      reject(new Error(`timed out waiting for ${event}`));
    }, timeoutMs);
    const on = (x: T) => {
      if (!pred(x)) return;
      clearTimeout(timer);
      s.off(event, on);
      resolve(x);
    };
    s.on(event, on);
  });
}

/** Emits and resolves with the ack (socket.io's emitWithAck, typed loosely: tests send bad payloads too). */
export const ask = <T extends object = object>(s: AgentSocket | VisitorSocket, event: string, payload: unknown, timeoutMs = 5000): Promise<Ack<T>> =>
  (s as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<Ack<T>> } }).timeout(timeoutMs).emitWithAck(event, payload);

/** The ack's payload, or a failure naming the code the server refused with. */
export const must = async <T extends object>(p: Promise<Ack<T>>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(`refused: ${r.code} ${r.message ?? ''}`);
  return r;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
