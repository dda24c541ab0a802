// The message list (role=log, so screen readers announce new messages): one row per item of
// state.items(), keyed by message id. Rows are created once and only their status line changes
// ("Sending…" -> gone, "Seen", "Not sent · Retry"), and rows already in place are never moved or
// re-created, so nothing is announced twice. Every text from the server goes in as text nodes
// or linkify parts. An agent's face (first of a run) gets their picture whenever the page learns
// of it (call/avatar.ts), in place: the row stays.
import { initialsOf } from '../../../server/initials';
import { showPicture } from '../call/avatar';
import { button, el, icon, ICONS, richText, setText } from './dom';
import type { Item } from './state';
import { clock, eventLine, firstName, T } from './texts';

interface Row {
  node: HTMLElement;
  sig: string;
  meta: HTMLElement;
  status: string;
  /** The agent's face, on the first row of their run. */
  face: HTMLElement | null;
}

export interface ThreadView {
  /** Shows these items; returns true when rows were added. */
  render(items: Item[]): boolean;
}

const signature = (it: Item): string => `${it.who}|${it.first}|${it.agent?.id ?? ''}|${it.event ?? ''}`;

export const avatarText = (name: string): string => initialsOf(name).slice(0, 2);

export function createThreadView(log: HTMLElement, onRetry: (id: string) => void): ThreadView {
  const rows = new Map<string, Row>();

  const create = (it: Item): Row => {
    const meta = el('div', { class: 'meta' });
    const time = clock(it.at);
    let node: HTMLElement;
    let face: HTMLElement | null = null;
    if (it.who === 'system') {
      node = el('div', { class: 'row system first' }, el('span', { class: 'sys' }, it.event === 'call_requested' && icon(ICONS.video, { cls: '' }), eventLine(it.event)), meta);
    } else if (it.who === 'me') {
      const bubble = el('div', { class: 'bubble', title: time }, el('span', { class: 'sr' }, T.you), ...richText(it.text));
      node = el('div', { class: `row me${it.first ? ' first' : ''}` }, el('div', { class: 'stack' }, bubble), meta);
    } else {
      const name = it.agent?.name ?? '';
      const who = el('div', { class: it.first ? 'who' : 'who sr' }, it.first ? firstName(name) : `${firstName(name)}: `);
      const bubble = el('div', { class: 'bubble', title: time }, ...richText(it.text));
      const av = el('span', { class: 'av', 'aria-hidden': 'true' }, it.agent ? it.agent.initials || avatarText(name) : '');
      if (it.first) face = av;
      node = el('div', { class: `row agent${it.first ? ' first' : ''}` }, av, el('div', { class: 'stack' }, who, bubble));
    }
    node.setAttribute('data-key', it.key);
    return { node, sig: signature(it), meta, status: '', face };
  };

  const setStatus = (row: Row, it: Item): void => {
    if (row.status === it.status) return;
    row.status = it.status;
    row.node.setAttribute('data-status', it.status || 'done');
    if (it.status === 'failed') {
      row.meta.replaceChildren(el('span', { class: 'failed' }, `${T.notSent} ·`), button({ class: 'retry', 'data-testid': 'pl-chat-retry' }, () => onRetry(it.key), T.retry));
    } else {
      row.meta.replaceChildren();
      setText(row.meta, it.status === 'sending' ? T.sending : it.status === 'seen' ? T.seen : '');
    }
  };

  return {
    render(items) {
      const wanted = new Set(items.map((it) => it.key));
      for (const [key, row] of rows) {
        if (!wanted.has(key)) {
          row.node.remove();
          rows.delete(key);
        }
      }
      let added = false;
      let cursor: ChildNode | null = log.firstChild;
      for (const it of items) {
        let row = rows.get(it.key);
        if (row && row.sig !== signature(it)) {
          if (cursor === row.node) cursor = cursor.nextSibling;
          row.node.remove();
          row = undefined;
        }
        if (!row) {
          row = create(it);
          rows.set(it.key, row);
          added = true;
        }
        if (row.node === cursor) cursor = cursor.nextSibling;
        else log.insertBefore(row.node, cursor);
        setStatus(row, it);
        if (row.face) showPicture(row.face, it.agent?.avatar);
      }
      return added;
    },
  };
}
