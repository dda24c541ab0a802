// Every setting Porchlight reads from the environment, validated once at start.
import path from 'node:path';
import { z } from 'zod';
import { parseIceServers, type IceOptions } from './calls/ice';
import { DEFAULT_ABUSE_LIMITS, type AbuseLimits } from './visitors/abuse-limits';

/** The default coalescing window of a busy site's dashboard diffs (PRESENCE_FLUSH_MS); the benchmarks print it. */
export const DEFAULT_PRESENCE_FLUSH_MS = 20;

const csv = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** The address browsers use to reach this server (dashboard, /embed.js, sockets). */
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  /** Signs sessions. Generated and kept in DATA_DIR when unset (set it when running several processes). */
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  /** Proxies whose X-Forwarded-For is believed (IP addresses, comma-separated). */
  TRUSTED_PROXIES: csv,
  /** Any value turns off the per-address sign-in and sign-up limits and the visitor abuse limits (tests and benchmarks that sign up many accounts or open many visitors from one address). */
  PORCHLIGHT_NO_RATE_LIMIT: z.string().optional(),
  /** New visitor connections one address may open to one site per VISITOR_CONNECTION_WINDOW_S; more are refused with 'rate_limited'. */
  VISITOR_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_ABUSE_LIMITS.perAddress),
  /** New visitor connections one site key may receive per window, all addresses and processes together. */
  VISITOR_CONNECTIONS_PER_SITE: z.coerce.number().int().min(1).max(10_000_000).default(DEFAULT_ABUSE_LIMITS.perSite),
  /** New connections one visitor id may open per window (its tabs, page loads and reconnects). */
  VISITOR_CONNECTIONS_PER_VISITOR: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_ABUSE_LIMITS.perVisitor),
  VISITOR_CONNECTION_WINDOW_S: z.coerce.number().int().min(1).max(3_600).default(DEFAULT_ABUSE_LIMITS.windowS),
  /** Page views one visitor may report a second, all its tabs together; more get 'rate_limited' and are not stored. */
  VISITOR_PAGE_VIEWS_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_ABUSE_LIMITS.pageViewsPerSecond),
  /** Page views one visitor may report at once (at least VISITOR_PAGE_VIEWS_PER_SECOND). */
  VISITOR_PAGE_VIEW_BURST: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_ABUSE_LIMITS.pageViewBurst),
  /** How long a visitor whose last tab closed stays listed. */
  PRESENCE_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(8_000),
  /**
   * Coalescing window of a busy site's dashboard diffs. A change waits up to this long, so it sets
   * the latency's p99 under load (40 ms gave p99 48.6 ms at 15,000 visitors and 200 changes/s,
   * too close to the 50 ms target); 20 ms still sends a busy site one message per window.
   */
  PRESENCE_FLUSH_MS: z.coerce.number().int().min(10).max(5_000).default(DEFAULT_PRESENCE_FLUSH_MS),
  /** How long a call invitation rings before it counts as missed. */
  CALL_RING_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
  /** How long an accepted call may take to connect peer to peer before it counts as failed. */
  CALL_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(20_000),
  /** How long a call waits for a visitor whose page is navigating (or whose connection dropped). */
  CALL_RESUME_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** STUN/TURN servers for calls: JSON RTCIceServer[] or comma-separated URLs. Empty = host candidates only. */
  ICE_SERVERS: z.string().max(10_000).optional(),
  /** The TURN server's shared secret (coturn static-auth-secret): per-call credentials are minted with it. */
  TURN_SECRET: z.string().min(16).optional(),
  /** Lifetime of minted TURN credentials. */
  TURN_CREDENTIAL_TTL_S: z.coerce.number().int().min(60).max(86_400).default(3_600),
  /** "relay" forces every call through TURN (hides each party's IP address from the other). */
  ICE_TRANSPORT_POLICY: z.enum(['all', 'relay']).default('all'),
  /** Outgoing mail (offline chat messages to the site owner), e.g. smtp://user:pass@mail.example:587. Unset: the dashboard only. */
  SMTP_URL: z.string().url().optional(),
  /** The sender of Porchlight's emails. */
  MAIL_FROM: z.string().max(200).default('Porchlight <no-reply@porchlight.local>'),
  /** Chat messages one visitor may send a minute (all their tabs together); more get 'rate_limited'. */
  CHAT_VISITOR_MESSAGES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Typing events one visitor may send a minute. */
  CHAT_VISITOR_TYPING_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Chat events one dashboard connection may send a second. */
  CHAT_AGENT_EVENTS_PER_SECOND: z.coerce.number().int().min(1).max(100_000).default(20),
  AGENT_IDLE_AWAY_MS: z.coerce.number().int().min(1_000).max(24 * 3600_000).default(10 * 60_000),
  /** Unsent bytes a socket may hold before it counts as a slow reader and is disconnected. */
  SLOW_READER_MAX_BYTES: z.coerce.number().int().min(16 * 1024).max(1024 * 1024 * 1024).default(8 * 1024 * 1024),
  /** Prefix of every Redis key and channel: deployments sharing one Redis stay apart (letters, digits, -, _). */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('porchlight'),
  /** Bearer token for GET /metrics; unset, /metrics answers only requests from this machine. */
  METRICS_TOKEN: z.string().min(16).max(200).optional(),
  /** Demo customer website; 0 picks a free port, "off" disables it. */
  DEMO_PORT: z.string().default('4000'),
  NODE_ENV: z.string().default('production'),
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string | undefined;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  authSecret: string | undefined;
  trustedProxies: string[];
  /** Per-address limits on sign-in and sign-up. */
  authRateLimit: boolean;
  /** Caps on visitor connections and page views, shared by every process; null when turned off. */
  abuse: AbuseLimits | null;
  /** A dashboard tab hidden this long stops counting its agent as online. */
  agentIdleAwayMs: number;
  metricsToken: string | null;
  redisPrefix: string;
  slowReaderMaxBytes: number;
  graceMs: number;
  flushMs: number;
  demoPort: number | null;
  calls: CallConfig;
  chat: { visitorMessagesPerMinute: number; visitorTypingPerMinute: number; agentEventsPerSecond: number };
  mail: { smtpUrl: string | undefined; from: string };
}

