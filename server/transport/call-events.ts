// Wires calls to socket.io: the call:* events of both namespaces go through zod and the
// CallBook, and the CallBook's events become messages to the two parties of a call only.
// Signals are relayed as the exact string that came in, to one socket id the CallBook chose.
import type { Namespace, Socket } from 'socket.io';
import type { CallBook, CallEvent, Party, VisitorParty } from '../calls/call-book';
import type { CallRecorder } from '../calls/call-records';
import { iceFor, type IceOptions } from '../calls/ice';
import type { PresenceEngine } from '../presence/engine';
import type { AgentClientEvents, AgentServerEvents, CallInvite, VisitorClientEvents, VisitorServerEvents } from '../protocol';
import type { SiteStore } from '../sites/site-store';
import type { AgentSocketData } from './agent-namespace';
import { ClientError, handle, tokenBucket } from './handler';
import { CallAcceptSchema, CallMediaStateSchema, CallRefSchema, CallSignalSchema, CallStartSchema } from './schemas';
import type { VisitorSocketData } from './visitor-namespace';

type VisitorSocket = Socket<VisitorClientEvents, VisitorServerEvents, Record<string, never>, VisitorSocketData>;
type AgentSocket = Socket<AgentClientEvents, AgentServerEvents, Record<string, never>, AgentSocketData>;

/** Every tab of one visitor: invitations ring in all of them. */
export const visitorRoom = (siteId: string, visitorId: string) => `visitor:${siteId}:${visitorId}`;

export const initialsOf = (name: string): string =>
  name
    .trim()
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => Array.from(w)[0] ?? '')
    .join('')
    .toUpperCase() || '?';

export interface CallTransportDeps {
  book: () => CallBook;
  recorder: CallRecorder;
  presence: PresenceEngine;
  sites: SiteStore;
  ice: IceOptions;
  visitorNsp: Namespace;
  agentNsp: Namespace;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
}

