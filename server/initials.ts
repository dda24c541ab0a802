// Avatar initials for a person's name (or an email address): "Ana Lima" -> "AL", "maya@northwind.io" -> "MN".
// Pure: the dashboard imports it too.
export function initialsOf(name: string): string {
  return (
    name
      .split(/[\s@.]+/)
      .filter(Boolean)
      .slice(0, 2)
      // Array.from: the first character, not half of a surrogate pair.
      .map((w) => (Array.from(w)[0] ?? '').toUpperCase())
      .join('') || '?'
  );
}
