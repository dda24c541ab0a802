// The one http.Server Porchlight runs on: listening first (the port, possibly 0, decides the
// public URL and the origins everything else trusts), then what answers its plain requests once
// the services behind them exist. socket.io attaches to the same server (socket-server.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { toNodeHandler } from 'better-auth/node';
import { sql } from 'drizzle-orm';
import type { Database } from '../drizzle/db';
import type { Auth } from './auth';
import type { Cluster } from './cluster/cluster';
import type { Config } from './config';
import type { Metrics } from './http/metrics';
import { createAvatarServer, memberAvatar } from './http/avatars';
import { createRouter, type RequestHandler } from './http/router';
import { createSnippetServer } from './http/snippet-files';

export interface Listening {
  httpServer: http.Server;
  port: number;
  /** Where browsers reach this server (PUBLIC_URL, else localhost on the bound port). */
  publicUrl: string;
  /** The dashboard's own origins: the only ones trusted with cookies and agent sockets. */
  dashboardOrigins: string[];
}

export async function listenHttp(config: Config): Promise<Listening> {
  const httpServer = http.createServer();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const dashboardOrigins = [...new Set([new URL(publicUrl).origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
  return { httpServer, port, publicUrl, dashboardOrigins };
}

export interface HttpRoutesDeps {
  listening: Listening;
  config: Config;
  database: Database;
  auth: Auth;
  metrics: Metrics;
  /** /healthz says whether processes share Redis; /readyz pings it. */
  cluster: Cluster;
  snippetDir: string;
  nextHandler?: RequestHandler;
  nextUpgrade?: (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;
  log: (msg: string, err?: unknown) => void;
}

/** Hands the server's requests (and, in dev, Next's own websocket) to their handlers. */
export function routeHttp(d: HttpRoutesDeps): void {
  const { httpServer, dashboardOrigins } = d.listening;
  const { config, database } = d;
  httpServer.on(
    'request',
    createRouter({
      snippet: createSnippetServer(d.snippetDir),
      avatars: createAvatarServer((userId) => memberAvatar(database.db, userId), d.log),
      auth: toNodeHandler(d.auth),
      metrics: d.metrics,
      next: d.nextHandler,
      trustedProxies: config.trustedProxies,
      dashboardOrigins,
      health: () => ({ db: database.kind, redis: d.cluster.shared }),
      ready: { db: () => database.db.execute(sql`select 1`), redis: d.cluster.ping },
      dev: process.env.__NEXT_DEV_SERVER === '1' || process.env.NODE_ENV === 'development',
      log: d.log,
    }),
  );
  if (d.nextUpgrade) {
    const upgrade = d.nextUpgrade;
    httpServer.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/_next/')) upgrade(req, socket, head);
    });
  }
}
