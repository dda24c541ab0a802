// Call timer text: 02:31, or 1:02:31 past an hour.
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const two = (n: number): string => String(n).padStart(2, '0');
  const h = Math.floor(total / 3600);
  const mmss = `${two(Math.floor(total / 60) % 60)}:${two(total % 60)}`;
  return h ? `${h}:${mmss}` : mmss;
}
