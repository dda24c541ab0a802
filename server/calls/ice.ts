// ICE configuration for calls. STUN/TURN servers come from ICE_SERVERS; TURN servers that
// share a secret with Porchlight (coturn's `use-auth-secret`, the "TURN REST API" scheme) get
// credentials minted per call and party, valid for a short time. The secret itself never leaves
// the server: browsers only ever see `expiry:name` and its HMAC.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { IceConfig, IceServer } from '../protocol';

const IceUrl = z.string().max(512).regex(/^(stun|stuns|turn|turns):[^\s]+$/, 'must be a stun:, stuns:, turn: or turns: URL');
const IceServerSchema = z
  .object({
    urls: z.union([IceUrl, z.array(IceUrl).min(1).max(10)]),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional(),
  })
  .strict();

/**
 * ICE_SERVERS is either JSON (an RTCIceServer array, as browsers take it) or a comma-separated
 * list of URLs. Empty means host candidates only, which is right on one machine or a LAN.
 */
export function parseIceServers(raw: string | undefined): IceServer[] {
  const text = raw?.trim();
  if (!text) return [];
  if (text.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error('ICE_SERVERS: not valid JSON');
    }
    const parsed = z.array(IceServerSchema).max(10).safeParse(json);
    if (!parsed.success) throw new Error(`ICE_SERVERS: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }
  return text.split(',').map((u) => {
    const url = u.trim();
    if (!IceUrl.safeParse(url).success) throw new Error(`ICE_SERVERS: "${url}" must be a stun:, stuns:, turn: or turns: URL`);
    return { urls: url };
  });
}

/** TURN REST credentials: username `expiry:name`, password base64(HMAC-SHA1(secret, username)). */
export function mintTurnCredential(secret: string, name: string, expiresAtS: number): { username: string; credential: string } {
  const username = `${expiresAtS}:${name}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

const isTurn = (s: IceServer) => (Array.isArray(s.urls) ? s.urls : [s.urls]).some((u) => /^turns?:/.test(u));

export interface IceOptions {
  servers: IceServer[];
  turnSecret: string | undefined;
  ttlS: number;
  policy: 'all' | 'relay';
}

/** The configuration one party of one call receives. */
export function iceFor(o: IceOptions, name: string, nowMs: number): IceConfig {
  const expires = Math.floor(nowMs / 1000) + o.ttlS;
  const iceServers = o.servers.map((s) => {
    // A TURN server configured with its own static username keeps it; the others get minted ones.
    if (!o.turnSecret || !isTurn(s) || s.username) return s;
    return { urls: s.urls, ...mintTurnCredential(o.turnSecret, name, expires) };
  });
  return { iceServers, iceTransportPolicy: o.policy };
}
