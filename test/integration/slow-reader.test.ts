// A dashboard that stops reading its socket is disconnected once the server holds more than
// SLOW_READER_MAX_BYTES for it, instead of the server buffering without bound until the heartbeat;
// a dashboard that reads keeps its connection. Real sockets: the slow one's TCP reads are paused.
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { agentSocket, connected, handshake, signUp, sleep, startTestServer, visitorSocket, type AgentSocket } from '../support/server';

const LIMIT = 256 * 1024;

describe('slow readers', () => {
  let database: Database;
  let server: Porchlight;
  const open: { disconnect(): void }[] = [];

  beforeAll(async () => {
    database = await openDatabase({});
    server = await startTestServer(database, { SLOW_READER_MAX_BYTES: String(LIMIT) });
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  /** The TCP socket under a socket.io client's WebSocket (the test's boundary with the client's internals). */
  const tcpOf = (s: AgentSocket): net.Socket => (s.io.engine.transport as unknown as { ws: { _socket: net.Socket } }).ws._socket;
  const serverSocketsOf = (userId: string) => [...server.io.of('/agent').sockets.values()].filter((s) => (s.data as { userId?: string }).userId === userId).length;

  it('disconnects the dashboard that stopped reading, not the one that reads', async () => {
    const owner = await signUp(server.url, 'Sam');
    const site = await server.services.sites.create(owner.userId, { name: 'Busy', allowedOrigins: ['https://shop.example'] });
    // Visitors on long addresses make every snapshot big (about 2 KB a visitor).
    for (let i = 0; i < 100; i++) {
      const url = `https://shop.example/${i}/${'x'.repeat(1900)}`;
      const v = visitorSocket(server.url, { key: site.publicKey, auth: handshake({ page: { url, title: 'T'.repeat(290) } }) });
      open.push(v);
      await connected(v);
    }
    const reader = await signUp(server.url, 'Reader');
    const slow = agentSocket(server.url, owner.cookie);
    const fine = agentSocket(server.url, reader.cookie);
    open.push(slow, fine);
    await Promise.all([connected(slow), connected(fine)]);
    expect(serverSocketsOf(owner.userId)).toBe(1);

    // The slow dashboard stops reading, then keeps asking for snapshots it never takes.
    tcpOf(slow).pause();
    for (let i = 0; i < 60; i++) {
      slow.emit('site:watch', { siteId: site.id }, () => {});
      await sleep(20);
    }
    const deadline = Date.now() + 15_000;
    while (serverSocketsOf(owner.userId) > 0 && Date.now() < deadline) await sleep(200);
    expect(serverSocketsOf(owner.userId)).toBe(0);
    // The other dashboard is untouched and still answered.
    expect(serverSocketsOf(reader.userId)).toBe(1);
    expect((await fine.emitWithAck('site:watch', { siteId: site.id })).ok).toBe(false); // not Reader's site: refused, but answered
  }, 60_000);
});
