// Signed visitor tokens. A visitor id is not a secret (dashboards and logs show it), so it
// cannot be what opens a visitor's conversation. Each browser gets a token on first contact:
// a random id plus an HMAC binding it to the site and the visitor id. A conversation belongs to
// the token id it was created for, so knowing someone's visitor id gets a token of your own,
// never theirs.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_BYTES = 16;
const SIG_LENGTH = 32; // base64url characters of the HMAC kept (192 bits)

export interface VisitorTokens {
  issue(siteId: string, visitorId: string): { token: string; tokenId: string };
  /** The token's id when it is valid for this site and visitor, else null. */
  verify(siteId: string, visitorId: string, token: string | undefined): string | null;
}

export function visitorTokens(secret: string): VisitorTokens {
  // A key of its own, so a token never doubles as anything else signed with the secret.
  const key = createHmac('sha256', secret).update('porchlight visitor token v1').digest();
  const sign = (siteId: string, visitorId: string, id: string) =>
    createHmac('sha256', key).update(`${siteId}\n${visitorId}\n${id}`).digest('base64url').slice(0, SIG_LENGTH);
  return {
    issue(siteId, visitorId) {
      const tokenId = randomBytes(ID_BYTES).toString('base64url');
      return { token: `${tokenId}.${sign(siteId, visitorId, tokenId)}`, tokenId };
    },
    verify(siteId, visitorId, token) {
      if (!token) return null;
      const [id, sig, extra] = token.split('.');
      if (!id || !sig || extra !== undefined || !/^[A-Za-z0-9_-]{22}$/.test(id)) return null;
      const want = Buffer.from(sign(siteId, visitorId, id));
      const got = Buffer.from(sig);
      return got.length === want.length && timingSafeEqual(got, want) ? id : null;
    },
  };
}
