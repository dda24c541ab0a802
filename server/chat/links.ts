// Message text as plain text and links: `http(s):` URLs become links, everything else stays
// text (no HTML, no markdown). Browser-safe and pure; clients render the parts with
// textContent / React text, never innerHTML.

export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

// A URL runs to the next whitespace; trailing punctuation that usually ends a sentence is not
// part of it ("see https://x.example/a." links to https://x.example/a).
const URL_RE = /\bhttps?:\/\/[^\s<>"]+/gi;
const TRAILING = /[.,;:!?'"”’)\]}>]+$/;

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0];
    const start = match.index ?? 0;
    // Keep a closing bracket that closes one opened inside the URL (Wikipedia-style links).
    const trail = TRAILING.exec(url)?.[0] ?? '';
    let keep = trail;
    if (trail.startsWith(')') && (url.match(/\(/g)?.length ?? 0) > (url.slice(0, url.length - trail.length).match(/\)/g)?.length ?? 0)) keep = trail.slice(1);
    url = url.slice(0, url.length - keep.length);
    const href = safeHref(url);
    if (!href) continue;
    if (start > at) parts.push({ kind: 'text', text: text.slice(at, start) });
    parts.push({ kind: 'link', text: url, href });
    at = start + url.length;
  }
  if (at < text.length) parts.push({ kind: 'text', text: text.slice(at) });
  return parts;
}

/** The URL as an href if it parses as http(s), else null. */
function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
