// The shared visitor handlers (server/transport/event-router.ts) on a real socket.io server and
// clients: each socket is handled as itself, limits are per socket, lazy areas wire once and get
// the event that woke them, bad payloads are refused, and every socket's disconnect is heard.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AckFn } from '../../server/protocol';
import { on } from '../../server/transport/handler';
import { EventRouter, SocketBuckets } from '../../server/transport/event-router';

interface Events {
  'note:add': (p: { text: string }, ack?: AckFn) => void;
  'extra:ping': (p: { n: number }, ack?: AckFn<{ n: number }>) => void;
}
type S = Socket<Events, Record<string, never>, Record<string, never>, { name: string }>;

let server: Server;
let url: string;
const router = new EventRouter<Events, S>();
const notes: string[] = [];
const wiredFor: string[] = [];
const gone: string[] = [];
let now = 0;
const buckets = new SocketBuckets(1, 2, () => now);

beforeAll(async () => {
  const httpServer = http.createServer();
  server = new Server(httpServer);
  router.route('note:add', z.object({ text: z.string().max(10) }), (socket, p) => {
    notes.push(`${socket.data.name}:${p.text}`);
    return {};
  }, { limiter: (socket) => buckets.take(socket) });
  router.wireOnFirst('extra:', (socket) => {
    wiredFor.push(socket.data.name);
    on(socket, 'extra:ping', z.object({ n: z.number() }), (p) => ({ n: p.n + 1 }));
  });
  router.onDisconnect((socket, reason) => gone.push(`${socket.data.name}:${reason}`));
  server.on('connection', (socket: S) => {
    socket.data = { name: String(socket.handshake.auth.name) };
    router.attach(socket);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = async (name: string): Promise<ClientSocket> => {
  const c = connect(url, { auth: { name }, transports: ['websocket'], forceNew: true });
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('connect_error', reject);
  });
  return c;
};

describe('EventRouter', () => {
  it('runs one shared handler per event with each socket as itself, limited per socket', async () => {
    const [ann, bob] = await Promise.all([client('ann'), client('bob')]);
    const add = (c: ClientSocket, text: unknown) => c.emitWithAck('note:add', { text });
    expect(await add(ann, 'hi')).toEqual({ ok: true });
    expect(await add(bob, 'yo')).toEqual({ ok: true });
    expect(await add(ann, 'again')).toEqual({ ok: true });
    // ann's bucket (burst 2) is empty; bob's is not.
    expect(await add(ann, 'third')).toEqual({ ok: false, code: 'rate_limited' });
    expect(await add(bob, 'more')).toEqual({ ok: true });
    now += 1000;
    expect(await add(ann, 'later')).toEqual({ ok: true });
    // Bad input answers bad_request and changes nothing.
    now += 10_000;
    expect(await add(bob, 'x'.repeat(11))).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await add(bob, 42)).toMatchObject({ ok: false, code: 'bad_request' });
    expect(notes).toEqual(['ann:hi', 'bob:yo', 'ann:again', 'bob:more', 'ann:later']);
    ann.disconnect();
    bob.disconnect();
  });

  it('wires a lazy area once per socket, on its first event, which it then handles', async () => {
    const [cy, di] = await Promise.all([client('cy'), client('di')]);
    expect(await cy.emitWithAck('extra:ping', { n: 1 })).toEqual({ ok: true, n: 2 });
    expect(await cy.emitWithAck('extra:ping', { n: 5 })).toEqual({ ok: true, n: 6 });
    expect(wiredFor).toEqual(['cy']);
    expect(await di.emitWithAck('extra:ping', { n: 0 })).toEqual({ ok: true, n: 1 });
    expect(wiredFor).toEqual(['cy', 'di']);
    cy.disconnect();
    di.disconnect();
  });

  it('tells every registered listener which socket disconnected', async () => {
    const ed = await client('ed');
    ed.disconnect();
    await expect.poll(() => gone).toContain('ed:client namespace disconnect');
  });
});
