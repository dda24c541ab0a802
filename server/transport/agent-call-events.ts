// The agent's side of calls: ringing a visitor (after the access and rate checks), cancelling,
// and the events both parties send.
import type { CallBook } from '../calls/call-book';
import type { SiteStore } from '../sites/site-store';
import { wirePartyEvents, type CallAcks, type PartySocket } from './call-acks';
import type { CallCluster } from './call-cluster';
import { ClientError, on, tokenBucket } from './handler';
import type { AgentSocket, VisitorNamespace } from './io';
import { CallRefSchema, CallStartSchema } from './schemas';
import { visitorOnline } from './visitor-room';

export interface AgentCallDeps {
  book: CallBook;
  sites: SiteStore;
  visitorNsp: VisitorNamespace;
  calls: Pick<CallCluster, 'elsewhere' | 'claimVisitor' | 'releaseVisitor'>;
  acks: CallAcks;
  clustered: boolean;
  log: (msg: string, err?: unknown) => void;
}

/** What a newly connected agent socket needs for calls. */
export function createAgentCallHandlers(d: AgentCallDeps): (socket: AgentSocket) => void {
  const { must } = d.acks;
  return (socket) => {
    const { userId, name } = socket.data;
    const limiter = tokenBucket(30, 120);
    const onError = (err: unknown) => d.log('agent call event failed', err);
    const opts = { limiter, onError };

    // Ringing someone is intrusive: a dashboard socket (or a script with an agent's session)
    // cannot flood a visitor with invitations by cancelling and calling again. Per socket, like
    // the other limits: each further socket needs the session and passes the same origin check.
    const startLimiter = tokenBucket(1, 10);
    on(socket, 'call:start', CallStartSchema, async (p) => {
        if (!startLimiter()) throw new ClientError('rate_limited', 'Too many calls in a row: wait a moment');
        const site = await d.sites.getForUser(userId, p.siteId);
        // Only the socket's workspace exists for it: another workspace's site is not_found.
        if (!site || site.workspaceId !== socket.data.workspaceId) throw new ClientError('not_found', 'no such site');
        const busy = () => {
          const held = d.calls.elsewhere(p.siteId, p.visitorId);
          return new ClientError('busy', held ? `This visitor is in a call with ${held.invite.agent.name}` : 'This visitor is already being called');
        };
        if (!(await visitorOnline(d.visitorNsp, d.clustered, p.siteId, p.visitorId))) throw new ClientError('not_found', 'This visitor is not on the site any more');
        if (!(await d.calls.claimVisitor(p.siteId, p.visitorId))) throw busy();
        const r = d.book.start({ siteId: p.siteId, visitorId: p.visitorId, video: p.video, company: site.name, agent: { userId, name, socketId: socket.id, avatar: socket.data.avatar ?? null } });
        if (!r.ok) {
          await d.calls.releaseVisitor(p);
          throw new ClientError(r.code, r.message);
        }
        const { call } = r;
        return { call: { callId: call.id, siteId: call.siteId, visitorId: call.visitorId, video: call.video, phase: call.phase, createdAt: call.createdAt, expiresAt: call.expiresAt } };
      }, opts);
    on(socket, 'call:cancel', CallRefSchema, (p) => must({ op: 'cancel', callId: p.callId, party: { userId, socketId: socket.id } }), opts);
    wirePartyEvents(socket as unknown as PartySocket, () => ({ kind: 'agent', userId, socketId: socket.id }), must, opts);
    // The agent's calls are always held by this process (they started them here).
    socket.on('disconnect', () => d.book.agentSocketClosed(socket.id));
  };
}
