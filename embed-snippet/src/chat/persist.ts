// What the chat keeps for the next page of this tab (sessionStorage `_porchlight_chat`): whether
// the panel was open or minimised, the draft, the unsent messages (outbox), up to which
// message the preview was dismissed, and the site's look (colour, side, language) with them. The key exists only while there is something to restore:
// the core loads the chat part at start when it finds it (src/chat-core.ts).
import { json } from '../json';
import { CHAT_KEY } from '../chat-core';
import type { WidgetLook } from '../../../server/protocol/widget';
import { isLook } from './look';
import { parseOutbox, type OutboxEntry } from './outbox';
import type { PanelState } from './state';

export interface Saved {
  panel: PanelState;
  draft: string;
  outbox: readonly OutboxEntry[];
  dismissedSeq: number;
  /** The site's look the last page had: a panel restored before the socket connects shows in it. */
  look?: WidgetLook | null;
}

export const nothingSaved: Saved = { panel: 'closed', draft: '', outbox: [], dismissedSeq: 0 };

/** Parses what storage holds (any script on the page can write it): anything odd is dropped. */
export function parseSaved(raw: string | null): Saved {
  let v: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(raw ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) v = parsed as Record<string, unknown>;
  } catch {
    // corrupt: nothing to restore
  }
  return {
    panel: v.p === 'open' || v.p === 'min' ? v.p : 'closed',
    draft: typeof v.d === 'string' ? v.d.slice(0, 5000) : '',
    outbox: parseOutbox(v.o),
    dismissedSeq: typeof v.x === 'number' && Number.isInteger(v.x) && v.x > 0 ? v.x : 0,
    ...(isLook(v.l) ? { look: v.l } : {}),
  };
}

/** The stored form, or null when nothing needs restoring (the key is removed). */
export function serialize(s: Saved): string | null {
  const keep: Record<string, unknown> = {};
  if (s.panel !== 'closed') keep.p = s.panel;
  // A draft is worth restoring with its panel; a closed panel's draft stays on its page.
  if (s.panel !== 'closed' && s.draft) keep.d = s.draft;
  if (s.outbox.length) keep.o = s.outbox;
  // A dismissed preview stays dismissed on the next page (the session passes 0 once all is read).
  if (s.dismissedSeq) keep.x = s.dismissedSeq;
  if (!Object.keys(keep).length) return null;
  // Only beside something to restore: the key's presence loads the chat part on the next page.
  if (s.look) keep.l = s.look;
  return json(keep);
}

export function load(): Saved {
  try {
    return parseSaved(sessionStorage.getItem(CHAT_KEY));
  } catch {
    return nothingSaved;
  }
}

let last: string | null | undefined;
export function save(s: Saved): void {
  const value = serialize(s);
  if (value === last) return;
  last = value;
  try {
    if (value === null) sessionStorage.removeItem(CHAT_KEY);
    else sessionStorage.setItem(CHAT_KEY, value);
  } catch {
    // storage blocked (private mode, sandbox): the chat lasts for this page only
  }
}
