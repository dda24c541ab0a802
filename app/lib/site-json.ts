// The JSON shape of a site in the HTTP API and the props handed to client components.
import type { SiteRecord } from '../../server/sites/site-store';

/** The site as the dashboard sees it: no workspace id and no retired key; dates as ISO strings. */
export type SiteJson = Pick<
  SiteRecord,
  'id' | 'name' | 'publicKey' | 'allowedOrigins' | 'chatGreeting' | 'chatSneakPeek' | 'widgetAccent' | 'widgetSide' | 'widgetOffset' | 'widgetLauncherText' | 'widgetLanguage'
> & { createdAt: string };

export function siteJson(s: SiteRecord): SiteJson {
  return {
    id: s.id,
    name: s.name,
    publicKey: s.publicKey,
    allowedOrigins: [...s.allowedOrigins],
    chatGreeting: s.chatGreeting,
    chatSneakPeek: s.chatSneakPeek,
    widgetAccent: s.widgetAccent,
    widgetSide: s.widgetSide,
    widgetOffset: s.widgetOffset,
    widgetLauncherText: s.widgetLauncherText,
    widgetLanguage: s.widgetLanguage,
    createdAt: new Date(s.createdAt).toISOString(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Site and conversation ids are UUIDs: anything else is "not found" without asking the database. */
export const isUuid = (id: string): boolean => UUID.test(id);
export const isSiteId = isUuid;
