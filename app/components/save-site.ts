// Sends the site form to the sites API: a new site without an id, an edit of that site with one.
import type { SiteInput } from '../../server/sites/site-store';
import type { FieldErrors } from './site-form-field';

/** What the form shows again after an edit (normalized by the server). */
interface SavedSite {
  id: string;
  allowedOrigins: string[];
  chatGreeting: string;
  widgetAccent: string;
  widgetLauncherText: string;
}

export type SaveResult = { kind: 'saved'; site: SavedSite } | { kind: 'signed-out' } | { kind: 'refused'; message?: string; fields?: FieldErrors };

/** Throws when the server cannot be reached. */
export async function saveSite(siteId: string | undefined, input: SiteInput): Promise<SaveResult> {
  const res = await fetch(siteId ? `/api/sites/${siteId}` : '/api/sites', {
    method: siteId ? 'PATCH' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json().catch(() => null)) as { ok: true; site: SavedSite } | { ok: false; code: string; message: string; fields?: FieldErrors } | null;
  if (res.status === 401) return { kind: 'signed-out' };
  if (!body || !body.ok) return { kind: 'refused', message: body?.message, fields: body?.fields };
  return { kind: 'saved', site: body.site };
}
