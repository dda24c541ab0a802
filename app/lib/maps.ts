// Copy-on-write updates of the Maps kept in React state: an update that changes nothing returns
// the same Map, so the setter does not re-render.

/** The map without `key`; the same map when it has none. */
export function withoutKey<K, V>(map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map;
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}
