// Every sentence the visitor reads in the chat widget, in the visitor's language: the tables are
// src/texts/<lang>.ts (one per language), this picks one and words the composed lines. Names and
// message texts come from the server and go into the page only through textContent (or linkify parts).
import type { AgentBrief, ChatEventCode, ErrorCode } from '../../../server/protocol';
import type { WidgetLanguage } from '../../../server/protocol/widget';
import { chat as de } from '../texts/de';
import { chat as en } from '../texts/en';
import { chat as es } from '../texts/es';
import { chat as fr } from '../texts/fr';
import { chat as pt } from '../texts/pt';
import { isLanguage, type ChatTexts } from '../texts/types';

/** One table per language (src/texts/<lang>.ts). */
export const CHAT_TEXTS: Record<WidgetLanguage, ChatTexts> = { en, es, de, fr, pt };

/** The texts in the visitor's language (setLanguage, from the site's look); English until then. */
export let T: ChatTexts = en;
export let language: WidgetLanguage = 'en';

/** Switches every text from now on; true when it changed (what is on screen must be redrawn). */
export function setLanguage(lang: WidgetLanguage | undefined): boolean {
  const next = isLanguage(lang) ? lang : 'en';
  if (next === language) return false;
  language = next;
  T = CHAT_TEXTS[next];
  return true;
}

/** "Ana is online", "Ana and Ben are online", "Ana, Ben and 2 others are online"; offline: by email. */
export function presenceLine(agents: readonly AgentBrief[] | null): string {
  if (!agents) return '';
  const names = agents.map((a) => firstName(a.name));
  return names.length === 0 ? T.replyByEmail : T.online(names);
}

export function typingLine(agents: readonly AgentBrief[]): string {
  const names = agents.map((a) => firstName(a.name));
  return names.length === 0 ? '' : T.typing(names);
}

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] || name;

/** A system line of the thread, worded for the visitor ('' for codes this widget does not know). */
export function eventLine(event: ChatEventCode | null): string {
  if (event === 'call_requested') return T.callRequested;
  if (event === 'closed') return T.closed;
  if (event === 'reopened') return T.reopened;
  return '';
}

/** The short error near the composer for a refused send. */
export function sendError(code: ErrorCode | 'timeout'): string {
  if (code === 'rate_limited') return T.rateLimited;
  if (code === 'bad_request') return T.badRequest;
  return T.sendFailed;
}

export const unreadLabel = (n: number): string => T.unread(n);

/** The first ~80 characters of a message, on one line, for the preview bubble. */
export function previewText(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  // Not half of a surrogate pair (an emoji) at the cut.
  const cut = line.slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '') + '…';
}

/** "14:05" in the visitor's locale. */
export function clock(at: number): string {
  try {
    return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  } catch {
    return '';
  }
}
