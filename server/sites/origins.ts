// Allowed origins of a site: normalized so that comparison with a browser's Origin header is exact.

/** "https://Example.com/" -> "https://example.com"; null when it is not an http(s) origin. */
export function normalizeOrigin(input: string): string | null {
  const trimmed = input.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const u = new URL(trimmed);
    if (u.pathname !== '/' || u.search || u.hash || u.username || u.password) return null;
    return u.origin;
  } catch {
    return null;
  }
}

export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  const o = normalizeOrigin(origin);
  return o !== null && allowed.includes(o);
}
