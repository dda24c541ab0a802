// Porchlight('identify', { name, email, ...attributes }): who the visitor is, as the site knows
// it. Cleaned to what the server accepts (name <= 200, email <= 254, at most 30 attributes with
// keys <= 64 chars and string/number/boolean values, strings <= 500), and merged with earlier
// calls, so the whole identity can be re-sent after every reconnect.
import { log } from './log';
import { text } from './page';

export interface IdentityPayload {
  name?: string;
  email?: string;
  attributes: Record<string, string | number | boolean>;
}

const MAX_ATTRIBUTES = 30;

export function mergeIdentity(into: IdentityPayload | null, input: unknown): IdentityPayload | null {
  if (!input || typeof input !== 'object') {
    log('identify expects an object, got', input);
    return into;
  }
  const out: IdentityPayload = { ...into, attributes: { ...into?.attributes } };
  for (const [key, raw] of Object.entries(input)) {
    if (key === 'name' || key === 'email') {
      const v = text(raw, key === 'name' ? 200 : 254);
      if (v) out[key] = v;
      continue;
    }
    const v = typeof raw === 'string' ? text(raw, 500) : raw;
    const valid = typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && isFinite(v));
    if (!valid || !key || key.length > 64 || (!(key in out.attributes) && Object.keys(out.attributes).length >= MAX_ATTRIBUTES)) {
      log('identify: attribute dropped', key);
      continue;
    }
    out.attributes[key] = v;
  }
  return out;
}
