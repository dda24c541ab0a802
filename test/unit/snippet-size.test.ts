// The embed snippet's budget and manners: the always-loaded part stays within 16 KB gzipped
// (socket.io-client included), and it never writes to the console of the customer's page unless
// debug is on. The second half runs the built bundle in a simulated page (embed-snippet/testing)
// and checks what it sends against the server's own validation schemas.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildSnippet } from '../../embed-snippet/build';
import { fakePage } from '../../embed-snippet/testing/fake-page';
import { IdentifySchema, VisitorHandshakeSchema, VisitorPageSchema, VisitorStateSchema } from '../../server/transport/schemas';

const BUDGET_GZIP_BYTES = 16 * 1024;

let outdir: string;
let code: string;

beforeAll(async () => {
  // A private folder: dist/ may be in use by a running server or by other tests.
  outdir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-snippet-'));
  await buildSnippet({ outdir });
  code = readFileSync(path.join(outdir, 'embed.js'), 'utf8');
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('embed snippet size', () => {
  it('the always-loaded part is at most 16 KB gzipped, socket.io-client included', () => {
    // Level 9, as the server compresses it (server/http/snippet-files.ts).
    const gz = gzipSync(Buffer.from(code), { level: 9 }).length;
    expect(code).toContain('socket.io'); // the budget is measured with the client inside
    expect(gz).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it('carries nothing that is only for calls or chat, and no WebTransport', () => {
    expect(code).not.toMatch(/getUserMedia|RTCPeerConnection|WebTransport/);
  });

  it('has exactly one console access: the logger (debug lines, and the site owner\'s one line on a refused origin)', () => {
    // socket.io-client's browser build has no logging; everything else goes through src/log.ts.
    expect(code.match(/console/g)).toHaveLength(1);
  });
});

const SRC = 'https://porchlight.example/embed.js';
const events = (page: ReturnType<typeof fakePage>, name: string) => page.sockets[0]!.events().filter(([e]) => e === name).map(([, p]) => p);

describe('embed snippet in a simulated page', () => {
  it('connects once with a handshake the server accepts, reports navigation and state, and logs nothing', async () => {
    const page = fakePage({
      url: 'https://shop.example/pricing?utm_source=newsletter&utm_campaign=spring&utm_bogus=1',
      title: '  Pricing \n | Shop  ',
      referrer: 'https://www.google.com/search?q=lamps',
      scriptSrc: SRC,
      siteKey: 'pk_test',
      queued: [['identify', { name: 'Ada', email: 'ada@example.com', plan: 'pro', seats: 3, nested: { no: 1 } }], ['no-such-command']],
    });
    page.load(code);
    page.load(code); // the tag pasted twice: the second copy must stay out
    await vi.waitFor(() => expect(page.sockets).toHaveLength(1));
    const ws = page.sockets[0]!;
    expect(ws.url).toMatch(/^wss:\/\/porchlight\.example\/socket\.io\/\?k=pk_test&EIO=4&transport=websocket/);

    ws.accept();
    await vi.waitFor(() => expect(ws.handshake()).toBeDefined());
    const hs = ws.handshake();
    expect(VisitorHandshakeSchema.safeParse(hs).error).toBeUndefined();
    expect(hs).toMatchObject({
      page: { url: 'https://shop.example/pricing?utm_source=newsletter&utm_campaign=spring&utm_bogus=1', title: 'Pricing | Shop' },
      referrer: 'https://www.google.com/search?q=lamps',
      utm: { source: 'newsletter', campaign: 'spring' },
      language: 'de-DE',
      screen: { w: 1440, h: 900 },
      state: 'active',
      visitCount: 1,
    });

    ws.toClient('0{"sid":"nsp-sid"}');
    // identify was queued before the snippet loaded; it goes out once connected
    await vi.waitFor(() => expect(events(page, 'visitor:identify')).toHaveLength(1));
    const identify = events(page, 'visitor:identify')[0];
    expect(IdentifySchema.safeParse(identify).error).toBeUndefined();
    expect(identify).toEqual({ name: 'Ada', email: 'ada@example.com', attributes: { plan: 'pro', seats: 3 } });

    // single-page navigation: the title set after the URL change is the one reported
    page.history.pushState({}, '', '/app/shade');
    page.document.title = 'Shade | Shop';
    await vi.waitFor(() => expect(events(page, 'visitor:page')).toHaveLength(1));
    const nav = events(page, 'visitor:page')[0];
    expect(VisitorPageSchema.safeParse(nav).error).toBeUndefined();
    expect(nav).toEqual({ url: 'https://shop.example/app/shade', title: 'Shade | Shop' });

    // replaceState to the same URL is not a page view
    page.history.replaceState({ scroll: 1 }, '');
    page.dispatch('window', 'hashchange');
    page.document.visibilityState = 'hidden';
    page.dispatch('document', 'visibilitychange');
    await vi.waitFor(() => expect(events(page, 'visitor:state')).toEqual([{ state: 'hidden' }]));
    expect(VisitorStateSchema.safeParse(events(page, 'visitor:state')[0]).error).toBeUndefined();
    await new Promise((r) => setTimeout(r, 400));
    expect(events(page, 'visitor:page')).toHaveLength(1);

    // the global is the real API now and never throws, whatever page code passes it
    expect(() => page.window.Porchlight?.('identify', null)).not.toThrow();
    expect(() => page.window.Porchlight?.(Symbol('x') as unknown)).not.toThrow();
    const hostile = {
      get name(): string {
        throw new Error('getter throws');
      },
    };
    expect(() => page.window.Porchlight?.('identify', hostile)).not.toThrow();

    expect(page.errors).toEqual([]);
    expect(page.console).toEqual([]);
    ws.close();
  });

  it('sends what the server accepts on a page with Prototype.js-era prototypes and a replaced JSON.stringify, and throws nothing', async () => {
    const page = fakePage({ url: 'https://shop.example/', title: 'Old shop', scriptSrc: SRC, siteKey: 'pk_test', queued: [['identify', { name: 'Ada', tags: 'a,b' }]] });
    // Enumerable Object.prototype members used to make the bundle throw at load (esbuild's export
    // helper walked them with for...in); Array.prototype.toJSON turned every event into a string.
    page.load(`Object.prototype.extend = function () { return this; }; Object.prototype.flag = 'on';
      Array.prototype.toJSON = function () { return '[' + this.join(', ') + ']'; };
      JSON.stringify = function () { return '"broken"'; };`);
    page.load(code);
    await vi.waitFor(() => expect(page.sockets).toHaveLength(1));
    const ws = page.sockets[0]!;
    ws.accept();
    await vi.waitFor(() => expect(ws.handshake()).toBeDefined());
    expect(VisitorHandshakeSchema.safeParse(ws.handshake()).error).toBeUndefined();
    ws.toClient('0{"sid":"nsp-sid"}');
    await vi.waitFor(() => expect(events(page, 'visitor:identify')).toEqual([{ name: 'Ada', attributes: { tags: 'a,b' } }]));
    page.history.pushState({}, '', '/next');
    await vi.waitFor(() => expect(events(page, 'visitor:page')).toEqual([{ url: 'https://shop.example/next', title: 'Old shop' }]));
    expect(page.errors).toEqual([]);
    expect(page.console).toEqual([]);
    ws.close();
  });

  it('keeps working when storage throws, and logs only when debug is on', async () => {
    const page = fakePage({ url: 'https://shop.example/', title: 'Home', scriptSrc: SRC, siteKey: 'pk_test', storageThrows: true, queued: [['debug', true], ['no-such-command']] });
    page.load(code);
    await vi.waitFor(() => expect(page.sockets).toHaveLength(1));
    page.sockets[0]!.accept();
    await vi.waitFor(() => expect(page.sockets[0]!.handshake()).toBeDefined());
    expect(VisitorHandshakeSchema.safeParse(page.sockets[0]!.handshake()).error).toBeUndefined();
    expect(page.errors).toEqual([]);
    expect(page.console.length).toBeGreaterThan(0);
    expect(page.console.every((args) => args[0] === '[porchlight]')).toBe(true);
    expect(page.console.some((args) => args[1] === 'unknown command')).toBe(true);
    page.sockets[0]!.close();
  });
});
