// The visitor's chat widget as the e2e tests drive it: the product and a headless Chromium started
// together, the agent side as a real socket.io client on /agent (as the dashboard would be), the
// widget's parts on a page, and visitors' browser contexts that are closed after each test.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { ChatMessage, ConversationSummary } from '../../server/protocol';
import { AppAndBrowser, ready } from './app-browser';
import { loginDemo } from './demo';
import { waitForVisitorId } from './media';
import { agentSocket, connected, type AgentSocket } from './server';

export const POLL = { timeout: 8000 };

/** The agent side, as a dashboard would hold it: every chat event of the workspace. */
export class Agent {
  readonly messages: { message: ChatMessage; conversation: ConversationSummary }[] = [];
  readonly typing: { conversationId: string; typing: boolean; from: unknown; text?: string }[] = [];
  readonly conversations = new Map<string, ConversationSummary>();
  private constructor(readonly socket: AgentSocket) {
    socket.on('chat:message', (p) => {
      this.messages.push(p);
      this.conversations.set(p.conversation.id, p.conversation);
    });
    socket.on('chat:conversation', (p) => this.conversations.set(p.conversation.id, p.conversation));
    socket.on('chat:typing', (p) => this.typing.push(p));
  }

  static async connect(url: string, cookie: string): Promise<Agent> {
    const socket = agentSocket(url, cookie);
    await connected(socket);
    // Answered once the socket has joined its workspace rooms (and counts as online).
    const list = await socket.emitWithAck('chat:list', {});
    if (!list.ok) throw new Error(list.code);
    return new Agent(socket);
  }

  /** Visitor messages (and system lines) of one visitor, as the agent received them live. */
  fromVisitor(visitorId: string): ChatMessage[] {
    return this.messages.filter((m) => m.conversation.visitorId === visitorId && m.message.from !== 'agent').map((m) => m.message);
  }

  conversationOf(visitorId: string): ConversationSummary | undefined {
    return [...this.conversations.values()].find((c) => c.visitorId === visitorId);
  }

  async send(conversationId: string, text: string): Promise<ChatMessage> {
    const res = await this.socket.emitWithAck('chat:send', { conversationId, id: `agent-${randomBytes(8).toString('hex')}`, text });
    if (!res.ok) throw new Error(`agent send refused: ${res.code}`);
    return res.message;
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The visitor id the snippet stored on the page, once it has. */
export const visitorIdOf = (page: Page): Promise<string> => waitForVisitorId(page, POLL.timeout);

/** Sets the demo agent's picture as the Account page does (better-auth's update-user). */
export async function setPicture(baseUrl: string, cookie: string, image: string | null): Promise<void> {
  const res = await fetch(`${baseUrl}/api/auth/update-user`, { method: 'POST', headers: { 'content-type': 'application/json', origin: baseUrl, cookie }, body: JSON.stringify({ image }) });
  if (!res.ok) throw new Error(`picture not saved: ${res.status} ${await res.text()}`);
}

/** The natural width of the first image the selector finds (in open shadow roots), 0 while not loaded, null when there is none. */
export const pictureWidth = async (page: Page, selector: string): Promise<number | null> => {
  const img = page.locator(selector).first();
  if (!(await img.count())) return null;
  return img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0));
};

/** The widget's parts on a page (Playwright's CSS locators reach into open shadow roots). */
export function widget(page: Page) {
  const t = (id: string) => page.locator(`[data-testid=${id}]`);
  return {
    launcher: page.getByRole('button', { name: 'Chat with us' }),
    panel: t('pl-chat-panel'),
    dialog: page.getByRole('dialog'),
    input: t('pl-chat-input'),
    log: t('pl-chat-log'),
    rows: page.locator('[data-testid=pl-chat-log] > .row'),
    typing: t('pl-chat-typing'),
    error: t('pl-chat-error'),
    email: t('pl-chat-email'),
    offline: t('pl-chat-offline'),
    badge: t('pl-chat-badge'),
    preview: t('pl-chat-preview'),
    previewText: t('pl-chat-preview-text'),
    /** Texts of the thread's rows, in order (the visually hidden "You: " prefix left out). */
    texts: () => page.locator('[data-testid=pl-chat-log] > .row .bubble, [data-testid=pl-chat-log] > .row .sys').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/^You: /, ''))),
  };
}

export async function sendFromPanel(page: Page, text: string): Promise<void> {
  const w = widget(page);
  await w.input.fill(text);
  await w.input.press('Enter');
  await expect.poll(() => w.input.inputValue(), POLL).toBe('');
}

export interface WidgetVisitor {
  page: Page;
  ctx: BrowserContext;
  id: string;
}

/**
 * What one describe block of widget tests shares (construct it inside describe(); read it in tests
 * and hooks): the product (with `env`) and a browser for the block, the demo agent connected
 * unless `agent: false` (then nobody is online), and after each test its contexts closed and no
 * page error thrown.
 */
export class ChatWidgetSession extends AppAndBrowser {
  #agent: Agent | undefined;
  #cookie: string | undefined;
  /** Browser contexts closed after each test. */
  readonly contexts: BrowserContext[] = [];
  /** Errors the pages threw; each test ends with none. */
  readonly errors: string[] = [];

  constructor(env: Record<string, string> = {}, opts: { agent?: boolean } = {}) {
    super(env);
    beforeAll(async () => {
      if (opts.agent === false) return;
      this.#cookie = (await loginDemo(this.app.url)).cookie;
      this.#agent = await Agent.connect(this.app.url, this.#cookie);
    });
    afterAll(() => this.#agent?.close());
    afterEach(async () => {
      await Promise.all(this.contexts.splice(0).map((c) => c.close().catch(() => {})));
      // The widget must never throw into the host page.
      expect(this.errors.splice(0)).toEqual([]);
    });
  }

  /** The demo agent, online; reassign it after a reconnect (it is closed in afterAll). */
  get agent(): Agent {
    return ready(this.#agent, 'the agent');
  }

  set agent(a: Agent) {
    this.#agent = a;
  }

  /** The demo agent's session cookie. */
  get cookie(): string {
    return ready(this.#cookie, "the agent's cookie");
  }

  /** A visitor on `path` of the demo customer site, in a context of their own. */
  visitor = async (path = '/', o: BrowserContextOptions & { init?: string } = {}): Promise<WidgetVisitor> => {
    const { init, ...options } = o;
    const ctx = await this.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    this.contexts.push(ctx);
    if (init) await ctx.addInitScript(init);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => this.errors.push(e.message));
    await page.goto(`${this.app.demoUrl}${path}`);
    const id = await visitorIdOf(page);
    return { page, ctx, id };
  };
}
