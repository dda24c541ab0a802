// Device type, browser and OS from the User-Agent header, parsed on the server (bowser, MIT).
import Bowser from 'bowser';
import type { Device } from '../protocol';

const TYPES = new Set<Device['type']>(['desktop', 'mobile', 'tablet', 'tv', 'bot']);

// Most visitors share a few hundred user agents: parse each once (bounded; cleared when full).
const cache = new Map<string, Device>();
const CACHE_MAX = 2000;

export function deviceFromUserAgent(ua: string | undefined): Device {
  if (!ua) return { type: 'other', browser: 'Unknown', os: 'Unknown' };
  const hit = cache.get(ua);
  if (hit) return { ...hit };
  const device = parse(ua);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(ua, device);
  return { ...device };
}

function parse(ua: string): Device {
  try {
    const r = Bowser.parse(ua.slice(0, 512));
    const type = r.platform.type as Device['type'] | undefined;
    return {
      type: type && TYPES.has(type) ? type : 'other',
      browser: [r.browser.name, r.browser.version?.split('.')[0]].filter(Boolean).join(' ') || 'Unknown',
      os: [r.os.name, r.os.versionName ?? r.os.version?.split('.')[0]].filter(Boolean).join(' ') || 'Unknown',
    };
  } catch {
    return { type: 'other', browser: 'Unknown', os: 'Unknown' };
  }
}
