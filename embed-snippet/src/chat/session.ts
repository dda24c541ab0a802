// The visitor's chat, put together: state (state.ts) changed only by dispatch, rendered into the
// panel and the launcher after every change, kept for the next page (persist.ts), and tied to
// the socket (delivery.ts) and to the page's commands and listeners (src/chat-core.ts).
import type { AgentBrief, ChatMessage, ErrorCode } from '../../../server/protocol';
import type { ChatLink } from '../chat-core';
import { newId } from '../ids';
import { createDelivery, type ChatSocket } from './delivery';
import { cleanEmail } from './email';
import { decorateLauncher, type LauncherView } from './launcher-ui';
import type { OutboxEntry } from './outbox';
import { createPanel, type PanelView } from './panel';
import { load, save } from './persist';
import { guard, log } from './safe';
import { initialState, needsEmail, readToSend, reduce, type Action, type ChatState, type PanelState } from './state';
import { createLookSheet, isLook } from './look';
import { sendError, setLanguage, T } from './texts';
import { typingSignal } from './typing';
import { isAgent, isAgentList, isMessage } from './validate';
import { trackViewport } from './viewport';

/** An agent's "typing" that is not renewed or ended within this long is dropped (a lost event). */
export const AGENT_TYPING_MAX_MS = 10_000;

