// The widget's look and language: the site settings' validation, what the server resolves for a
// visitor (language from the browser, ink on the accent, the launcher's name), the lazy parts'
// text tables (one per language, every key in each), and the look as custom properties.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSnippet } from '../../embed-snippet/build';
import { darken, isLook, lookVars } from '../../embed-snippet/src/chat/look';
import { parseSaved, serialize } from '../../embed-snippet/src/chat/persist';
import { CHAT_TEXTS, eventLine, presenceLine, sendError, setLanguage, T, typingLine, unreadLabel } from '../../embed-snippet/src/chat/texts';
import { C, CALL_TEXTS, endMessage, inviteLine, mediaMessage, remoteNote, setCallLanguage } from '../../embed-snippet/src/call/messages';
import { SiteInputSchema } from '../../server/sites/site-input';
import { DEFAULT_CHAT_GREETING, DEFAULT_WIDGET, inkOn, LAUNCHER_TEXT, resolveLanguage, WIDGET_LANGUAGES, widgetLook, type WidgetLook } from '../../server/protocol/widget';

const base = { name: 'Shop', allowedOrigins: ['https://shop.example'] };
const agents = (...names: string[]) => names.map((name, i) => ({ id: `a${i}`, name, initials: name.slice(0, 2).toUpperCase() }));

describe('site settings: the widget', () => {
  it('accepts a colour, a side, an offset, a launcher text and a language', () => {
    const r = SiteInputSchema.parse({ ...base, widgetAccent: ' #16A34A ', widgetSide: 'left', widgetOffset: 120, widgetLauncherText: '  Questions?\n Ask   us ', widgetLanguage: 'de' });
    expect(r).toMatchObject({ widgetAccent: '#16a34a', widgetSide: 'left', widgetOffset: 120, widgetLauncherText: 'Questions? Ask us', widgetLanguage: 'de' });
    for (const l of ['auto', ...WIDGET_LANGUAGES]) expect(SiteInputSchema.safeParse({ ...base, widgetLanguage: l }).success).toBe(true);
    for (const o of [0, 400]) expect(SiteInputSchema.safeParse({ ...base, widgetOffset: o }).success).toBe(true);
    expect(SiteInputSchema.parse({ ...base, widgetLauncherText: 'x'.repeat(40) }).widgetLauncherText).toHaveLength(40);
    // Absent: left as they are.
    expect(SiteInputSchema.parse(base)).not.toHaveProperty('widgetAccent');
  });

  it.each([
    ['widgetAccent', 'red', 'The colour is a hex colour like #2563eb'],
    ['widgetAccent', '#12345', 'The colour is a hex colour like #2563eb'],
    ['widgetAccent', '#1234567', 'The colour is a hex colour like #2563eb'],
    ['widgetAccent', 'url(x)', 'The colour is a hex colour like #2563eb'],
    ['widgetSide', 'top', 'The side is left or right'],
    ['widgetOffset', -1, 'The offset is from 0 to 400 pixels'],
    ['widgetOffset', 401, 'The offset is from 0 to 400 pixels'],
    ['widgetOffset', 12.5, 'The offset is a whole number of pixels from 0 to 400'],
    ['widgetOffset', '120', 'The offset is a number of pixels from 0 to 400'],
    ['widgetLauncherText', 'x'.repeat(41), 'The launcher text is at most 40 characters'],
    ['widgetLauncherText', 'x'.repeat(5000), 'The launcher text is at most 40 characters'],
    ['widgetLanguage', 'it', 'The language is auto or one of en, es, de, fr, pt'],
  ] as const)('refuses a bad %s (#%#)', (field, value, message) => {
    const r = SiteInputSchema.safeParse({ ...base, [field]: value });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path: [field], message });
  });
});

