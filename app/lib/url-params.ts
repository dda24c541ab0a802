// Reading a page's view from its URL: the same helpers for every page that keeps its filters
// in the query string (the live table, the inbox). Pure: pages, hooks and tests share them.

/** Next's searchParams object or a URLSearchParams. */
export type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

/** The first value of a query parameter. */
export function getParam(p: ParamSource, key: string): string | undefined {
  if (p instanceof URLSearchParams) return p.get(key) ?? undefined;
  const v = p[key];
  return Array.isArray(v) ? v[0] : v;
}

/** The value if it is one of the allowed ones (case-insensitive), else null. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | null {
  const v = value?.trim().toLowerCase();
  return v && (allowed as readonly string[]).includes(v) ? (v as T) : null;
}