export function createCallTransport(d: CallTransportDeps) {
  const toVisitors = (siteId: string, visitorId: string) => d.visitorNsp.to(visitorRoom(siteId, visitorId));
  const iceForParty = (callId: string, party: 'a' | 'v') => iceFor(d.ice, `${callId}-${party}`, d.now());
  const inviteOf = (call: CallEvent['call']): CallInvite => ({
    callId: call.id,
    agent: { name: call.agent.name, initials: initialsOf(call.agent.name) },
    company: call.company,
    video: call.video,
    expiresAt: call.expiresAt,
  });

  /** The CallBook's events, turned into messages, live-table updates and records. */
  const onCallEvent = (e: CallEvent): void => {
    const { call } = e;
    switch (e.type) {
      case 'invited':
        toVisitors(call.siteId, call.visitorId).emit('call:invite', inviteOf(call));
        d.presence.setCall(call.siteId, call.visitorId, { callId: call.id, agentName: call.agent.name, phase: 'ringing' });
        d.recorder.started(call);
        return;
      case 'accepted': {
        const v = call.visitor;
        if (!v) return;
        d.agentNsp.to(call.agent.socketId).emit('call:accepted', { callId: call.id, ice: iceForParty(call.id, 'a'), media: v.media, problems: v.problems });
        // The visitor's other tabs stop ringing.
        toVisitors(call.siteId, call.visitorId).except(v.socketId).emit('call:ended', { callId: call.id, outcome: 'answered', reason: 'answered_elsewhere', by: 'visitor', durationMs: null });
        d.presence.setCall(call.siteId, call.visitorId, { callId: call.id, agentName: call.agent.name, phase: 'in-call' });
        d.recorder.answered(call);
        return;
      }
      case 'connected':
        return;
      case 'away':
        d.agentNsp.to(call.agent.socketId).emit('call:away', { callId: call.id });
        return;
      case 'rejoined': {
        const v = call.visitor;
        if (!v) return;
        d.agentNsp.to(call.agent.socketId).emit('call:rejoined', { callId: call.id, ice: iceForParty(call.id, 'a'), media: v.media, problems: v.problems });
        return;
      }
      case 'ended':
        d.agentNsp.to(call.agent.socketId).emit('call:ended', e.end);
        toVisitors(call.siteId, call.visitorId).emit('call:ended', e.end);
        d.presence.setCall(call.siteId, call.visitorId, null);
        d.recorder.ended(call);
        return;
    }
  };

  /** Turns a refused CallBook result into the ack's error. */
  const must = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
    if (!r.ok) {
      const f = r as unknown as { code: ConstructorParameters<typeof ClientError>[0]; message: string };
      throw new ClientError(f.code, f.message);
    }
    return r as Extract<T, { ok: true }>;
  };

  const onVisitorConnection = (socket: VisitorSocket): void => {
    const { siteId, visitorId, tabId } = socket.data;
    const visitor = (): VisitorParty => ({ siteId, visitorId, tabId, socketId: socket.id });
    const me = (): Party => ({ kind: 'visitor', ...visitor() });
    const limiter = tokenBucket(30, 120);
    const onError = (err: unknown) => d.log('visitor call event failed', err);
    const opts = { limiter, onError };
    void socket.join(visitorRoom(siteId, visitorId));

    // A tab that comes back mid-call (its next page) is told to rejoin; a new tab of a visitor
    // being rung rings too.
    const current = d.book().ofVisitor(siteId, visitorId);
    if (current?.visitor?.tabId === tabId && current.acceptedAt !== null) {
      socket.emit('call:ongoing', { ...inviteOf(current), acceptedAt: current.acceptedAt, media: current.visitor.media });
    } else if (current?.phase === 'ringing') {
      socket.emit('call:invite', inviteOf(current));
    }

    socket.on(
      'call:accept',
      handle(CallAcceptSchema, (p) => {
        const { call } = must(d.book().accept(p.callId, visitor(), p.media, p.problems ?? []));
        return { ice: iceForParty(call.id, 'v') };
      }, opts),
    );
    socket.on(
      'call:rejoin',
      handle(CallAcceptSchema, (p) => {
        const { call } = must(d.book().rejoin(p.callId, visitor(), p.media, p.problems ?? []));
        return { ice: iceForParty(call.id, 'v') };
      }, opts),
    );
    socket.on(
      'call:decline',
      handle(CallRefSchema, (p) => {
        must(d.book().decline(p.callId, visitor()));
        return {};
      }, opts),
    );
    socket.on(
      'call:navigating',
      handle(CallRefSchema, (p) => {
        must(d.book().navigating(p.callId, visitor()));
        return {};
      }, opts),
    );
    wirePartyEvents(socket as unknown as PartySocket, me, d, opts, must);

    socket.on('disconnect', (reason) => {
      const book = d.book();
      // "client namespace disconnect": the page closed its socket itself (pagehide), i.e. the
      // tab closed or left; anything else (network, server) may come back.
      book.visitorSocketClosed(socket.id, reason === 'client namespace disconnect');
      if (!d.visitorNsp.adapter.rooms.get(visitorRoom(siteId, visitorId))?.size) book.visitorGone(siteId, visitorId);
    });
  };

  const onAgentConnection = (socket: AgentSocket): void => {
    const { userId, name } = socket.data;
    const me = (): Party => ({ kind: 'agent', userId, socketId: socket.id });
    const limiter = tokenBucket(30, 120);
    const onError = (err: unknown) => d.log('agent call event failed', err);
    const opts = { limiter, onError };

    socket.on(
      'call:start',
      handle(CallStartSchema, async (p) => {
        const site = await d.sites.getForUser(userId, p.siteId);
        if (!site) throw new ClientError('forbidden', 'not your site');
        if (!d.visitorNsp.adapter.rooms.get(visitorRoom(p.siteId, p.visitorId))?.size) throw new ClientError('not_found', 'This visitor is not on the site any more');
        const { call } = must(d.book().start({ siteId: p.siteId, visitorId: p.visitorId, video: p.video, company: site.name, agent: { userId, name, socketId: socket.id } }));
        return { call: { callId: call.id, siteId: call.siteId, visitorId: call.visitorId, video: call.video, phase: call.phase, createdAt: call.createdAt, expiresAt: call.expiresAt } };
      }, opts),
    );
    socket.on(
      'call:cancel',
      handle(CallRefSchema, (p) => {
        must(d.book().cancel(p.callId, { userId, socketId: socket.id }));
        return {};
      }, opts),
    );
    wirePartyEvents(socket as unknown as PartySocket, me, d, opts, must);
    socket.on('disconnect', () => d.book().agentSocketClosed(socket.id));
  };

  return { onCallEvent, onVisitorConnection, onAgentConnection };
}

/** The events both parties send in the same shape. */
type PartySocket = Socket<Pick<AgentClientEvents, 'call:signal' | 'call:connected' | 'call:media' | 'call:hangup'>>;

function wirePartyEvents(
  socket: PartySocket,
  me: () => Party,
  d: CallTransportDeps,
  opts: { limiter: () => boolean; onError: (err: unknown) => void },
  must: <T extends { ok: boolean }>(r: T) => Extract<T, { ok: true }>,
): void {
  const nspOf = (kind: 'agent' | 'visitor') => (kind === 'agent' ? d.agentNsp : d.visitorNsp);
  socket.on(
    'call:signal',
    handle(CallSignalSchema, (p) => {
      const { to } = must(d.book().relay(p.callId, me()));
      nspOf(to.kind).to(to.socketId).emit('call:signal', { callId: p.callId, data: p.data });
      return {};
    }, opts),
  );
  socket.on(
    'call:media',
    handle(CallMediaStateSchema, (p) => {
      const { to } = must(d.book().relay(p.callId, me()));
      nspOf(to.kind).to(to.socketId).emit('call:media', { callId: p.callId, audio: p.audio, video: p.video, ...(p.screen === undefined ? {} : { screen: p.screen }) });
      return {};
    }, opts),
  );
  socket.on(
    'call:connected',
    handle(CallRefSchema, (p) => {
      must(d.book().connected(p.callId, me()));
      return {};
    }, opts),
  );
  socket.on(
    'call:hangup',
    handle(CallRefSchema, (p) => {
      must(d.book().hangup(p.callId, me()));
      return {};
    }, opts),
  );
}
