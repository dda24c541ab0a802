// The chat panel: <porchlight-chat> on the host page, an open shadow root holding the markup,
// styled only by an adopted constructable stylesheet. A non-modal role=dialog with a header
// (team, faces of the agents online, minimise and close), the greeting, the thread (role=log),
// who is typing, and the composer (email when nobody is online, textarea, send, video call
// request, length counter, privacy note). It renders ChatState and reports what the visitor
// does; the session decides what happens.
import { CHAT_MAX_LENGTH } from '../../../server/protocol/chat';
import { DEFAULT_CHAT_GREETING } from '../../../server/protocol/widget';
import { showPicture } from '../call/avatar';
import { button, el, icon, ICONS, richText, setText, sheet, toggle } from './dom';
import { guard } from './safe';
import { isOffline, items, needsEmail, type ChatState } from './state';
import { PANEL_CSS } from './styles';
import { avatarText, createThreadView } from './thread-view';
import { presenceLine, T, typingLine } from './texts';

/** The counter shows from this many characters on. */
export const COUNTER_FROM = CHAT_MAX_LENGTH - 500;

export interface PanelActions {
  send(): void;
  input(draft: string): void;
  blur(): void;
  minimise(): void;
  expand(): void;
  close(): void;
  requestCall(): void;
  retry(id: string): void;
}

export interface PanelView {
  host: HTMLElement;
  root: ShadowRoot;
  render(s: ChatState): void;
  draft(): string;
  setDraft(text: string): void;
  email(): string;
  focusComposer(): void;
  focusEmail(): void;
  /** Focus is inside the panel. */
  hasFocus(): boolean;
}

