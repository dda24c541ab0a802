import { describe, expect, it } from 'vitest';
import { clientIp } from '../../server/visitors/client-ip';
import { deviceFromUserAgent } from '../../server/visitors/device';
import { openCountryLookup } from '../../server/visitors/geo';
import { normalizeOrigin, isOriginAllowed } from '../../server/sites/origins';
import { SiteInputSchema } from '../../server/sites/site-input';
import { sourceOf, pathOf } from '../../server/presence/source';
import { CHROME_UA, IPHONE_UA } from '../support/server';

describe('device from user agent', () => {
  it('tells desktop Chrome on macOS from Safari on an iPhone', () => {
    expect(deviceFromUserAgent(CHROME_UA)).toEqual({ type: 'desktop', browser: 'Chrome 131', os: 'macOS Catalina' });
    expect(deviceFromUserAgent(IPHONE_UA)).toMatchObject({ type: 'mobile', browser: 'Safari 17', os: expect.stringMatching(/^iOS/) });
  });
  it('survives garbage', () => {
    expect(deviceFromUserAgent(undefined)).toEqual({ type: 'other', browser: 'Unknown', os: 'Unknown' });
    expect(deviceFromUserAgent('x'.repeat(10_000)).type).toBe('other');
  });
});

describe('client IP', () => {
  it('uses the peer address unless the peer is a trusted proxy', () => {
    expect(clientIp('::ffff:203.0.113.9', '1.2.3.4', [])).toBe('203.0.113.9');
    expect(clientIp('10.0.0.1', '198.51.100.7, 10.0.0.2', ['10.0.0.1', '10.0.0.2'])).toBe('198.51.100.7');
  });
  it('does not let a client spoof its address through a trusted proxy that appends', () => {
    // The client sent "X-Forwarded-For: 8.8.8.8"; the proxy appended the real address.
    expect(clientIp('10.0.0.1', '8.8.8.8, 198.51.100.7', ['10.0.0.1'])).toBe('198.51.100.7');
  });
});

describe('country lookup (offline database)', () => {
  it('finds countries for public addresses and nothing for private or bad ones', async () => {
    const problems: string[] = [];
    const country = await openCountryLookup((m) => problems.push(m));
    expect(problems).toEqual([]);
    expect(country('8.8.8.8')).toBe('US');
    expect(country('2a00:1450:4001::1')).toMatch(/^[A-Z]{2}$/);
    expect(country('127.0.0.1')).toBeNull();
    expect(country('not an ip')).toBeNull();
    expect(country(undefined)).toBeNull();
  });
});

describe('site origins', () => {
  it('normalizes what owners type and refuses what is not an origin', () => {
    expect(normalizeOrigin(' HTTPS://Shop.Example.com/ ')).toBe('https://shop.example.com');
    expect(normalizeOrigin('http://localhost:4000')).toBe('http://localhost:4000');
    expect(normalizeOrigin('https://shop.example.com/path')).toBeNull();
    expect(normalizeOrigin('javascript:alert(1)')).toBeNull();
    expect(normalizeOrigin('shop.example.com')).toBeNull();
  });
  it('matches the Origin header exactly (scheme, host and port)', () => {
    const allowed = ['https://shop.example.com'];
    expect(isOriginAllowed('https://shop.example.com', allowed)).toBe(true);
    expect(isOriginAllowed('http://shop.example.com', allowed)).toBe(false);
    expect(isOriginAllowed('https://shop.example.com.evil.io', allowed)).toBe(false);
    expect(isOriginAllowed('https://shop.example.com:8443', allowed)).toBe(false);
    expect(isOriginAllowed(undefined, allowed)).toBe(false);
    expect(isOriginAllowed('null', allowed)).toBe(false);
  });
  it('validates the site form with clear messages', () => {
    expect(SiteInputSchema.parse({ name: ' Shop ', allowedOrigins: ['https://a.example/', 'https://a.example'] })).toEqual({ name: 'Shop', allowedOrigins: ['https://a.example'] });
    const bad = SiteInputSchema.safeParse({ name: '', allowedOrigins: ['nope'] });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.message).join(' | ')).toMatch(/Name is required.*"nope" is not an origin/);
  });
});

describe('source and path', () => {
  it('derives where a visit came from', () => {
    expect(sourceOf('https://www.google.com/', {}, 'https://shop.example/')).toBe('google.com');
    expect(sourceOf('', { source: 'LinkedIn' }, 'https://shop.example/')).toBe('linkedin');
    expect(sourceOf('', {}, 'https://shop.example/')).toBe('direct');
    expect(sourceOf('android-app://com.slack', {}, 'https://shop.example/')).toBe('direct');
    expect(pathOf('https://shop.example/a/b?c=1#d')).toBe('/a/b?c=1#d');
  });
});
