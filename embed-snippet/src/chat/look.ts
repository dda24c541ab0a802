// The site's look (server/protocol/widget.ts, `visitor:look`) in the lazy parts: the accent
// colour, the side and the offset from the bottom, as custom properties on the `:host` rule of a
// constructable stylesheet each shadow root adopts (CSSOM: no style attribute, so a strict CSP
// allows it), and `data-left` on the host. The stylesheets (styles.ts, call/call-ui.ts) use
// --a (accent), --a2 (its darker shade), --f (text on it), --t (text in the accent colour on
// white) and --b (offset), each with the default look as fallback.
import type { WidgetLook } from '../../../server/protocol/widget';
import { isLanguage } from '../texts/types';

const HEX = /^#[0-9a-f]{6}$/i;
const INK = /^#([0-9a-f]{3}){1,2}$/i;

/** A look from the server or from storage, checked field by field (anything odd: not a look). */
export function isLook(v: unknown): v is WidgetLook {
  if (!v || typeof v !== 'object') return false;
  const l = v as Record<string, unknown>;
  return (
    typeof l.accent === 'string' && HEX.test(l.accent) &&
    typeof l.ink === 'string' && INK.test(l.ink) &&
    (l.side === 'left' || l.side === 'right') &&
    typeof l.offset === 'number' && l.offset >= 0 && l.offset <= 400 &&
    typeof l.name === 'string' && typeof l.label === 'string' &&
    isLanguage(l.lang)
  );
}

/** `#rrggbb` mixed with black (amount 0..1). */
export function darken(hex: string, amount: number): string {
  let out = '#';
  for (let i = 1; i < 7; i += 2) out += Math.round(parseInt(hex.slice(i, i + 2), 16) * (1 - amount)).toString(16).padStart(2, '0');
  return out;
}

/** The custom properties for a look (pure: unit-tested). */
export function lookVars(look: WidgetLook): Record<string, string> {
  const light = look.ink !== '#fff' && look.ink !== '#ffffff';
  return {
    '--a': look.accent,
    '--a2': darken(look.accent, 0.22),
    '--f': look.ink,
    // On white: the accent itself when it is dark enough to read, else a dark shade of it.
    '--t': light ? darken(look.accent, 0.6) : look.accent,
    '--b': `${Math.round(look.offset)}px`,
  };
}

/** One stylesheet with the look, shared by the part's shadow roots (each adopts it). */
export function createLookSheet(): { sheet: CSSStyleSheet; apply(look: WidgetLook | undefined, hosts: readonly (Element | null | undefined)[]): void } {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':host{}');
  const rule = (sheet.cssRules[0] as CSSStyleRule).style;
  return {
    sheet,
    apply(look, hosts) {
      if (!look) return;
      for (const [k, v] of Object.entries(lookVars(look))) rule.setProperty(k, v);
      for (const h of hosts) h?.toggleAttribute('data-left', look.side === 'left');
    },
  };
}
