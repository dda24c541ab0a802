// GET /metrics (Prometheus text): refused without the token, and what it reports follows what
// happens: a visitor connecting, a dashboard flooding an event past its rate limit, history writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import { testDatabases } from '../support/db';
import { agentSocket, ask, connected, handshake, signUp, startTestServer, visitorSocket } from '../support/server';

const TOKEN = 'metrics-token-for-the-test-1234';

/** The value of one sample line (`name{labels} value`), or null when absent. */
function sample(text: string, name: string, labels = ''): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ').pop()) : null;
}

describe.each(testDatabases())('metrics ($name)', (kind) => {
  let database: Database;
  let server: Porchlight;
  const open: { disconnect(): void }[] = [];
  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database, { METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    await server?.close();
    await database?.close();
  });

  it('refuses a scrape without the token, or with a wrong one', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}x` } })).status).toBe(401);
  });

  it('counts connected visitors and dashboards, history writes and rate-limited events', async () => {
    const before = await scrape();
    expect(sample(before, 'porchlight_visitor_sockets')).toBe(0);
    const owner = await signUp(server.url, 'Mia');
    const site = await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    const auth = handshake();
    const v = visitorSocket(server.url, { key: site.publicKey, auth });
    const dash = agentSocket(server.url, owner.cookie);
    open.push(v, dash);
    await Promise.all([connected(v), connected(dash)]);
    await server.history.flush();
    // Refusals are counted per OS process (this test file runs a server per database in one).
    const refusedBefore = sample(await scrape(), 'porchlight_rate_limited_events_total', '{event="visitor:focus"}') ?? 0;

    // A dashboard sending focus changes far faster than its limit: some are refused, and counted.
    const acks = await Promise.all(Array.from({ length: 60 }, () => ask(dash, 'visitor:focus', { doing: 'viewing', visitor: { siteId: site.id, visitorId: auth.visitorId } })));
    const refused = acks.filter((a) => !a.ok && a.code === 'rate_limited').length;
    expect(refused).toBeGreaterThan(0);

    const after = await scrape();
    expect(sample(after, 'porchlight_visitor_sockets')).toBe(1);
    expect(sample(after, 'porchlight_dashboard_sockets')).toBe(1);
    expect(sample(after, 'porchlight_rate_limited_events_total', '{event="visitor:focus"}')).toBe(refusedBefore + refused);
    expect(sample(after, 'porchlight_history_queue_depth')).toBe(0);
    expect(sample(after, 'porchlight_history_dropped_total')).toBe(0);
    expect(sample(after, 'porchlight_history_flush_seconds_count')).toBeGreaterThan(0);
    expect(sample(after, 'porchlight_chats_open')).toBe(0);
    expect(after).toContain('porchlight_process_resident_memory_bytes');
  });
});
