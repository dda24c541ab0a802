// What the call says to the server and how it checks what the server says: events about the
// call (its callId always first), events that wait for an ack (a late or malformed ack counts
// as failed), and shape checks of payloads.
import type { Ack, CallInvite } from '../../../server/protocol';
import type { Call } from './call-state';
import { log } from './safe';

/** Acks that take longer than this count as failed. */
export const ACK_TIMEOUT_MS = 10_000;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
export const hasCallId = (v: unknown): v is { callId: string } => isObject(v) && typeof v.callId === 'string';

export const validInvite = (v: unknown): v is CallInvite => {
  const agent = isObject(v) ? v.agent : null;
  return hasCallId(v) && isObject(agent) && typeof agent.name === 'string';
};

/** Emits an event about the call: its callId, then `more`; with `ack`, the server's answer comes back. */
export const send = (c: Call, event: string, more?: object, ...ack: [(res: unknown) => void] | []): void => {
  const payload = { callId: c.invite.callId, ...more };
  log('send', event, payload);
  c.session.socket.emit(event, payload, ...ack);
};

export const request = <T extends object>(c: Call, event: string, more: object): Promise<Ack<T>> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, code: 'internal', message: 'timeout' }), ACK_TIMEOUT_MS);
    send(c, event, more, (res) => {
      clearTimeout(timer);
      resolve(isObject(res) && typeof res.ok === 'boolean' ? (res as Ack<T>) : { ok: false, code: 'internal' });
    });
  });
