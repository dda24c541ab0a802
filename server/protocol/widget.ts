// How the widget looks and which language it speaks, per site (the site settings). The server
// sends the resolved look on every visitor connection (`visitor:look`, before anything else the
// snippet acts on): the launcher in embed.js uses it as it is, and the lazy parts (chat, call)
// take their accent colour and their texts' language from it.

/** The languages the widget's texts come in (embed-snippet/src/texts/<lang>.ts, one table each). */
export const WIDGET_LANGUAGES = ['en', 'es', 'de', 'fr', 'pt'] as const;
export type WidgetLanguage = (typeof WIDGET_LANGUAGES)[number];
/** A site's choice: `auto` follows the visitor's browser (English when it is none of these). */
export type WidgetLanguageSetting = 'auto' | WidgetLanguage;
export type WidgetSide = 'left' | 'right';

/** The launcher's name in each language when the site has not set its own text. */
export const LAUNCHER_TEXT: Record<WidgetLanguage, string> = {
  en: 'Chat with us',
  es: 'Chatea con nosotros',
  de: 'Chatten Sie mit uns',
  fr: 'Discutez avec nous',
  pt: 'Fale conosco',
};

/**
 * A new site's chat greeting (drizzle/schema.ts). A site that kept it gets it in the visitor's
 * language (each table's `greeting`); a greeting the owner wrote is shown as written.
 */
export const DEFAULT_CHAT_GREETING = 'Hi! Ask us anything, we usually answer in a few minutes.';

export const DEFAULT_ACCENT = '#2563eb';
/** Distance between the bottom of the screen and the launcher (px). */
export const DEFAULT_OFFSET = 20;
export const MAX_OFFSET = 400;
export const LAUNCHER_TEXT_MAX = 40;

/** What a visitor's widget gets on connect (`visitor:look`). */
export interface WidgetLook {
  /** `#rrggbb`. */
  accent: string;
  /** Text and icons on the accent colour: white, or near-black on a light accent. */
  ink: string;
  side: WidgetSide;
  /** px between the bottom of the visual viewport and the launcher. */
  offset: number;
  /** The launcher's accessible name: the site's text, or the language's default. */
  name: string;
  /** Shown on the launcher beside the icon: the site's own text; '' for the round button. */
  label: string;
  /** The resolved language of every text the visitor reads. */
  lang: WidgetLanguage;
}

/** A site's appearance settings, as stored. */
export interface WidgetSettings {
  accent: string;
  side: WidgetSide;
  offset: number;
  launcherText: string;
  language: WidgetLanguageSetting;
}

export const DEFAULT_WIDGET: WidgetSettings = { accent: DEFAULT_ACCENT, side: 'right', offset: DEFAULT_OFFSET, launcherText: '', language: 'auto' };

const isLanguage = (l: string): l is WidgetLanguage => (WIDGET_LANGUAGES as readonly string[]).includes(l);

/** `auto`: the primary subtag of the browser's language ("es-ES" -> es), English when unknown. */
export function resolveLanguage(setting: WidgetLanguageSetting, browser: string | null | undefined): WidgetLanguage {
  if (setting !== 'auto') return setting;
  const primary = (browser ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return isLanguage(primary) ? primary : 'en';
}

/**
 * White text on the accent while it keeps at least 3:1 against it (WCAG's minimum for large text
 * and controls: the launcher's icon, the header's name), near-black on lighter accents.
 */
export function inkOn(accent: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(accent);
  if (!m) return '#fff';
  const lin = (h: string): number => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(m[1]!) + 0.7152 * lin(m[2]!) + 0.0722 * lin(m[3]!);
  return 1.05 / (l + 0.05) >= 3 ? '#fff' : '#0f172a';
}

export function widgetLook(s: WidgetSettings, browserLanguage: string | null | undefined): WidgetLook {
  const lang = resolveLanguage(s.language, browserLanguage);
  const label = s.launcherText.trim();
  return { accent: s.accent, ink: inkOn(s.accent), side: s.side, offset: s.offset, name: label || LAUNCHER_TEXT[lang], label, lang };
}