describe('what a visitor gets (visitor:look)', () => {
  it('auto follows the browser language, English when it is none of the five; a forced one wins', () => {
    expect(resolveLanguage('auto', 'es-ES')).toBe('es');
    expect(resolveLanguage('auto', 'pt_BR')).toBe('pt');
    expect(resolveLanguage('auto', 'FR')).toBe('fr');
    expect(resolveLanguage('auto', 'it-IT')).toBe('en');
    expect(resolveLanguage('auto', '')).toBe('en');
    expect(resolveLanguage('auto', null)).toBe('en');
    expect(resolveLanguage('de', 'es-ES')).toBe('de');
  });

  it('names the launcher in the language unless the site wrote its own text, which it then shows', () => {
    expect(widgetLook(DEFAULT_WIDGET, 'en-US')).toEqual({ accent: '#2563eb', ink: '#fff', side: 'right', offset: 20, name: 'Chat with us', label: '', lang: 'en' });
    expect(widgetLook({ ...DEFAULT_WIDGET, language: 'de' }, 'en-US')).toMatchObject({ name: 'Chatten Sie mit uns', label: '', lang: 'de' });
    expect(widgetLook({ ...DEFAULT_WIDGET, launcherText: 'Need help?' }, 'fr')).toMatchObject({ name: 'Need help?', label: 'Need help?', lang: 'fr' });
    expect(LAUNCHER_TEXT).toEqual({ en: 'Chat with us', es: 'Chatea con nosotros', de: 'Chatten Sie mit uns', fr: 'Discutez avec nous', pt: 'Fale conosco' });
  });

  it('writes white on accents it keeps 3:1 against, near-black on lighter ones', () => {
    expect(inkOn('#2563eb')).toBe('#fff');
    expect(inkOn('#000000')).toBe('#fff');
    expect(inkOn('#16a34a')).toBe('#fff');
    expect(inkOn('#ffffff')).toBe('#0f172a');
    expect(inkOn('#facc15')).toBe('#0f172a');
    expect(inkOn('#a3e635')).toBe('#0f172a');
  });
});

