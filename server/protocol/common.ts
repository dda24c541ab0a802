// What every area of the protocol shares: the error codes and the shape of acks.

/** Error codes an ack can carry; one list for the whole protocol. */
export type ErrorCode =
  | 'bad_request' // payload failed validation
  | 'unauthorized' // no valid session / site key
  | 'forbidden' // authenticated, but not allowed to touch this resource
  | 'not_found'
  | 'rate_limited'
  | 'busy' // the visitor (or the agent) is already in a call
  | 'gone' // the call has ended (or never existed)
  | 'invalid_state' // the call is not in a state that allows this (accepting a call that is already in progress)
  | 'confirm_mismatch' // a destructive action's typed confirmation (a workspace's name) does not match
  | 'internal';

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; code: ErrorCode; message?: string };
export type AckFn<T extends object = object> = (res: Ack<T>) => void;

