// First-party storage that never throws. Safari private mode, sandboxed iframes and disabled
// cookies make localStorage/sessionStorage throw on access or on write; then values live in
// memory for this page only (the visitor is anonymous per page load, but the page still works).
type Kind = 'localStorage' | 'sessionStorage';

const memory: Record<string, string | null> = {};

export function read(kind: Kind, key: string): string | null {
  const k = kind + key;
  // A value that once failed to persist is served from memory, so ids stay stable on this page.
  if (k in memory) return memory[k] ?? null;
  try {
    return window[kind].getItem(key);
  } catch {
    return null;
  }
}

export function write(kind: Kind, key: string, value: string | null): void {
  try {
    if (value === null) window[kind].removeItem(key);
    else window[kind].setItem(key, value);
  } catch {
    // Removed too: a forgotten visitor (shutdown) must not come back from memory.
    memory[kind + key] = value;
  }
}
