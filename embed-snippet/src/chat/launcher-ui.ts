// What the chat part adds to the core's launcher (<porchlight-launcher>, src/chat-core.ts): the
// unread count badge, the preview bubble of the newest unread agent message (name and its first
// ~80 characters; a click opens the panel, × dismisses it), and the open state (a close icon,
// aria-expanded; hidden under a full-screen phone panel). Its own stylesheet is adopted next to
// the core's.
import { showPicture } from '../call/avatar';
import { button, el, icon, ICONS, setText, sheet, toggle } from './dom';
import { withFace, type ChatState } from './state';
import { LAUNCHER_CSS } from './styles';
import { avatarText } from './thread-view';
import { firstName, previewText, T, unreadLabel } from './texts';

export interface LauncherView {
  render(s: ChatState): void;
  focus(): void;
}

export function decorateLauncher(root: ShadowRoot, on: { open(): void; dismiss(): void }): LauncherView {
  const host = root.host as HTMLElement;
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet(LAUNCHER_CSS)];
  const launcher = root.querySelector('button');
  launcher?.append(icon(ICONS.close, { cls: 'x' }));
  launcher?.setAttribute('data-testid', 'pl-chat-launcher');
  const description = el('span', { class: 'sr', id: 'pl-unread' });
  const badge = el('span', { class: 'badge', 'aria-hidden': 'true', 'data-testid': 'pl-chat-badge', hidden: '' });

  const avatar = el('span', { class: 'av', 'aria-hidden': 'true' });
  const name = el('div', { class: 'name' });
  const msg = el('div', { class: 'msg', 'data-testid': 'pl-chat-preview-text' });
  const openBtn = button({ class: 'open', 'data-testid': 'pl-chat-preview-open' }, () => on.open());
  const dismissBtn = button({ class: 'dismiss', 'aria-label': T.dismiss, 'data-testid': 'pl-chat-preview-dismiss' }, () => on.dismiss(), icon(ICONS.close));
  // Announced politely when it appears (a new message while the panel is closed).
  const bubble = el('div', { class: 'bubble', role: 'status', 'data-testid': 'pl-chat-preview', hidden: '' }, openBtn, avatar, el('div', { class: 'txt' }, name, msg), dismissBtn);
  root.append(description, badge, bubble);

  let shownSeq = -1;
  return {
    render(s) {
      // The visitor's language may have arrived after the launcher was decorated.
      dismissBtn.setAttribute('aria-label', T.dismiss);
      toggle(host, 'data-open', s.panel === 'open');
      launcher?.setAttribute('aria-expanded', String(s.panel === 'open'));
      const unread = s.panel === 'open' ? 0 : s.unread;
      setText(badge, unread > 99 ? '99+' : String(unread));
      toggle(badge, 'hidden', !unread);
      setText(description, unread ? unreadLabel(unread) : '');
      if (unread) launcher?.setAttribute('aria-describedby', 'pl-unread');
      else launcher?.removeAttribute('aria-describedby');

      const p = s.panel === 'closed' ? s.preview : null;
      toggle(bubble, 'hidden', !p);
      if (p && p.seq !== shownSeq) {
        shownSeq = p.seq;
        const agent = p.agent?.name ?? '';
        setText(avatar, p.agent?.initials || avatarText(agent || '?'));
        setText(name, firstName(agent));
        setText(msg, previewText(p.text));
        openBtn.setAttribute('aria-label', `${T.expand}: ${firstName(agent)}: ${previewText(p.text)}`);
      }
      // After the initials (setting text would drop it); may come later than the preview (agents online).
      if (p) showPicture(avatar, withFace(s, p.agent)?.avatar);
    },
    focus: () => launcher?.focus(),
  };
}
