// The JSON shape of a site in the HTTP API and the props handed to client components.
import type { WidgetLanguageSetting, WidgetSide } from '../../server/protocol/widget';
import type { SiteRecord } from '../../server/sites/site-store';

export interface SiteJson {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  chatGreeting: string;
  chatSneakPeek: boolean;
  widgetAccent: string;
  widgetSide: WidgetSide;
  widgetOffset: number;
  widgetLauncherText: string;
  widgetLanguage: WidgetLanguageSetting;
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
