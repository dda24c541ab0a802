// JSON text without JSON.stringify. Host pages redefine JSON.stringify, or define
// Array.prototype.toJSON (Prototype.js-era sites), which makes JSON.stringify turn every array
// into a string: every socket.io event (an array) would reach the server as a string and be
// refused. The snippet only ever sends plain data, so this covers exactly that: strings, finite
// numbers, booleans, null, arrays, and plain objects' own enumerable keys (undefined and
// functions left out, as JSON.stringify does).
export function json(v: unknown): string {
  if (typeof v == 'string') return '"' + v.replace(/[\0-\x1f"\\\u2028\u2029]/g, (c) => '\\u' + (c.charCodeAt(0) + 65536).toString(16).slice(1)) + '"';
  if (typeof v == 'number') return isFinite(v) ? '' + v : 'null';
  if (typeof v == 'boolean') return '' + v;
  if (!v || typeof v != 'object') return 'null';
  let out = '';
  if (Array.isArray(v)) {
    for (const x of v) out += ',' + json(x);
    return '[' + out.slice(1) + ']';
  }
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && typeof x != 'function') out += ',' + json(k) + ':' + json(x);
  }
  return '{' + out.slice(1) + '}';
}
