// The shape of a site as the store reads and writes it: the record, what a form sends, the
// columns every query selects, and which of the sent settings get written.
import { site } from '../../drizzle/schema';
import type { WidgetLanguageSetting, WidgetSide } from '../protocol/widget';

export interface SiteRecord {
  id: string;
  workspaceId: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  /** The chat panel's first line. */
  chatGreeting: string;
  /** Agents see what visitors type before they send it. */
  chatSneakPeek: boolean;
  /** The widget's look and language (server/protocol/widget.ts). */
  widgetAccent: string;
  widgetSide: WidgetSide;
  widgetOffset: number;
  widgetLauncherText: string;
  widgetLanguage: WidgetLanguageSetting;
  createdAt: Date;
  /** The key before the last rotation, accepted until previousKeyUntil. */
  previousKey: string | null;
  previousKeyUntil: Date | null;
}

export interface SiteInput {
  name: string;
  allowedOrigins: string[];
  /** Left as it is (or the default, for a new site) when absent. */
  chatGreeting?: string;
  chatSneakPeek?: boolean;
  widgetAccent?: string;
  widgetSide?: WidgetSide;
  widgetOffset?: number;
  widgetLauncherText?: string;
  widgetLanguage?: WidgetLanguageSetting;
}

/** The columns that make a SiteRecord (selected or returned by every query that yields one). */
export const siteColumns = {
  id: site.id,
  workspaceId: site.workspaceId,
  name: site.name,
  publicKey: site.publicKey,
  allowedOrigins: site.allowedOrigins,
  chatGreeting: site.chatGreeting,
  chatSneakPeek: site.chatSneakPeek,
  widgetAccent: site.widgetAccent,
  widgetSide: site.widgetSide,
  widgetOffset: site.widgetOffset,
  widgetLauncherText: site.widgetLauncherText,
  widgetLanguage: site.widgetLanguage,
  createdAt: site.createdAt,
  previousKey: site.previousKey,
  previousKeyUntil: site.previousKeyUntil,
};

/** The chat and widget settings a form sent (absent ones are not written). */
export function chatSettings(input: SiteInput): Partial<Pick<SiteRecord, 'chatGreeting' | 'chatSneakPeek' | 'widgetAccent' | 'widgetSide' | 'widgetOffset' | 'widgetLauncherText' | 'widgetLanguage'>> {
  const widget = {
    ...(input.widgetAccent !== undefined ? { widgetAccent: input.widgetAccent } : {}),
    ...(input.widgetSide !== undefined ? { widgetSide: input.widgetSide } : {}),
    ...(input.widgetOffset !== undefined ? { widgetOffset: input.widgetOffset } : {}),
    ...(input.widgetLauncherText !== undefined ? { widgetLauncherText: input.widgetLauncherText } : {}),
    ...(input.widgetLanguage !== undefined ? { widgetLanguage: input.widgetLanguage } : {}),
  };
  return {
    ...widget,
    ...(input.chatGreeting !== undefined ? { chatGreeting: input.chatGreeting } : {}),
    ...(input.chatSneakPeek !== undefined ? { chatSneakPeek: input.chatSneakPeek } : {}),
  };
}
