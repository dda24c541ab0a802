// The site's widget look on the wire, against a real server and database: every visitor
// connection hears `visitor:look` first (before its token), with the language resolved from the
// visitor's browser on an "auto" site or forced by the site, and a settings change reaches the
// next connection at once (the 30 s key cache is forgotten on save).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../drizzle/db';
import type { Porchlight } from '../../server/main';
import type { WidgetLook } from '../../server/protocol/widget';
import { testDatabases } from '../support/db';
import { handshake, signUp, startTestServer, visitorSocket, type VisitorSocket } from '../support/server';

describe.each(testDatabases())('widget look on $name', (kind) => {
  let database: Database;
  let server: Porchlight;
  const sockets: VisitorSocket[] = [];

  beforeAll(async () => {
    database = await kind.open();
    server = await startTestServer(database);
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    await database?.close();
  });

  /** A visitor whose browser speaks `language`: the events it hears, in order, until the look arrives. */
  const visit = (key: string, language: string): Promise<{ look: WidgetLook; events: string[] }> =>
    new Promise((resolve, reject) => {
      const s = visitorSocket(server.url, { key, auth: handshake({ language }) });
      sockets.push(s);
      const events: string[] = [];
      const t = setTimeout(() => reject(new Error(`no visitor:look (heard ${events.join(', ')})`)), 5000);
      s.onAny((event: string, payload: unknown) => {
        events.push(event);
        if (event === 'visitor:look') {
          clearTimeout(t);
          resolve({ look: payload as WidgetLook, events });
        }
      });
      s.on('connect_error', (err) => reject(err));
    });

  it('sends the default look in the browser language on an auto site, first of all', async () => {
    const owner = await signUp(server.url, 'Owner');
    const site = await server.services.sites.create(owner.userId, { name: 'Shop', allowedOrigins: ['https://shop.example'] });
    expect(site).toMatchObject({ widgetAccent: '#2563eb', widgetSide: 'right', widgetOffset: 20, widgetLauncherText: '', widgetLanguage: 'auto' });

    const es = await visit(site.publicKey, 'es-ES');
    expect(es.events[0]).toBe('visitor:look');
    expect(es.look).toEqual({ accent: '#2563eb', ink: '#fff', side: 'right', offset: 20, name: 'Chatea con nosotros', label: '', lang: 'es' });
    expect((await visit(site.publicKey, 'pt-BR')).look).toMatchObject({ name: 'Fale conosco', lang: 'pt' });
    // A language the widget does not speak: English.
    expect((await visit(site.publicKey, 'ja-JP')).look).toMatchObject({ name: 'Chat with us', lang: 'en' });
  });

  it('applies saved settings to the next connection at once; a forced language beats the browser', async () => {
    const owner = await signUp(server.url, 'Owner');
    const sites = server.services.sites;
    const site = await sites.create(owner.userId, { name: 'Lamps', allowedOrigins: ['https://shop.example'] });
    // Cached by a first connection.
    expect((await visit(site.publicKey, 'es-ES')).look.lang).toBe('es');

    const saved = await sites.update(owner.userId, site.id, {
      name: 'Lamps',
      allowedOrigins: ['https://shop.example'],
      widgetAccent: '#16a34a',
      widgetSide: 'left',
      widgetOffset: 120,
      widgetLanguage: 'de',
    });
    expect(saved).toMatchObject({ widgetAccent: '#16a34a', widgetSide: 'left', widgetOffset: 120, widgetLanguage: 'de', widgetLauncherText: '' });
    expect((await visit(site.publicKey, 'es-ES')).look).toEqual({ accent: '#16a34a', ink: '#fff', side: 'left', offset: 120, name: 'Chatten Sie mit uns', label: '', lang: 'de' });

    // The site's own launcher text is shown and names the button; a light accent gets dark ink.
    // Settings a form leaves out stay as they were.
    await sites.update(owner.userId, site.id, { name: 'Lamps', allowedOrigins: ['https://shop.example'], widgetLauncherText: 'Fragen? Schreiben Sie uns', widgetAccent: '#facc15' });
    expect((await visit(site.publicKey, 'en-US')).look).toEqual({ accent: '#facc15', ink: '#0f172a', side: 'left', offset: 120, name: 'Fragen? Schreiben Sie uns', label: 'Fragen? Schreiben Sie uns', lang: 'de' });

    // Someone outside the workspace changes nothing.
    const stranger = await signUp(server.url, 'Stranger');
    expect(await sites.update(stranger.userId, site.id, { name: 'Mine', allowedOrigins: ['https://evil.example'], widgetSide: 'right' })).toBeNull();
    expect((await visit(site.publicKey, 'en-US')).look.side).toBe('left');
  });
});
