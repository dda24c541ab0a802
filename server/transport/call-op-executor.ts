// Carries out a call operation on a call this process holds, whichever process the party's
// socket is on: the CallBook decides, and signals and media notices are relayed as they came in
// to the one socket id the CallBook chose.
import type { CallBook } from '../calls/call-book';
import type { CallOp, OpResult } from '../calls/call-ops';
import type { IceOptions } from '../calls/ice';
import type { AgentServerEvents, ErrorCode, VisitorServerEvents } from '../protocol';
import { partyIce } from './call-views';
import type { AgentNamespace, VisitorNamespace } from './io';

export interface CallOpExecutorDeps {
  book: CallBook;
  ice: IceOptions;
  agentNsp: AgentNamespace;
  visitorNsp: VisitorNamespace;
  now: () => number;
}

export function createCallOpExecutor(d: CallOpExecutorDeps): (o: CallOp) => OpResult {
  const refuse = (r: { ok: false; code: ErrorCode; message: string }): OpResult => ({ ok: false, code: r.code, message: r.message });
  return (o) => {
    const book = d.book;
    switch (o.op) {
      case 'accept':
      case 'rejoin': {
        const r = o.op === 'accept' ? book.accept(o.callId, o.party, o.media, o.problems) : book.rejoin(o.callId, o.party, o.resumeToken, o.media, o.problems);
        return r.ok ? { ok: true, ice: partyIce(d.ice, r.call.id, 'v', d.now()), resumeToken: r.call.resumeToken ?? '' } : refuse(r);
      }
      case 'decline':
      case 'navigating':
      case 'answering': {
        const r = o.op === 'decline' ? book.decline(o.callId, o.party) : o.op === 'navigating' ? book.navigating(o.callId, o.party) : book.answering(o.callId, o.party);
        return r.ok ? { ok: true } : refuse(r);
      }
      case 'connected':
      case 'hangup': {
        const r = o.op === 'connected' ? book.connected(o.callId, o.party) : book.hangup(o.callId, o.party);
        return r.ok ? { ok: true } : refuse(r);
      }
      case 'cancel': {
        const r = book.cancel(o.callId, o.party);
        return r.ok ? { ok: true } : refuse(r);
      }
      case 'signal':
      case 'media': {
        const r = book.relay(o.callId, o.party);
        if (!r.ok) return refuse(r);
        // Both namespaces name these events alike; each emit is checked against its own map.
        const target = r.to.socketId;
        const emit = r.to.kind === 'agent' ? <E extends 'call:signal' | 'call:media'>(e: E, ...a: Parameters<AgentServerEvents[E]>) => d.agentNsp.to(target).emit(e, ...a) : <E extends 'call:signal' | 'call:media'>(e: E, ...a: Parameters<VisitorServerEvents[E]>) => d.visitorNsp.to(target).emit(e, ...a);
        if (o.op === 'signal') emit('call:signal', { callId: o.callId, data: o.data });
        else emit('call:media', { callId: o.callId, audio: o.audio, video: o.video, ...(o.screen === undefined ? {} : { screen: o.screen }) });
        return { ok: true };
      }
    }
  };
}
