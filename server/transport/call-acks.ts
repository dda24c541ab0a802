// What the agent's and the visitor's call handlers share: a call operation run as the event's
// ack (here or on the process holding the call), and the events both parties send alike.
import type { Socket } from 'socket.io';
import type { Party } from '../calls/call-book';
import type { CallOp, OpResult } from '../calls/call-ops';
import type { AgentClientEvents, IceConfig } from '../protocol';
import { ClientError, on, type HandlerOptions } from './handler';
import { CallMediaStateSchema, CallRefSchema, CallSignalSchema } from './schemas';

export type CallAcks = ReturnType<typeof createCallAcks>;

/** `run` carries out an operation wherever its call is held. */
export function createCallAcks(run: (o: CallOp) => Promise<OpResult>) {
  const must = async (o: CallOp): Promise<Record<string, never>> => {
    const r = await run(o);
    if (!r.ok) throw new ClientError(r.code, r.message);
    return {};
  };
  /** Accept and rejoin: the visitor's tab gets its ICE configuration and resume token. */
  const join = async (o: CallOp & { op: 'accept' | 'rejoin' }): Promise<{ ice: IceConfig; resumeToken: string }> => {
    const r = await run(o);
    if (!r.ok) throw new ClientError(r.code, r.message);
    if (!r.ice) throw new Error('accept answered without an ICE configuration');
    return { ice: r.ice, resumeToken: r.resumeToken ?? '' };
  };
  return { must, join };
}

/** The events both parties send in the same shape. */
export type PartySocket = Socket<Pick<AgentClientEvents, 'call:signal' | 'call:connected' | 'call:media' | 'call:hangup'>>;

export function wirePartyEvents(
  socket: PartySocket,
  me: () => Party,
  must: (o: CallOp) => Promise<Record<string, never>>,
  opts: HandlerOptions,
): void {
  on(socket, 'call:signal', CallSignalSchema, (p) => must({ op: 'signal', callId: p.callId, party: me(), data: p.data }), opts);
  on(socket, 'call:media', CallMediaStateSchema, (p) => must({ op: 'media', callId: p.callId, party: me(), audio: p.audio, video: p.video, ...(p.screen === undefined ? {} : { screen: p.screen }) }), opts);
  on(socket, 'call:connected', CallRefSchema, (p) => must({ op: 'connected', callId: p.callId, party: me() }), opts);
  on(socket, 'call:hangup', CallRefSchema, (p) => must({ op: 'hangup', callId: p.callId, party: me() }), opts);
}
