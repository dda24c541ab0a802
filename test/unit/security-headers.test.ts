// The dashboard's security headers (server/http/security-headers.ts).
import { describe, expect, it } from 'vitest';
import type http from 'node:http';
import { arrivedOverHttps, dashboardCsp, setBaseHeaders, setDashboardHeaders } from '../../server/http/security-headers';

function req(remoteAddress: string, headers: http.IncomingHttpHeaders = {}, encrypted = false) {
  return { headers, socket: { remoteAddress, encrypted } };
}
function res() {
  const headers = new Map<string, string>();
  return { headers, setHeader: (name: string, value: string) => headers.set(name, value) };
}
const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

describe('dashboard CSP', () => {
  const o = { origins: ['https://porch.example', 'http://localhost:3000'], dev: false };

  it('allows only nonce-bearing scripts, no plugins, no framing, no foreign base or form targets', () => {
    const d = directives(dashboardCsp('abc123', o));
    expect(d.get('script-src')).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(d.get('script-src')).not.toContain("'unsafe-inline'");
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'self'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
  });

  it("lets the dashboard reach its own origins' websockets", () => {
    expect(directives(dashboardCsp('n', o)).get('connect-src')).toEqual(["'self'", 'wss://porch.example', 'ws://localhost:3000']);
  });

  it("allows eval only for Next's dev server", () => {
    expect(dashboardCsp('n', o)).not.toContain('unsafe-eval');
    expect(directives(dashboardCsp('n', { ...o, dev: true })).get('script-src')).toContain("'unsafe-eval'");
  });
});

describe('https detection', () => {
  it('believes X-Forwarded-Proto only from a trusted proxy', () => {
    expect(arrivedOverHttps(req('10.0.0.2', { 'x-forwarded-proto': 'https' }), ['10.0.0.2'])).toBe(true);
    expect(arrivedOverHttps(req('::ffff:10.0.0.2', { 'x-forwarded-proto': 'https' }), ['10.0.0.2'])).toBe(true);
    expect(arrivedOverHttps(req('203.0.113.9', { 'x-forwarded-proto': 'https' }), ['10.0.0.2'])).toBe(false);
    expect(arrivedOverHttps(req('203.0.113.9', { 'x-forwarded-proto': 'https' }), [])).toBe(false);
    expect(arrivedOverHttps(req('10.0.0.2', { 'x-forwarded-proto': 'http' }), ['10.0.0.2'])).toBe(false);
    expect(arrivedOverHttps(req('10.0.0.2'), ['10.0.0.2'])).toBe(false);
  });

  it('counts a TLS socket as https', () => {
    expect(arrivedOverHttps(req('203.0.113.9', {}, true), [])).toBe(true);
  });
});

describe('setting the headers', () => {
  it('sends nosniff and a referrer policy always, HSTS only over https', () => {
    const plain = res();
    setBaseHeaders(req('203.0.113.9', { 'x-forwarded-proto': 'https' }), plain, []);
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(plain.headers.has('strict-transport-security')).toBe(false);
    const tls = res();
    setBaseHeaders(req('10.0.0.2', { 'x-forwarded-proto': 'https' }), tls, ['10.0.0.2']);
    expect(tls.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });

  it('puts the same fresh-nonce policy on the response and on the request (for Next), replacing a client-sent one', () => {
    const r = req('127.0.0.1', { 'content-security-policy': "script-src 'nonce-chosenbyattacker'" });
    const out = res();
    setDashboardHeaders(r, out, { trustedProxies: [], origins: ['http://localhost:3000'], dev: false });
    const csp = out.headers.get('content-security-policy')!;
    expect(r.headers['content-security-policy']).toBe(csp);
    expect(csp).not.toContain('chosenbyattacker');
    expect(csp).toMatch(/'nonce-[A-Za-z0-9+/]{22}==' /);
    expect(out.headers.get('x-frame-options')).toBe('DENY');
    const again = res();
    setDashboardHeaders(req('127.0.0.1'), again, { trustedProxies: [], origins: [], dev: false });
    expect(again.headers.get('content-security-policy')!.match(/nonce-(\S+)'/)![1]).not.toBe(csp.match(/nonce-(\S+)'/)![1]);
  });
});
