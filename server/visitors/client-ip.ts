// The visitor's IP: the socket's peer address, or X-Forwarded-For when (and only when) the
// peer is a configured proxy. Walks the header from the right, skipping trusted hops.

function bare(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export function clientIp(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: readonly string[]): string | undefined {
  if (!peer) return undefined;
  let ip = bare(peer);
  if (!trusted.includes(ip) || !forwardedFor) return ip;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => bare(s.trim()))
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    ip = hops[i]!;
    if (!trusted.includes(ip)) return ip;
  }
  return ip;
}
