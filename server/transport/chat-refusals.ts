// The chat domain's refusals (ChatError) as the ack codes clients get.
import { ChatError } from '../chat/chat-service';
import { ClientError } from './handler';

const asClientError = (err: unknown): unknown => (err instanceof ChatError ? new ClientError(err.code, err.message) : err);

/** A chat handler whose ChatError refusals reach the client as their codes. */
export const wrap =
  <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
  async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (err) {
      throw asClientError(err);
    }
  };
