// An engine.io session id obtained by an allowed page does not work from another origin: neither
// for long-polling nor for the upgrade to WebSocket. Raw engine.io requests, as an attacker's
// script would make them; the allowed page's own requests keep working.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { handshake, signUp, startTestServer } from '../support/server';

const SHOP = 'https://shop.example';
const EVIL = 'https://evil.example';

describe('engine.io sessions are bound to their Origin', () => {
  let database: Database;
  let server: Porchlight;
  let key: string;

  beforeAll(async () => {
    database = await openDatabase({});
    server = await startTestServer(database);
    const owner = await signUp(server.url, 'Oda');
    key = (await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: [SHOP] })).publicKey;
  });
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  const poll = (query: string, origin: string, body?: string) =>
    fetch(`${server.url}/socket.io/?EIO=4&transport=polling&${query}`, {
      method: body ? 'POST' : 'GET',
      headers: { origin, ...(body ? { 'content-type': 'text/plain;charset=UTF-8' } : {}) },
      body,
    });
  /** Opens a session as the shop's page would, and joins the /visitor namespace on it. */
  const openSession = async (): Promise<string> => {
    const res = await poll(`k=${key}`, SHOP);
    expect(res.status).toBe(200);
    const sid = (JSON.parse((await res.text()).slice(1)) as { sid: string }).sid;
    const auth = JSON.stringify(handshake());
    expect((await poll(`k=${key}&sid=${sid}`, SHOP, `40/visitor,${auth}`)).status).toBe(200);
    return sid;
  };
  /** The status of a WebSocket upgrade for that session from `origin` (101: switched). */
  const upgrade = (sid: string, origin: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/socket.io/?EIO=4&transport=websocket&k=${key}&sid=${sid}`, {
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), origin },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('refuses the session from another origin, over polling and over the upgrade', async () => {
    const sid = await openSession();
    expect((await poll(`k=${key}&sid=${sid}`, EVIL)).status).toBe(400);
    expect((await poll(`k=${key}&sid=${sid}`, EVIL, '2')).status).toBe(400);
    expect(await upgrade(sid, EVIL)).toBe(400);
  });

  it('the page that opened it keeps using it, and upgrades', async () => {
    const sid = await openSession();
    expect((await poll(`k=${key}&sid=${sid}`, SHOP)).status).toBe(200);
    expect(await upgrade(sid, SHOP)).toBe(101);
  });
});
