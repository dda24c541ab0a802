// The install forms shown to site owners: every invalid origin line is reported, and the CSP
// lines and snippet variants name the Porchlight origin exactly.
import { describe, expect, it } from 'vitest';
import { cspDirectives, cspLines, installSnippet, nonceSnippet, scriptTagSnippet } from '../../server/sites/install-snippet';
import { SiteInputSchema } from '../../server/sites/site-input';

describe('site install helpers', () => {
  it('reports every invalid origin line, not only the first', () => {
    const r = SiteInputSchema.safeParse({ name: 'Shop', allowedOrigins: ['https://ok.example', 'nope', 'https://ok.example/path', 'ftp://x.example'] });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual([
      '"nope" is not an origin like https://example.com',
      '"https://ok.example/path" is not an origin like https://example.com',
      '"ftp://x.example" is not an origin like https://example.com',
    ]);
  });

  it('gives CSP directives for the Porchlight origin, sockets included', () => {
    expect(cspDirectives('https://pl.example.com/')).toEqual({
      scriptSrc: 'script-src https://pl.example.com',
      connectSrc: 'connect-src https://pl.example.com wss://pl.example.com',
      imgSrc: 'img-src https://pl.example.com',
    });
    expect(cspLines('http://localhost:3000')).toBe('script-src http://localhost:3000;\nconnect-src http://localhost:3000 ws://localhost:3000;\nimg-src http://localhost:3000;');
  });

  it('the CSP forms of the snippet load the same script with the same key', () => {
    expect(scriptTagSnippet('https://pl.example.com/', 'pk_1')).toBe('<script async src="https://pl.example.com/embed.js" data-site="pk_1"></script>');
    const nonce = nonceSnippet('https://pl.example.com', 'pk_1');
    expect(nonce.startsWith('<script nonce="YOUR_NONCE">')).toBe(true);
    expect(nonce.replace(' nonce="YOUR_NONCE"', '')).toBe(installSnippet('https://pl.example.com', 'pk_1'));
  });
});
