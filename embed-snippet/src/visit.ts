// Who the visitor is and which visit this is, kept in first-party storage:
// - visitor id (localStorage): returning visitors are recognized;
// - visit (localStorage, shared by the visitor's tabs): a new visit starts after 30 minutes
//   without activity, and remembers its landing referrer and UTM parameters, so a later page of
//   the same visit still reports where the visit came from;
// - tab id (sessionStorage): survives reloads of the tab, so a reload is not a new tab.
import type { Utm } from '../../server/protocol';
import { isId, newId } from './ids';
import { externalReferrer, httpUrl, utmOf } from './page';
import { json } from './json';
import { read, write } from './storage';

export const VISIT_KEY = '_porchlight';
const TAB_KEY = '_porchlight_tab';
const VISIT_GAP_MS = 30 * 60_000;

export interface Visit {
  /** visitor id */ v: string;
  /** visit id */ i: string;
  /** visit start, epoch ms */ s: number;
  /** visits so far, this one included */ c: number;
  /** last activity, epoch ms */ t: number;
  /** landing referrer */ r: string;
  /** landing UTM */ u: Utm;
  /** the signed visitor token from the server (visitor:token), which opens this browser's chat */ k?: string;
}

/**
 * The current visit, rolled over to a new one after 30 minutes without activity. `active` says
 * the visitor is doing something now, which keeps the visit alive; a background reconnect is not.
 */
export function visit(active: boolean): Visit {
  let saved: Partial<Visit> = {};
  try {
    saved = JSON.parse(read('localStorage', VISIT_KEY) ?? '{}') ?? {};
  } catch {
    // Corrupt or foreign value: start over.
  }
  const now = Date.now();
  const count = typeof saved.c === 'number' && saved.c >= 1 ? Math.min(Math.floor(saved.c), 999_999) : 0;
  let v: Visit;
  if (isId(saved.i) && typeof saved.s === 'number' && typeof saved.t === 'number' && now - saved.t < VISIT_GAP_MS && count) {
    v = { v: '', i: saved.i, s: saved.s, c: count, t: active ? now : saved.t, r: httpUrl(String(saved.r ?? '')), u: utmOf((k) => (saved.u as Record<string, unknown> | undefined)?.[k]) };
  } else {
    v = { v: '', i: newId(), s: now, c: count + 1, t: now, r: externalReferrer(), u: utmOf((k, q = new URLSearchParams(location.search)) => q.get(k), 'utm_') };
  }
  // The token belongs to the visitor id it was issued for: a new visitor id drops it.
  if (isId(saved.v)) {
    v.v = saved.v;
    if (typeof saved.k == 'string' && saved.k.length <= 128) v.k = saved.k;
  } else v.v = newId();
  write('localStorage', VISIT_KEY, json(v));
  return v;
}

/**
 * Keeps the token the server gave this connection (`sent`: the visitor id and token of its
 * handshake), unless another tab of the browser stored its own visitor id or token since (two
 * tabs opened at once): then every tab must use the stored ones, and `true` says to reconnect.
 */
export function keepToken(token: string | null, sent: { v?: string; k?: string }): boolean {
  const v = visit(false);
  if (v.v !== sent.v || (v.k && v.k !== sent.k)) return true;
  // null: only the check (another tab wrote the storage: the `storage` event).
  if (token) write('localStorage', VISIT_KEY, json({ ...v, k: token }));
  return false;
}

/**
 * This tab's id. It is taken out of sessionStorage while the page is open and put back on
 * pagehide: a duplicated tab (which copies sessionStorage) then gets its own id, while a reload
 * or a link to the next page of the site keeps it.
 */
export function tabId(): string {
  const saved = read('sessionStorage', TAB_KEY);
  const id = isId(saved) ? saved : newId();
  write('sessionStorage', TAB_KEY, null);
  const park = (): void => write('sessionStorage', TAB_KEY, id);
  const unpark = (e: PageTransitionEvent): void => {
    if (e.persisted) write('sessionStorage', TAB_KEY, null);
  };
  addEventListener('pagehide', park);
  addEventListener('pageshow', unpark);
  return id;
}
