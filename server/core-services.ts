// The domain services every transport and route shares: sites, live presence, the history
// writer, the event bus, sign-in and teams. Built (and their timers started) before socket.io
// exists, since its handshake gate already asks the site store and the install monitor.
import type { Db } from '../drizzle/db';
import { createAuth, type Auth } from './auth';
import { persistentSecret } from './auth-secret';
import type { Config } from './config';
import { EventBus } from './events/bus';
import { HistoryWriter } from './history/writer';
import type { Metrics } from './http/metrics';
import { PresenceEngine } from './presence/engine';
import { InstallMonitor } from './sites/install-monitor';
import { SiteStore } from './sites/site-store';
import { TeamService } from './team/team-service';
import { TeamStore } from './team/team-store';
import { openCountryLookup, type CountryLookup } from './visitors/geo';

/** Who is online in a workspace: who has a dashboard open, and who of them counts as online. */
export type AgentPresence = (workspaceId: string) => Promise<{ connected: string[]; online: string[] }>;

/**
 * What these services ask of parts built after them: the metrics (they need the history writer)
 * and who is online (known to the chat transport). Filled in as those parts come up.
 */
export interface LaterParts {
  metrics: Metrics | null;
  agentPresence: AgentPresence;
}

/** What every step of the server's assembly is handed. */
export interface ServerBasics {
  config: Config;
  db: Db;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
}

export interface CoreServicesDeps extends ServerBasics {
  publicUrl: string;
  dashboardOrigins: string[];
  later: LaterParts;
}

export interface CoreServices {
  sites: SiteStore;
  installMonitor: InstallMonitor;
  presence: PresenceEngine;
  history: HistoryWriter;
  /** Signs sessions and visitor tokens. */
  secret: string;
  bus: EventBus;
  auth: Auth;
  team: TeamService;
  country: CountryLookup;
}

export async function startCoreServices(d: CoreServicesDeps): Promise<CoreServices> {
  const { config, db, now, log, later } = d;
  const sites = new SiteStore(db, now);
  const installMonitor = new InstallMonitor(db, { now, log });
  installMonitor.start();
  const presence = new PresenceEngine({ now, graceMs: config.graceMs, sampleEveryMs: 10_000, samplesKept: 180, confirmRemovals: !!config.redisUrl });
  let lastDropLog = 0;
  const history = new HistoryWriter(db, {
    intervalMs: 1000,
    maxQueue: 200_000,
    onVisitorsRecalled: (visitors) => {
      for (const v of visitors) presence.recall(v.siteId, v.visitorKey, v);
    },
    onFlushed: (ms) => later.metrics?.historyFlushed(ms),
    onError: (err, retryInMs) =>
      log(retryInMs === null ? 'history rows refused by the database (not retried)' : `history write failed, the database is away: retrying in ${retryInMs} ms`, err),
    // Said at most every 10 s: while it overflows, every new event drops one.
    onDrop: (dropped) => {
      if (now() - lastDropLog < 10_000) return;
      lastDropLog = now();
      log(`history queue full: ${dropped} events dropped so far`, new Error('history queue overflow'));
    },
  });
  history.start();
  const secret = config.authSecret ?? persistentSecret(config.dataDir);
  const bus = new EventBus((err, event) => log(`${event} subscriber failed`, err));
  const auth = createAuth({
    db,
    secret,
    baseURL: d.publicUrl,
    trustedOrigins: d.dashboardOrigins,
    rateLimit: config.authRateLimit,
    onUserCreated: async (u) => {
      await sites.createWorkspaceFor(u.id, `${u.name}'s workspace`);
    },
    onSessionEnded: (s) => bus.publish('access:changed', { userId: s.userId, sessionId: s.id, reason: 'signed-out' }),
  });
  const team = new TeamService(new TeamStore(db), bus, { now }, { publicUrl: () => d.publicUrl, presence: (ws) => later.agentPresence(ws) });
  const country = await openCountryLookup(log);
  return { sites, installMonitor, presence, history, secret, bus, auth, team, country };
}
