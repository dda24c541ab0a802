import { createHash } from 'node:crypto';

/** A visit's primary key, derived so that page views can be written without looking the visit up. */
export function visitRowId(siteId: string, visitorKey: string, visitKey: string): string {
  return createHash('sha256').update(`${siteId}\n${visitorKey}\n${visitKey}`).digest('base64url').slice(0, 32);
}
