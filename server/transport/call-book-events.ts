// The CallBook's events, turned into messages to the two parties of a call only, live-table
// updates (here and in the other processes' directories) and call records.
import type { CallEvent } from '../calls/call-book';
import type { CallRecorder } from '../calls/call-records';
import type { IceOptions } from '../calls/ice';
import type { CallCluster } from './call-cluster';
import { inviteOf, partyIce } from './call-views';
import type { AgentNamespace, VisitorNamespace } from './io';
import { visitorRoom } from './visitor-room';

export interface CallBookEventsDeps {
  recorder: CallRecorder;
  ice: IceOptions;
  visitorNsp: VisitorNamespace;
  agentNsp: AgentNamespace;
  calls: Pick<CallCluster, 'publish' | 'releaseVisitor'>;
  now: () => number;
  log: (msg: string, err?: unknown) => void;
}

export function createCallEventHandler(d: CallBookEventsDeps): (e: CallEvent) => void {
  const toVisitors = (siteId: string, visitorId: string) => d.visitorNsp.to(visitorRoom(siteId, visitorId));
  const agentIce = (callId: string) => partyIce(d.ice, callId, 'a', d.now());
  return (e) => {
    const { call } = e;
    switch (e.type) {
      case 'invited':
        toVisitors(call.siteId, call.visitorId).emit('call:invite', inviteOf(call));
        d.calls.publish(call, false);
        d.recorder.started(call);
        return;
      case 'accepted': {
        const v = call.visitor;
        if (!v) return;
        d.agentNsp.to(call.agent.socketId).emit('call:accepted', { callId: call.id, ice: agentIce(call.id), media: v.media, problems: v.problems });
        // The visitor's other tabs stop ringing.
        toVisitors(call.siteId, call.visitorId).except(v.socketId).emit('call:ended', { callId: call.id, outcome: 'answered', reason: 'answered_elsewhere', by: 'visitor', durationMs: null });
        d.calls.publish(call, false);
        d.recorder.answered(call);
        return;
      }
      case 'answering':
        d.agentNsp.to(call.agent.socketId).emit('call:answering', { callId: call.id, ringsForMs: Math.max(0, call.expiresAt - d.now()) });
        return;
      case 'connected':
        return;
      case 'away':
        d.agentNsp.to(call.agent.socketId).emit('call:away', { callId: call.id });
        return;
      case 'rejoined': {
        const v = call.visitor;
        if (!v) return;
        d.agentNsp.to(call.agent.socketId).emit('call:rejoined', { callId: call.id, ice: agentIce(call.id), media: v.media, problems: v.problems });
        d.calls.publish(call, false);
        return;
      }
      case 'ended': {
        // The lock goes first: the release and the directory update travel on the same Redis
        // connection, so a process that hears the call ended finds the visitor free too.
        d.calls.releaseVisitor(call).catch((err) => d.log('visitor lock release failed', err));
        d.agentNsp.to(call.agent.socketId).emit('call:ended', e.end);
        toVisitors(call.siteId, call.visitorId).emit('call:ended', e.end);
        d.calls.publish(call, true);
        d.recorder.ended(call);
        return;
      }
    }
  };
}
