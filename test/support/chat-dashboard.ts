// Live chat, the agent's side, as the e2e tests drive it: the product runs as `npm start` runs it,
// the agent logs in through the login form in headless Chromium, and visitors are real socket.io
// clients of the Demo Store (what the chat widget sends, without its UI). Here: the product and the
// agent's page for a describe block, visitors, and the inbox and thread as the agent sees them.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { ChatMessage } from '../../server/protocol';
import { friendlyName } from '../../server/chat/friendly-name';
import { AppAndBrowser, ready } from './app-browser';
import { MEDIA_ARGS } from './browser';
import { loginDemo, openDemoLivePage } from './demo';
import { ask, connected, handshake, visitorSocket, type VisitorSocket } from './server';

/** Waits on a browser and the network: generous, a timing is not what these tests assert. */
export const POLL = { timeout: 8000 };

/**
 * Observes the browser APIs the alerts use (nothing is faked about the product): Notification
 * records what is shown (permission starts at "default", as in a fresh browser, and the
 * permission prompt answers "granted"), and each oscillator start of the chime is counted.
 * WebSocket and the polling transport can be cut off to simulate a network blip.
 */
const AGENT_INIT = `
(() => {
  const w = window;
  w.__notes = [];
  // Permission outlives reloads, as a browser's does.
  Object.defineProperty(w, '__notifyPermission', {
    get: () => localStorage.getItem('__notifyPermission') || 'default',
    set: (v) => localStorage.setItem('__notifyPermission', v),
  });
  class FakeNotification {
    constructor(title, options) { this.title = title; this.body = options && options.body; this.onclick = null; w.__notes.push(this); }
    close() { this.closed = true; }
    static get permission() { return w.__notifyPermission; }
    static requestPermission() { w.__notifyPermission = 'granted'; return Promise.resolve('granted'); }
  }
  w.Notification = FakeNotification;
  w.__oscillators = 0;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...a) { w.__oscillators++; return start.apply(this, a); };
  // Network blip: while __blip is set, new WebSockets go to a dead port.
  w.__blip = false;
  w.__sockets = [];
  const Real = WebSocket;
  function Wrapped(url, protocols) {
    const target = w.__blip ? String(url).replace(/\\/\\/[^/]+/, '//127.0.0.1:9') : url;
    const ws = protocols === undefined ? new Real(target) : new Real(target, protocols);
    w.__sockets.push(ws);
    return ws;
  }
  Wrapped.prototype = Real.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Wrapped[k] = Real[k];
  w.WebSocket = Wrapped;
})();
`;

/** A desktop notification as AGENT_INIT records it. */
export interface Notes {
  title: string;
  body: string;
}

export interface Visitor {
  s: VisitorSocket;
  id: string;
  label: string;
  /** The team's messages this visitor's browser received (chat:message; their own come back too, for their other tabs). */
  got: ChatMessage[];
  /** chat:read seqs: an agent read up to there. */
  reads: number[];
  say(text: string): Promise<ChatMessage>;
}

export const row = (p: Page, conversationId: string) => p.locator(`[data-testid=conversation-row][data-conversation-id="${conversationId}"]`);
export const navBadge = (p: Page) => p.locator('[data-testid=nav-unread]');
export const unreadIn = async (p: Page, conversationId: string) => {
  const badge = row(p, conversationId).locator('[data-testid=conversation-unread]');
  return (await badge.count()) ? (await badge.innerText()).trim() : '';
};
export const agentMessages = (p: Page) => p.locator('[data-testid=message][data-from=agent] [data-testid=message-text]');
export const visitorMessages = (p: Page) => p.locator('[data-testid=message][data-from=visitor] [data-testid=message-text]');

/**
 * What one describe block of dashboard chat tests shares (construct it inside describe(); read it
 * in tests and hooks): the product and a browser for the block, the agent's tab open on the Demo
 * Store's live page, and after each test its visitors gone, its contexts closed, the agent's
 * network back, and no page error thrown.
 */
export class ChatDashboardSession extends AppAndBrowser {
  #demo: Awaited<ReturnType<typeof loginDemo>> | undefined;
  #agent: Page | undefined;
  readonly #visitors: VisitorSocket[] = [];
  readonly #pageErrors: string[] = [];
  /** Browser contexts closed after each test. */
  readonly contexts: BrowserContext[] = [];

  constructor() {
    super({ PRESENCE_GRACE_MS: '1500' }, MEDIA_ARGS);
    beforeAll(async () => {
      this.#demo = await loginDemo(this.app.url);
      const agentCtx = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
      await agentCtx.addInitScript(AGENT_INIT);
      this.#agent = await openDemoLivePage(agentCtx, this.app.url);
      this.#agent.on('pageerror', (e) => this.#pageErrors.push(e.message));
    });
    afterEach(async () => {
      for (const s of this.#visitors.splice(0)) s.disconnect();
      await Promise.all(this.contexts.splice(0).map((c) => c.close().catch(() => {})));
      await this.#agent?.unrouteAll().catch(() => {});
      await this.#agent?.evaluate(() => ((window as unknown as { __blip: boolean }).__blip = false)).catch(() => {});
      expect(this.#pageErrors.splice(0)).toEqual([]);
    });
  }

  /** The demo owner's session and the Demo Store. */
  get demo(): Awaited<ReturnType<typeof loginDemo>> {
    return ready(this.#demo, 'the demo login');
  }

  /** The agent's dashboard tab (with AGENT_INIT), logged in through the form. */
  get agent(): Page {
    return ready(this.#agent, "the agent's page");
  }

  /** A visitor of the Demo Store, online on `path`, with the chat events their browser receives. */
  newVisitor = async (path = '/', name?: string): Promise<Visitor> => {
    const auth = handshake({ page: { url: `${this.app.demoUrl}${path}`, title: `Lumen Lamps ${path}` } });
    const s = visitorSocket(this.app.url, { key: this.demo.publicKey, origin: this.app.demoUrl, auth });
    this.#visitors.push(s);
    const got: ChatMessage[] = [];
    const reads: number[] = [];
    s.on('chat:message', (m) => {
      if (m.from === 'agent') got.push(m);
    });
    s.on('chat:read', (p) => reads.push(p.seq));
    await connected(s);
    if (name) s.emit('visitor:identify', { name, attributes: {} });
    return {
      s,
      id: auth.visitorId,
      label: name ?? friendlyName(auth.visitorId),
      got,
      reads,
      async say(text: string) {
        const r = await ask<{ message: ChatMessage }>(s, 'chat:send', { id: randomUUID(), text });
        if (!r.ok) throw new Error(`visitor message refused: ${r.code}`);
        return r.message;
      },
    };
  };

  gotoInbox = async (p: Page = this.agent): Promise<void> => {
    // Through the nav, as a person does (a client-side navigation: the socket stays).
    await p.locator('header.topbar a[href="/conversations"]').click();
    await p.waitForURL(/\/conversations(\?.*)?$/);
    await p.locator('[data-testid=inbox]').waitFor();
  };

  openConversation = async (conversationId: string, p: Page = this.agent): Promise<void> => {
    await row(p, conversationId).click();
    await p.waitForURL(new RegExp(`/conversations/${conversationId}`));
    await p.locator(`[data-testid=conversation][data-conversation-id="${conversationId}"]`).waitFor();
  };

  reply = async (text: string, p: Page = this.agent): Promise<void> => {
    await p.locator('[data-testid=composer-input]').fill(text);
    await p.locator('[data-testid=composer-input]').press('Enter');
  };
}
