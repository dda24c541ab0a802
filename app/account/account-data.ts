// Server-side reads for the Account page and the header avatar (pages and layouts only).
import { cache } from 'react';
import { services } from '../../server/services';
import { deviceFromUserAgent } from '../../server/visitors/device';
import type { Device } from '../../server/protocol';

/** One signed-in browser of the user, as the Account page shows it. */
export interface SessionView {
  id: string;
  /** better-auth's session token, what `revokeSession` takes (only the viewer's own; '' for this browser). */
  token: string;
  current: boolean;
  device: Device;
  ip: string | null;
  createdAt: number;
  /** When better-auth last refreshed the session (at most once a day, `session.updateAge`). */
  lastActiveAt: number;
}

/** The user's picture (a small data URL) or null. Cached per request: the layout and the page share it. */
export const userImage = cache(async (userId: string): Promise<string | null> => {
  const ctx = await services().auth.$context;
  const u = await ctx.internalAdapter.findUserById(userId);
  return u?.image ?? null;
});

/**
 * The user's active sessions, this browser first. Read through better-auth's internal adapter, the
 * same query its /list-sessions endpoint runs, but without that endpoint's "fresh session" rule
 * (signed in less than a day ago): someone signed in for a week must still see and end them.
 */
export async function activeSessions(userId: string, currentSessionId: string): Promise<SessionView[]> {
  const ctx = await services().auth.$context;
  const now = Date.now();
  const rows = await ctx.internalAdapter.listSessions(userId, { onlyActiveSessions: true });
  return rows
    .filter((s) => new Date(s.expiresAt).getTime() > now)
    .map((s) => {
      const createdAt = new Date(s.createdAt).getTime();
      const current = s.id === currentSessionId;
      return {
        id: s.id,
        // This browser is never revoked from the list (it logs out instead): its token stays here.
        token: current ? '' : s.token,
        current,
        device: deviceFromUserAgent(s.userAgent ?? undefined),
        ip: s.ipAddress || null,
        createdAt,
        lastActiveAt: Math.max(createdAt, new Date(s.updatedAt).getTime()),
      };
    })
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt - a.lastActiveAt);
}
