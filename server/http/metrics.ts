// GET /metrics for Prometheus (prom-client): what an operator watches on each process. With
// METRICS_TOKEN set it needs `Authorization: Bearer <token>`; without, it answers only requests
// from this machine (the TCP peer is loopback, whatever a proxy header says), 404 otherwise.
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HistoryStats } from '../history/writer';

export interface MetricsSources {
  visitors: () => number;
  dashboards: () => number;
  history: () => HistoryStats;
  calls: () => number;
  /** Open conversations (one query per scrape). */
  chats: () => Promise<number>;
  /** Socket events refused by rate limits so far, by event name. */
  rateLimited: () => ReadonlyMap<string, number>;
  /** Visitor connections and page views refused by the abuse limits in this process, by kind. */
  abuseRefusals?: () => ReadonlyMap<string, number>;
}

export interface Metrics {
  /** Called after each history write with its duration and size. */
  historyFlushed(ms: number): void;
  /** Answers /metrics; false when the request is not for it. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): boolean;
}

export function createMetrics(src: MetricsSources, o: { token: string | null; onError: (err: unknown) => void }): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'porchlight_' });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({ name, help, registers, collect() { this.set(read()); } });
  gauge('porchlight_visitor_sockets', 'Visitor sockets connected to this process', src.visitors);
  gauge('porchlight_dashboard_sockets', 'Dashboard sockets connected to this process', src.dashboards);
  gauge('porchlight_calls_active', 'Calls ringing or in progress held by this process', src.calls);
  gauge('porchlight_history_queue_depth', 'History events waiting to be written', () => src.history().queued);
  gauge('porchlight_history_retrying', '1 while history writes wait to retry after a database failure', () => (src.history().retryAt === null ? 0 : 1));
  // Monotonic totals kept by their owners, exposed as counters.
  const total = (name: string, help: string, read: () => number) =>
    new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
  total('porchlight_history_retries_total', 'History batches put back after a database connection failure', () => src.history().retries);
  total('porchlight_history_dropped_total', 'History events dropped because the queue overflowed', () => src.history().dropped);
  total('porchlight_history_failed_total', 'History events the database refused (not retried)', () => src.history().failed);
  new Counter({
    name: 'porchlight_rate_limited_events_total',
    help: 'Socket events refused by rate limits, by event',
    labelNames: ['event'],
    registers,
    collect() {
      this.reset();
      for (const [event, n] of src.rateLimited()) this.inc({ event }, n);
    },
  });
  const abuse = src.abuseRefusals;
  if (abuse) {
    new Counter({
      name: 'porchlight_abuse_refusals_total',
      help: 'Visitor connections and page views refused by the abuse limits, by kind',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const [kind, n] of abuse()) this.inc({ kind }, n);
      },
    });
  }
  new Gauge({
    name: 'porchlight_chats_open',
    help: 'Open conversations',
    registers,
    async collect() {
      this.set(await src.chats());
    },
  });
  const flush = new Histogram({ name: 'porchlight_history_flush_seconds', help: 'Duration of history writes', registers, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

  const allowed = (req: http.IncomingMessage): boolean => {
    if (o.token) {
      const given = Buffer.from(req.headers.authorization ?? '');
      const want = Buffer.from(`Bearer ${o.token}`);
      return given.length === want.length && timingSafeEqual(given, want);
    }
    const peer = req.socket.remoteAddress ?? '';
    return peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  };

  return {
    historyFlushed: (ms) => flush.observe(ms / 1000),
    handle(req, res) {
      if ((req.url ?? '').split('?')[0] !== '/metrics') return false;
      if (!allowed(req)) {
        res.writeHead(o.token ? 401 : 404, { 'content-type': 'text/plain' }).end(o.token ? 'Unauthorized' : 'Not found');
        return true;
      }
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(body),
        (err: unknown) => {
          o.onError(err);
          if (!res.headersSent) res.writeHead(500).end();
        },
      );
      return true;
    },
  };
}
