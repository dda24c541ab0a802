// Agents' pictures, served from the Porchlight origin so customer pages can show them to visitors
// as plain images: GET /avatars/<userId>?v=<hash>. The picture is stored on the user as a small
// data URL (better-auth's `user.image`, checked by server/auth.ts); the URL a visitor gets
// (avatarPath, filled into AgentBrief and the call invite when the agent's dashboard connects)
// carries a short hash of it, so the response can be cached for a year: a new picture is a new URL.
// Only users who are a member of some workspace have a public picture; no cookie is read.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import { eq } from 'drizzle-orm';
import type { Db } from '../../drizzle/db';
import { user, workspaceMember } from '../../drizzle/schema';

const PREFIX = '/avatars/';
/** better-auth ids are 32 alphanumerics; anything else is not a user id (and never reaches the database). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The formats the Account page stores (server/auth.ts refuses anything else). */
const DATA_URL = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/]+={0,2})$/;
/** A looked-up picture is reused this long (a changed picture asks for a new version: looked up again). */
const CACHE_MS = 30_000;
const CACHE_ENTRIES = 200;
const YEAR_S = 31_536_000;

export interface AvatarImage {
  type: string;
  body: Buffer;
  /** Short hash of the stored data URL: the `v` of its URL. */
  version: string;
}

const versionOf = (dataUrl: string): string => createHash('sha256').update(dataUrl).digest('base64url').slice(0, 12);

/** The stored data URL as image bytes and content type; null for anything that is not a PNG, JPEG or WebP data URL. */
export function decodeAvatar(dataUrl: string | null | undefined): AvatarImage | null {
  const m = dataUrl ? DATA_URL.exec(dataUrl) : null;
  if (!m || !dataUrl) return null;
  const body = Buffer.from(m[2]!, 'base64');
  return body.length ? { type: m[1]!, body, version: versionOf(dataUrl) } : null;
}

/**
 * Where a user's picture is served, as a path on this server (`/avatars/<id>?v=<hash>`), or
 * null without one. A path, not an absolute URL: the widget resolves it against the server it
 * was loaded from (which knows the public address and any path prefix), the dashboard against
 * its own origin.
 */
export function avatarPath(userId: string, image: string | null | undefined): string | null {
  if (!ID.test(userId) || !image || !DATA_URL.test(image)) return null;
  return `${PREFIX}${userId}?v=${versionOf(image)}`;
}

/** The picture of a workspace member (null: no such member, or no picture). */
export async function memberAvatar(db: Db, userId: string): Promise<string | null> {
  const [row] = await db.select({ image: user.image }).from(user).innerJoin(workspaceMember, eq(workspaceMember.userId, user.id)).where(eq(user.id, userId)).limit(1);
  return row?.image ?? null;
}

export function createAvatarServer(lookup: (userId: string) => Promise<string | null>, log: (msg: string, err?: unknown) => void) {
  const cache = new Map<string, { at: number; image: AvatarImage | null }>();
  const find = async (userId: string, version: string | null): Promise<AvatarImage | null> => {
    const hit = cache.get(userId);
    // A version other than the cached one may be a picture changed since (on another process).
    if (hit && Date.now() - hit.at < CACHE_MS && (!version || hit.image?.version === version)) return hit.image;
    const image = decodeAvatar(await lookup(userId));
    cache.delete(userId);
    cache.set(userId, { at: Date.now(), image });
    // Oldest first (insertion order): a few hundred small pictures at most.
    for (const key of cache.keys()) {
      if (cache.size <= CACHE_ENTRIES) break;
      cache.delete(key);
    }
    return image;
  };

  return {
    handles: (url: string) => url.startsWith(PREFIX),
    async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
      const headers: http.OutgoingHttpHeaders = {
        // Customer pages on any origin show it as an <img> (with or without crossorigin).
        'cross-origin-resource-policy': 'cross-origin',
        'access-control-allow-origin': '*',
        'x-content-type-options': 'nosniff',
        // Opened on its own, it is an image and nothing else.
        'content-security-policy': "default-src 'none'; sandbox",
      };
      const notFound = () => res.writeHead(404, { ...headers, 'content-type': 'text/plain', 'cache-control': 'public, max-age=60' }).end('Not found');
      if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      const url = new URL(req.url ?? '/', 'http://x');
      const id = url.pathname.slice(PREFIX.length);
      if (!ID.test(id)) return void notFound();
      const version = url.searchParams.get('v');
      let image: AvatarImage | null;
      try {
        image = await find(id, version);
      } catch (err) {
        log('avatar lookup failed', err);
        return void res.writeHead(503, { ...headers, 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('Unavailable');
      }
      if (!image) return void notFound();
      const etag = `"${image.version}"`;
      Object.assign(headers, {
        'content-type': image.type,
        // Versioned URLs never change; an old or missing version gets today's picture, revalidated on each use.
        'cache-control': version === image.version ? `public, max-age=${YEAR_S}, immutable` : 'no-cache',
        etag,
      });
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304, headers).end();
      headers['content-length'] = image.body.length;
      res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : image.body);
    },
  };
}
