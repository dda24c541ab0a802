// The JSON shape of a site in the HTTP API and the props handed to client components.
import type { SiteRecord } from '../../server/sites/site-store';

export interface SiteJson {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  chatGreeting: string;
  chatSneakPeek: boolean;
  createdAt: string;
}

export function siteJson(s: SiteRecord): SiteJson {
  return {
    id: s.id,
    name: s.name,
    publicKey: s.publicKey,
    allowedOrigins: [...s.allowedOrigins],
    chatGreeting: s.chatGreeting,
    chatSneakPeek: s.chatSneakPeek,
    createdAt: new Date(s.createdAt).toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Site ids are UUIDs: anything else is "not found" without asking the database. */
export const isSiteId = (id: string): boolean => UUID.test(id);