export interface CallConfig {
  ringTimeoutMs: number;
  connectTimeoutMs: number;
  resumeGraceMs: number;
  ice: IceOptions;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.VISITOR_PAGE_VIEW_BURST < e.VISITOR_PAGE_VIEWS_PER_SECOND) {
    throw new Error('Invalid configuration:\n  VISITOR_PAGE_VIEW_BURST: must be at least VISITOR_PAGE_VIEWS_PER_SECOND');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    databaseUrl: e.DATABASE_URL || undefined,
    redisUrl: e.REDIS_URL || undefined,
    dataDir: path.resolve(e.DATA_DIR),
    authSecret: e.BETTER_AUTH_SECRET,
    trustedProxies: e.TRUSTED_PROXIES,
    authRateLimit: !e.PORCHLIGHT_NO_RATE_LIMIT,
    abuse: e.PORCHLIGHT_NO_RATE_LIMIT
      ? null
      : {
          perAddress: e.VISITOR_CONNECTIONS_PER_ADDRESS,
          perSite: e.VISITOR_CONNECTIONS_PER_SITE,
          perVisitor: e.VISITOR_CONNECTIONS_PER_VISITOR,
          windowS: e.VISITOR_CONNECTION_WINDOW_S,
          pageViewsPerSecond: e.VISITOR_PAGE_VIEWS_PER_SECOND,
          pageViewBurst: e.VISITOR_PAGE_VIEW_BURST,
        },
    agentIdleAwayMs: e.AGENT_IDLE_AWAY_MS,
    metricsToken: e.METRICS_TOKEN ?? null,
    redisPrefix: e.REDIS_PREFIX,
    slowReaderMaxBytes: e.SLOW_READER_MAX_BYTES,
    graceMs: e.PRESENCE_GRACE_MS,
    flushMs: e.PRESENCE_FLUSH_MS,
    demoPort: e.DEMO_PORT === 'off' ? null : Number(e.DEMO_PORT),
    chat: { visitorMessagesPerMinute: e.CHAT_VISITOR_MESSAGES_PER_MINUTE, visitorTypingPerMinute: e.CHAT_VISITOR_TYPING_PER_MINUTE, agentEventsPerSecond: e.CHAT_AGENT_EVENTS_PER_SECOND },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    calls: {
      ringTimeoutMs: e.CALL_RING_TIMEOUT_MS,
      connectTimeoutMs: e.CALL_CONNECT_TIMEOUT_MS,
      resumeGraceMs: e.CALL_RESUME_GRACE_MS,
      ice: { servers: parseIceServers(e.ICE_SERVERS), turnSecret: e.TURN_SECRET, ttlS: e.TURN_CREDENTIAL_TTL_S, policy: e.ICE_TRANSPORT_POLICY },
    },
  };
}