export function createPanel(on: PanelActions, initialDraft: string): PanelView {
  const host = document.createElement('porchlight-chat');
  host.hidden = true;
  const root = host.attachShadow({ mode: 'open' });
  // The composer's height (it grows with the draft) is a rule of its own, not a style attribute.
  const sizer = sheet('textarea{}');
  root.adoptedStyleSheets = [sheet(PANEL_CSS), sizer];
  const height = (sizer.cssRules[0] as CSSStyleRule).style;

  // Header
  const faces = el('div', { class: 'faces', 'aria-hidden': 'true' });
  const team = el('div', { class: 'team', 'data-testid': 'pl-chat-team' }, T.fallbackTeam);
  const status = el('div', { class: 'status', 'data-testid': 'pl-chat-status' });
  const count = el('span', { class: 'count', 'aria-hidden': 'true' });
  const minIcon = icon(ICONS.down);
  const minBtn = button({ class: 'iconbtn', 'aria-label': T.minimise, 'data-testid': 'pl-chat-minimise' }, (e) => {
    e.stopPropagation();
    if (panel.getAttribute('data-state') === 'min') on.expand();
    else on.minimise();
  }, minIcon);
  const closeBtn = button({ class: 'iconbtn', 'aria-label': T.close, 'data-testid': 'pl-chat-close' }, (e) => {
    e.stopPropagation();
    on.close();
  }, icon(ICONS.close));
  const head = el('div', { class: 'head' }, faces, el('div', { class: 'titles' }, team, status), count, minBtn, closeBtn);
  head.addEventListener('click', guard(() => panel.getAttribute('data-state') === 'min' && on.expand()));

  // Thread
  const greetingText = el('div', { class: 'bubble', 'data-testid': 'pl-chat-greeting' });
  const greetingAv = el('span', { class: 'av', 'aria-hidden': 'true' });
  const greeting = el('div', { class: 'greeting' }, greetingAv, el('div', { class: 'stack' }, greetingText));
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': T.messages, 'data-testid': 'pl-chat-log' });
  const scroll = el('div', { class: 'scroll' }, greeting, log);
  const thread = createThreadView(log, on.retry);
  const typing = el('div', { class: 'typing', 'data-testid': 'pl-chat-typing' });

  // Composer
  const note = el('p', { class: 'note', 'data-testid': 'pl-chat-offline' });
  const emailInput = el('input', { class: 'email', type: 'email', autocomplete: 'email', 'aria-label': T.email, placeholder: T.emailPlaceholder, maxlength: '254', 'data-testid': 'pl-chat-email' });
  const error = el('p', { class: 'error', role: 'alert', 'data-testid': 'pl-chat-error' });
  const textarea = el('textarea', { rows: '1', maxlength: String(CHAT_MAX_LENGTH), 'aria-label': T.message, placeholder: T.placeholder, 'data-testid': 'pl-chat-input' });
  textarea.value = initialDraft;
  const sendBtn = button({ class: 'send', 'aria-label': T.send, 'data-testid': 'pl-chat-send' }, () => on.send(), icon(ICONS.send, { fill: true }));
  const callBtn = button({ class: 'call', 'data-testid': 'pl-chat-request-call' }, () => on.requestCall(), icon(ICONS.video), T.requestCall);
  const counter = el('span', { class: 'counter', 'data-testid': 'pl-chat-counter' });
  const privacy = el('p', { class: 'privacy', 'data-testid': 'pl-chat-privacy' }, T.privacy);
  const foot = el('div', { class: 'foot' }, callBtn, counter);
  const composer = el('div', { class: 'composer' }, note, emailInput, error, el('div', { class: 'box' }, textarea, sendBtn), foot, privacy);

  const panel = el('div', { class: 'panel', role: 'dialog', 'aria-label': T.title(''), 'data-testid': 'pl-chat-panel', 'data-state': 'open' }, head, el('div', { class: 'body' }, scroll, typing, composer));
  root.append(panel);
  (document.body ?? document.documentElement).append(host);

  const autosize = (): void => {
    height.setProperty('height', 'auto');
    height.setProperty('height', `${Math.min(textarea.scrollHeight, 132)}px`);
  };
  textarea.addEventListener(
    'keydown',
    guard((e: KeyboardEvent) => {
      // Enter sends, Shift+Enter is a new line; never while an input method is composing.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        on.send();
      }
    }),
  );
  const changed = guard(() => {
    autosize();
    renderCounter();
    on.input(textarea.value);
  });
  textarea.addEventListener('input', changed);
  textarea.addEventListener('blur', guard(() => on.blur()));
  panel.addEventListener(
    'keydown',
    guard((e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.isComposing) {
        e.stopPropagation();
        on.close();
      }
    }),
  );
  // Keystrokes typed in the panel are the visitor's to the chat, not shortcuts of the host page.
  for (const type of ['keydown', 'keyup', 'keypress']) panel.addEventListener(type, (e) => e.stopPropagation());

  const renderCounter = (): void => {
    const n = textarea.value.length;
    setText(counter, n >= COUNTER_FROM ? `${n.toLocaleString()} / ${CHAT_MAX_LENGTH.toLocaleString()}` : '');
    counter.classList.toggle('full', n >= CHAT_MAX_LENGTH);
    sendBtn.disabled = !textarea.value.trim();
    // Nothing in the footer (offline, short draft): no empty row under the composer.
    toggle(foot, 'hidden', callBtn.hidden && !counter.textContent);
  };

  let lastPanel = '';
  let lastFaces = '';

  return {
    host,
    root,
    render(s) {
      toggle(host, 'hidden', s.panel === 'closed');
      panel.setAttribute('data-state', s.panel === 'min' ? 'min' : 'open');
      const info = s.info;
      const name = info?.team || '';
      panel.setAttribute('aria-label', T.title(name));
      setText(team, name || T.fallbackTeam);
      setText(status, info ? presenceLine(info.agents) : s.connected ? '' : T.connecting);
      const agents = info?.agents ?? [];
      const facesKey = agents.map((a) => `${a.id} ${a.initials} ${a.avatar ?? ''}`).join();
      if (facesKey !== lastFaces) {
        lastFaces = facesKey;
        const shown = agents.slice(0, agents.length > 3 ? 2 : 3);
        faces.replaceChildren(
          ...shown.map((a, i) => {
            const face = el('span', { class: i === shown.length - 1 ? 'face on' : 'face', title: a.name }, a.initials || avatarText(a.name));
            showPicture(face, a.avatar);
            return face;
          }),
        );
        if (agents.length > 3) faces.append(el('span', { class: 'face more' }, `+${agents.length - 2}`));
      }
      setText(count, s.unread ? String(s.unread) : '');
      toggle(count, 'hidden', !s.unread);
      const min = s.panel === 'min';
      minBtn.setAttribute('aria-label', min ? T.expand : T.minimise);
      minBtn.setAttribute('aria-expanded', String(!min));
      minIcon.querySelector('path')?.setAttribute('d', min ? ICONS.up : ICONS.down);

      // Greeting
      // The default greeting in the visitor's language; the owner's own words as they wrote them.
      const own = info?.greeting?.trim() ?? '';
      const greet = own === DEFAULT_CHAT_GREETING ? T.greeting : own;
      toggle(greeting, 'hidden', !greet);
      if (greetingText.getAttribute('data-text') !== greet) {
        greetingText.setAttribute('data-text', greet);
        greetingText.replaceChildren(...richText(greet));
        setText(greetingAv, avatarText(name || T.fallbackTeam));
      }

      // Thread: stick to the bottom when the visitor was there (or the panel just opened).
      const opened = lastPanel !== 'open' && s.panel === 'open';
      lastPanel = s.panel;
      const atBottom = scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 48;
      const added = thread.render(items(s));
      if (opened) autosize();
      if (opened || (added && atBottom)) scroll.scrollTop = scroll.scrollHeight;
      setText(typing, typingLine(s.typing));

      // Composer
      const offline = isOffline(s);
      const askEmail = needsEmail(s);
      toggle(note, 'hidden', !offline);
      setText(note, askEmail ? T.offline : offline ? T.offlineKnown(info?.email ?? '') : '');
      toggle(emailInput, 'hidden', !askEmail);
      emailInput.setAttribute('aria-invalid', String(askEmail && s.emailError));
      setText(error, s.error);
      textarea.placeholder = offline ? T.placeholderOffline : T.placeholder;
      toggle(callBtn, 'hidden', !info || offline);
      callBtn.disabled = s.outbox.some((e) => e.kind === 'call' && !e.failed);
      toggle(privacy, 'hidden', !info || info.sneakPeek);
      renderCounter();
    },
    draft: () => textarea.value,
    setDraft(text) {
      textarea.value = text;
      autosize();
      renderCounter();
    },
    email: () => emailInput.value,
    focusComposer: () => textarea.focus({ preventScroll: true }),
    focusEmail: () => emailInput.focus({ preventScroll: true }),
    hasFocus: () => !!root.activeElement,
  };
}
