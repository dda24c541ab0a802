// Device type, browser and OS from the User-Agent header, parsed on the server (bowser, MIT).
import Bowser from 'bowser';
import type { Device } from '../protocol';

const TYPES = new Set<Device['type']>(['desktop', 'mobile', 'tablet', 'tv', 'bot']);

export function deviceFromUserAgent(ua: string | undefined): Device {
  if (!ua) return { type: 'other', browser: 'Unknown', os: 'Unknown' };
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
