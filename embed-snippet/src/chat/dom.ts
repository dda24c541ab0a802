// Small DOM helpers for the chat widget. Text goes in as text nodes only; message text through
// linkify (http(s) links become <a>, everything else stays text): no innerHTML anywhere. Styles
// only through constructable stylesheets adopted by shadow roots (no <style>, no style
// attributes), so the widget works under a CSP without 'unsafe-inline'.
import { linkify } from '../../../server/chat/links';
import { guard } from './safe';

type Child = Node | string | null | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

export function button(attrs: Record<string, string>, onClick: (e: MouseEvent) => void, ...children: Child[]): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, ...children);
  b.addEventListener('click', guard(onClick));
  return b;
}

export function sheet(css: string): CSSStyleSheet {
  const s = new CSSStyleSheet();
  s.replaceSync(css);
  return s;
}

const SVG = 'http://www.w3.org/2000/svg';

/** A 24x24 line icon (stroke) or filled one, hidden from assistive technology (buttons carry the name). */
export function icon(d: string, o: { fill?: boolean; cls?: string } = {}): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `${o.fill ? 'fill' : 'line'} ${o.cls ?? ''}`.trim());
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

export const ICONS = {
  close: 'M6 6l12 12M18 6L6 18',
  down: 'M6 9l6 6 6-6',
  up: 'M6 15l6-6 6 6',
  send: 'M3.4 20.4l17.45-7.48a1 1 0 000-1.84L3.4 3.6a.99.99 0 00-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z',
  video: 'M15 10l4.55-2.28A1 1 0 0121 8.62v6.76a1 1 0 01-1.45.9L15 14M5 18h8a2 2 0 002-2V8a2 2 0 00-2-2H5a2 2 0 00-2 2v8a2 2 0 002 2z',
};

/** Message text as nodes: plain text, and http(s) links that open in a new tab without the opener. */
export function richText(text: string): Node[] {
  return linkify(text).map((part) => {
    if (part.kind === 'text') return document.createTextNode(part.text);
    const a = el('a', { href: part.href, target: '_blank', rel: 'noopener noreferrer nofollow' });
    a.textContent = part.text;
    return a;
  });
}

/** Sets text only when it changed (no needless DOM mutations inside live regions). */
export function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function toggle(node: Element, attr: string, on: boolean): void {
  if (node.hasAttribute(attr) !== on) node.toggleAttribute(attr, on);
}