describe('text tables', () => {
  const keys = (o: object) => Object.keys(o).sort();

  it('every language has every chat and call text, none empty, and they are its own', () => {
    for (const lang of WIDGET_LANGUAGES) {
      const chat = CHAT_TEXTS[lang];
      const call = CALL_TEXTS[lang];
      expect(keys(chat), lang).toEqual(keys(CHAT_TEXTS.en));
      expect(keys(call), lang).toEqual(keys(CALL_TEXTS.en));
      for (const table of [chat, call]) {
        for (const [k, v] of Object.entries(table)) {
          const out: unknown = typeof v === 'function' ? (v as (...a: unknown[]) => unknown)(...(k === 'online' || k === 'typing' ? [['Ana', 'Ben', 'Cy']] : k === 'unread' ? [3] : k === 'invite' ? [true] : k === 'dialog' ? [true, 'Ana', 'Lamps'] : ['Ana', ' · 02:31'])) : v;
          expect(typeof out, `${lang}.${k}`).toBe('string');
          expect((out as string).trim().length, `${lang}.${k}`).toBeGreaterThan(0);
          expect(out as string, `${lang}.${k}`).not.toMatch(/undefined|NaN|\[object/);
        }
      }
      expect(chat.launcher).toBe(LAUNCHER_TEXT[lang]);
      if (lang === 'en') expect(chat.greeting).toBe(DEFAULT_CHAT_GREETING);
      if (lang !== 'en') {
        // Translated: most sentences differ from English (a few words, like "Chat", may not).
        const same = Object.keys(CHAT_TEXTS.en).filter((k) => typeof chat[k as keyof typeof chat] === 'string' && chat[k as keyof typeof chat] === CHAT_TEXTS.en[k as keyof typeof chat]);
        expect(same.length, `${lang}: ${same.join(', ')}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it('words the composed chat lines in the chosen language, and goes back to English', () => {
    try {
      expect(setLanguage('de')).toBe(true);
      expect(setLanguage('de')).toBe(false);
      expect(T.placeholder).toBe('Nachricht schreiben…');
      expect(presenceLine(agents('Ana Lima'))).toBe('Ana ist online');
      expect(presenceLine(agents('Ana', 'Ben', 'Cy', 'Di'))).toBe('Ana, Ben und 2 weitere sind online');
      expect(presenceLine([])).toBe('Wir antworten per E-Mail');
      expect(typingLine(agents('Ana', 'Ben'))).toBe('Ana und Ben schreiben…');
      expect(unreadLabel(2)).toBe('2 ungelesene Nachrichten');
      expect(eventLine('closed')).toBe('Diese Unterhaltung wurde geschlossen');
      expect(sendError('rate_limited')).toMatch(/zu schnell/);
      setLanguage('es');
      expect(presenceLine(agents('Ana', 'Ben'))).toBe('Ana y Ben están en línea');
      expect(T.title('Lamps')).toBe('Chatea con Lamps');
      // Anything else from outside (storage, a newer server): English.
      setLanguage('xx' as 'en');
      expect(T.send).toBe('Send');
    } finally {
      setLanguage('en');
    }
    expect(presenceLine(agents('Ana', 'Ben', 'Cy'))).toBe('Ana, Ben and 1 other are online');
    expect(typingLine(agents('Ana', 'Ben', 'Cy'))).toBe('Ana, Ben and Cy are typing…');
  });

  it('each part carries only its own half of the tables', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'porchlight-texts-'));
    try {
      await buildSnippet({ outdir: dir });
      // esbuild writes ASCII: other characters as \xHH and \uHHHH escapes, read back here.
      const read = (f: string) => readFileSync(path.join(dir, f), 'utf8').replace(/\\x([0-9a-f]{2})|\\u([0-9a-f]{4})/gi, (_, x?: string, u?: string) => String.fromCharCode(parseInt(x ?? u ?? '', 16)));
      const chat = read('chat.js');
      const call = read('call.js');
      const embed = read('embed.js');
      for (const lang of WIDGET_LANGUAGES) {
        const chatText = CHAT_TEXTS[lang].placeholder;
        const callText = CALL_TEXTS[lang].acceptVideo;
        expect(chat).toContain(chatText);
        expect(call).not.toContain(chatText);
        expect(embed).not.toContain(chatText);
        expect(call).toContain(callText);
        expect(chat).not.toContain(callText);
      }
      // The launcher's default names come from the server (visitor:look), not from embed.js.
      expect(embed).not.toContain('Chat with us');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('words the call in the chosen language', () => {
    try {
      setCallLanguage('fr');
      expect(inviteLine(false)).toBe('souhaite vous parler lors d’un appel audio');
      expect(endMessage({ reason: 'hangup', by: 'agent', durationMs: 151_000 }, 'Ana', null)).toBe('Ana a mis fin à l’appel · 02:31');
      expect(mediaMessage({ audio: true, video: true }, { audio: true, video: false }, ['camera_denied'], 'Ana')).toBe('Votre caméra est bloquée, cet appel est donc en audio seul');
      expect(remoteNote('Ana', { audio: false, video: false, screen: false })).toBe('Ana a coupé son micro · La caméra de Ana est coupée');
      setCallLanguage('pt');
      expect(C.acceptVideo).toBe('Aceitar com vídeo');
      setCallLanguage(undefined);
      expect(C.acceptVideo).toBe('Accept with video');
    } finally {
      setCallLanguage('en');
    }
  });
});

describe('the look in the parts', () => {
  const look: WidgetLook = { accent: '#16a34a', ink: '#fff', side: 'left', offset: 120, name: 'Chatten Sie mit uns', label: '', lang: 'de' };

  it('becomes custom properties: the accent, a darker shade, ink, a readable text colour and the offset', () => {
    expect(lookVars(look)).toEqual({ '--a': '#16a34a', '--a2': darken('#16a34a', 0.22), '--f': '#fff', '--t': '#16a34a', '--b': '120px' });
    expect(darken('#ffffff', 0.5)).toBe('#808080');
    // A light accent: dark ink on it, and a dark shade of it for text on white.
    expect(lookVars({ ...look, accent: '#facc15', ink: '#0f172a' })['--t']).toBe(darken('#facc15', 0.6));
  });

  it('is checked field by field when it comes from outside', () => {
    expect(isLook(look)).toBe(true);
    expect(isLook({ ...look, accent: 'red;}body{display:none' })).toBe(false);
    expect(isLook({ ...look, offset: 9999 })).toBe(false);
    expect(isLook({ ...look, side: 'top' })).toBe(false);
    expect(isLook({ ...look, lang: 'it' })).toBe(false);
    expect(isLook(null)).toBe(false);
  });

  it('is kept for the next page with what it restores, never on its own', () => {
    const saved = { panel: 'open' as const, draft: 'hallo', outbox: [], dismissedSeq: 0, look };
    expect(parseSaved(serialize(saved))).toEqual(saved);
    expect(serialize({ panel: 'closed', draft: '', outbox: [], dismissedSeq: 0, look })).toBeNull();
    expect(parseSaved(JSON.stringify({ p: 'open', l: { ...look, accent: 'nope' } }))).not.toHaveProperty('look');
  });
});
