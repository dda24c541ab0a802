// /agent: dashboard sockets. Authenticated by the dashboard session cookie; an agent can only
// watch sites of their own workspaces. Presence reaches them as a snapshot, then coalesced diffs.
import { fromNodeHeaders } from 'better-auth/node';
import { can } from '../access/access';
import type { Auth } from '../auth';
import { avatarPath } from '../http/avatars';
import type { EventBus } from '../events/bus';
import type { TeamService } from '../team/team-service';
import { readVisitorDetails } from '../history/reader';
import type { HistoryWriter } from '../history/writer';
import type { Db } from '../../drizzle/db';
import type { PresenceEngine } from '../presence/engine';
import type { VisitorAttention } from '../protocol';
import type { Cluster } from '../cluster/cluster';
import { mergeSnapshots } from '../cluster/merge';
import type { SiteStore } from '../sites/site-store';
import { ClientError, on, tokenBucket } from './handler';
import type { AgentNamespace, AgentSocket } from './io';
import { AgentHandshakeSchema, SiteRefSchema, VisitorRefSchema } from './schemas';

/** How soon a dashboard whose snapshot missed a slow process is asked to take another. */
const INCOMPLETE_RETRY_MS = 2_000;

export interface AgentDeps {
  auth: Auth;
  db: Db;
  sites: SiteStore;
  team: Pick<TeamService, 'touch' | 'isAway' | 'workspaceOf' | 'roleIn'>;
  bus: EventBus;
  presence: PresenceEngine;
  history: HistoryWriter;
  /** Origins the dashboard is served from: a socket from anywhere else is refused (cross-site hijacking). */
  dashboardOrigins: () => string[];
  /** Who of the team is on which of the site's visitors (server/transport/attention-events.ts). */
  attention: (workspaceId: string, siteId: string) => Promise<VisitorAttention[]>;
  /** Visitors of a site held by other server processes, and the sparkline of them all. */
  cluster: Pick<Cluster, 'remoteSnapshot' | 'history'>;
  log: (msg: string, err?: unknown) => void;
  callRecords?: { flush(): Promise<void> };
  /** More handlers for each connected agent socket (calls). */
  onConnection?: (socket: AgentSocket) => void;
}

export const siteRoom = (siteId: string) => `site:${siteId}`;
/** Every dashboard socket of a user, and of one session: what revocation closes. */
export const userRoom = (userId: string) => `user:${userId}`;
const sessionRoom = (sessionId: string) => `session:${sessionId}`;

export function attachAgentNamespace(nsp: AgentNamespace, deps: AgentDeps): void {
  nsp.use(async (socket, next) => {
    try {
      const origin = socket.handshake.headers.origin;
      if (origin && !deps.dashboardOrigins().includes(origin)) return next(new Error('forbidden'));
      const session = await deps.auth.api.getSession({ headers: fromNodeHeaders(socket.request.headers) });
      if (!session) return next(new Error('unauthorized'));
      const userId = session.user.id;
      // The page names its workspace; a socket never works across workspaces, and one the user
      // is not a member of (any more) is refused, so the page can say so instead of showing nothing.
      const asked = AgentHandshakeSchema.safeParse(socket.handshake.auth ?? {});
      if (!asked.success) return next(new Error('bad_request'));
      const wanted = asked.data.workspaceId;
      const ws = wanted ? { id: wanted, role: await deps.team.roleIn(userId, wanted) } : await deps.team.workspaceOf(userId);
      if (wanted && !ws?.role) return next(new Error('not_member'));
      socket.data = { userId, name: session.user.name, sessionId: session.session.id, away: await deps.team.isAway(userId), idle: false, workspaceId: ws?.id ?? null, role: ws?.role ?? null };
      // What visitors see of the agent's picture (chat faces, call card); a new one with the next connection.
      socket.data.avatar = avatarPath(userId, session.user.image);
      next();
    } catch (err) {
      deps.log('agent handshake failed', err);
      next(new Error('internal'));
    }
  });

  // Access ends at once: the user's (or the session's) sockets close, on every process (the
  // adapter carries it), and reconnect only if the session still lets them in; every watch and
  // action is judged again then.
  deps.bus.subscribe('access:changed', ({ userId, sessionId }) => {
    nsp.in(sessionId ? sessionRoom(sessionId) : userRoom(userId)).disconnectSockets(true);
  });

  nsp.on('connection', (socket: AgentSocket) => {
    const { userId, sessionId } = socket.data;
    void socket.join([userRoom(userId), sessionRoom(sessionId)]);
    deps.team.touch(userId).catch((err: unknown) => deps.log('last activity update failed', err));
    const limiter = tokenBucket(20, 60);
    const onError = (err: unknown) => deps.log('agent event failed', err);

    // Only sites of the socket's workspace exist for it: another workspace's ids are not_found.
    const ownSite = async (siteId: string) => {
      const found = await deps.sites.getWithRole(userId, siteId);
      if (!found || found.site.workspaceId !== socket.data.workspaceId) throw new ClientError('not_found', 'no such site');
      if (!can(found.role, 'live:watch')) throw new ClientError('forbidden', 'not allowed');
    };

    const opts = { limiter, onError };
    on(socket, 'site:watch', SiteRefSchema, async ({ siteId }) => {
      await ownSite(siteId);
      await socket.join(siteRoom(siteId));
      // `at` is when the local part was taken: diffs after it are replayed on the snapshot (the
      // remote parts, gathered later, are at least as fresh).
      const at = Date.now();
      const local = deps.presence.snapshot(siteId);
      const [remote, history, attention] = await Promise.all([deps.cluster.remoteSnapshot(siteId), deps.cluster.history(siteId), deps.attention(socket.data.workspaceId ?? '', siteId)]);
      // A process too busy to answer in time: this snapshot lacks its visitors, so the dashboard
      // is asked to take another one shortly (it keeps what it has meanwhile).
      if (!remote.complete) setTimeout(() => socket.connected && socket.emit('presence:resync', { reason: 'incomplete' }), INCOMPLETE_RETRY_MS).unref();
      return { visitors: mergeSnapshots(local, remote.visitors), history, at, attention };
    }, opts);
    on(socket, 'site:unwatch', SiteRefSchema, async ({ siteId }) => {
      await socket.leave(siteRoom(siteId));
      return {};
    }, opts);
    on(socket, 'visitor:details', VisitorRefSchema, async ({ siteId, visitorId }) => {
      await ownSite(siteId);
      // So the trail includes the page they just opened, and the calls list the call just ended.
      await Promise.all([deps.history.flush(), deps.callRecords?.flush()]);
      const details = await readVisitorDetails(deps.db, siteId, visitorId, deps.presence.visitIdOf(siteId, visitorId));
      return { details };
    }, opts);
    deps.onConnection?.(socket);
  });
}

/** The merge rule lives with the rest of what spans processes. */
export { mergeSnapshots };