export function startChat(socket: ChatSocket, link: ChatLink): void {
  const saved = load();
  let state: ChatState = initialState({ panel: saved.panel, outbox: saved.outbox, dismissedSeq: saved.dismissedSeq, hidden: link.hidden, visible: document.visibilityState !== 'hidden' });
  let draft = saved.draft;
  let panel: PanelView | null = null;
  let launcher: LauncherView | null = null;
  /** Where focus was before the panel took it (for Escape when there is no launcher). */
  let returnFocus: HTMLElement | null = null;
  const agentTyping = new Map<string, ReturnType<typeof setTimeout>>();
  const looks = createLookSheet();
  /** The site's look: from this connection (checked: it came over the wire), or the last page's until the socket connects. */
  const look = () => (isLook(link.look) ? link.look : (saved.look ?? undefined));

  const dispatch = (a: Action): void => {
    const before = state;
    state = reduce(state, a);
    // Whatever the visitor sees now counts as read: tell the server (agents see "Seen").
    const seq = readToSend(state);
    if (seq) {
      socket.emit('chat:read', { seq });
      state = reduce(state, { type: 'read', seq });
    }
    if (state !== before) render();
  };

  const render = (): void => {
    if (!panel && state.panel !== 'closed') {
      panel = createPanel(panelActions, draft);
      panel.root.adoptedStyleSheets = [...panel.root.adoptedStyleSheets, looks.sheet];
      looks.apply(look(), [panel.host]);
      trackViewport(panel.root);
    }
    panel?.render(state);
    launcher?.render(state);
    persist();
  };

  const persist = (): void => save({ panel: state.panel, draft, outbox: state.outbox, dismissedSeq: state.unread ? state.dismissedSeq : 0, look: look() });

  /**
   * The site's look arrived (every connection) or was restored: colours and side on the panel,
   * and the visitor's language. A panel built in another language is built again (the draft
   * stays); the launcher's texts follow on its next render.
   */
  const applyLook = (): void => {
    const l = look();
    if (!l) return;
    looks.apply(l, [panel?.host]);
    if (!setLanguage(l.lang) || !panel) return;
    const focused = panel.hasFocus();
    draft = panel.draft();
    panel.host.remove();
    panel = null;
    render();
    if (focused) (panel as PanelView | null)?.focusComposer();
  };

  const delivery = createDelivery(socket, {
    get: () => state,
    dispatch,
    rateLimited: (entry) => {
      // The visitor's latest message, with nothing typed since: it goes back into the composer.
      const pending = state.outbox.filter((e) => !e.failed);
      const restore = entry.kind === 'text' && pending[pending.length - 1]?.id === entry.id && !(panel?.draft() ?? draft).trim();
      if (restore) {
        setDraft(entry.text);
        dispatch({ type: 'drop', id: entry.id, error: sendError('rate_limited') });
      } else dispatch({ type: 'error', error: sendError('rate_limited') });
      return restore;
    },
    refused: (entry: OutboxEntry, code: ErrorCode) => dispatch({ type: 'failed', id: entry.id, code, error: sendError(code) }),
  });

  const typing = typingSignal(
    (p) => {
      if (socket.connected) socket.emit('chat:typing', p);
    },
    () => !!state.info?.sneakPeek,
    { now: Date.now, setTimeout: (fn, ms) => setTimeout(guard(fn), ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) },
  );

  const setDraft = (text: string): void => {
    draft = text;
    panel?.setDraft(text);
    persist();
  };

  const setPanel = (p: PanelState, focus: boolean): void => {
    if (p !== 'closed') delivery.hello();
    else typing.stop();
    const hadFocus = !!panel?.hasFocus();
    dispatch({ type: 'panel', panel: p });
    if (p === 'open' && focus) {
      const active = document.activeElement;
      if (active instanceof HTMLElement && active.tagName !== 'PORCHLIGHT-CHAT') returnFocus = active;
      panel?.focusComposer();
    }
    // Focus must not be lost with the closed panel: back to the launcher (or where it was).
    if (p === 'closed' && hadFocus) {
      if (launcher && !state.hidden) launcher.focus();
      else returnFocus?.focus();
    }
  };

  const send = (): void => {
    const text = (panel?.draft() ?? draft).trim();
    if (!text) return;
    let email: string | undefined;
    if (needsEmail(state)) {
      const clean = cleanEmail(panel?.email() ?? '');
      if (!clean) {
        dispatch({ type: 'error', error: T.emailInvalid, email: true });
        panel?.focusEmail();
        return;
      }
      email = clean;
      dispatch({ type: 'email', email });
    }
    typing.stop();
    setDraft('');
    dispatch({ type: 'queue', entry: { id: newId(), kind: 'text', text, ...(email ? { email } : {}), at: Date.now() } });
    delivery.pump();
  };

  const panelActions = {
    send,
    input: (text: string) => {
      draft = text;
      persist();
      typing.input(text);
    },
    blur: () => typing.stop(),
    minimise: () => setPanel('min', false),
    expand: () => setPanel('open', true),
    close: () => setPanel('closed', false),
    requestCall: () => {
      dispatch({ type: 'queue', entry: { id: newId(), kind: 'call', text: '', at: Date.now() } });
      delivery.pump();
    },
    retry: (id: string) => {
      dispatch({ type: 'retry', id });
      delivery.pump();
    },
  };

  const mountLauncher = (): void => {
    if (launcher || !link.root) return;
    launcher = decorateLauncher(link.root, { open: () => setPanel('open', true), dismiss: () => dispatch({ type: 'dismiss' }) });
    launcher.render(state);
  };

  /** The page's listeners (Porchlight('on', 'chat:message', fn)) hear agents' new messages. */
  const tellPage = (m: ChatMessage): void => {
    const data = { id: m.id, text: m.text, from: m.from, at: m.at, agentName: m.agent?.name ?? null };
    for (const [name, fn] of link.listeners.slice()) if (name === 'chat:message' && typeof fn === 'function') guard(fn as (d: unknown) => unknown)({ ...data });
  };

  // ---- the server ----
  socket.on(
    'chat:message',
    guard((m: unknown) => {
      if (!isMessage(m)) return log('chat: odd message', m);
      const isNew = !state.thread.messages.some((x) => x.seq === m.seq);
      dispatch({ type: 'messages', messages: [m], live: true });
      if (isNew && m.from === 'agent') tellPage(m);
      if (state.thread.gap) delivery.sync();
    }),
  );
  socket.on(
    'chat:unread',
    guard((p: { count?: unknown; last?: unknown }) => {
      if (typeof p?.count === 'number') dispatch({ type: 'unread', count: p.count, last: isMessage(p.last) ? p.last : null });
    }),
  );
  socket.on(
    'chat:typing',
    guard((p: { typing?: unknown; agent?: unknown }) => {
      if (!isAgent(p?.agent)) return;
      const agent: AgentBrief = p.agent;
      clearTimeout(agentTyping.get(agent.id));
      if (p.typing === true) agentTyping.set(agent.id, setTimeout(guard(() => dispatch({ type: 'typing', agent, typing: false })), AGENT_TYPING_MAX_MS));
      dispatch({ type: 'typing', agent, typing: p.typing === true });
    }),
  );
  socket.on(
    'chat:read',
    guard((p: { seq?: unknown }) => {
      if (typeof p?.seq === 'number') dispatch({ type: 'agent-read', seq: p.seq });
    }),
  );
  socket.on(
    'chat:agents',
    guard((p: { agents?: unknown }) => {
      if (isAgentList(p?.agents)) dispatch({ type: 'agents', agents: p.agents });
    }),
  );
  const connected = guard(() => {
    dispatch({ type: 'connected', connected: true });
    delivery.connected();
  });
  socket.on('connect', connected);
  socket.on(
    'disconnect',
    guard(() => {
      delivery.disconnected();
      dispatch({ type: 'connected', connected: false });
    }),
  );
  document.addEventListener(
    'visibilitychange',
    guard(() => dispatch({ type: 'visible', visible: document.visibilityState !== 'hidden' })),
  );

  /** Porchlight('shutdown'): the conversation is gone from this page too (the core reconnects as a new visitor). */
  const forget = (): void => {
    typing.stop();
    setDraft('');
    for (const t of agentTyping.values()) clearTimeout(t);
    agentTyping.clear();
    delivery.disconnected();
    state = initialState({ hidden: state.hidden, visible: state.visible });
    render();
  };

  // ---- the page's commands (queued by the core until now) ----
  const run = guard((cmd: string) => {
    if (cmd === 'open') setPanel('open', true);
    else if (cmd === 'close') setPanel('closed', false);
    else if (cmd === 'toggle') setPanel(state.panel === 'open' ? 'closed' : 'open', true);
    else if (cmd === 'hide' || cmd === 'show') dispatch({ type: 'hidden', hidden: cmd === 'hide' });
    else if (cmd === 'mount') {
      mountLauncher();
      applyLook();
      render();
    }
    else if (cmd === 'shutdown') forget();
  });

  applyLook();
  mountLauncher();
  if (state.panel !== 'closed') {
    delivery.hello();
    render();
  }
  for (const cmd of link.queue.splice(0)) run(cmd);
  link.run = run;
  if (socket.connected) connected();
}
