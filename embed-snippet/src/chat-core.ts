// The always-loaded side of chat, kept tiny (embed.js has a hard size budget): the launcher
// button, the page's chat commands, and the hand-over to the chat part (/embed/chat.js), which
// does everything else (panel, badge, preview, delivery). The launcher lives in
// <porchlight-launcher> with an open shadow root styled only by a constructable stylesheet, so
// it works on pages whose CSP forbids inline styles.
import type { WidgetLook } from '../../server/protocol/widget';
import { guard } from './guard';

/** What the core and the chat part share (PartContext.chat). */
export interface ChatLink {
  /** The launcher's shadow root, once it is on the page (after the socket first connected). */
  root?: ShadowRoot;
  /** Porchlight('chat:hide') and no chat:show since (this page load only). */
  hidden: boolean;
  /** Commands ('open', 'close', 'hide', 'show', 'toggle', 'mount') the part has not seen yet. */
  queue: string[];
  /** The part's command handler, once it has registered. */
  run?: (cmd: string) => void;
  /** The page's listeners, Porchlight('on', event, fn); the part calls them (guarded). */
  listeners: [unknown, unknown][];
  /** The site's look and the visitor's language (visitor:look, first thing on every connection). */
  look?: WidgetLook;
}

/** sessionStorage key of the chat part's state (open panel, unsent messages): the part is needed at start. */
export const CHAT_KEY = '_porchlight_chat';

// all:initial keeps page rules off the host; !important in a shadow tree beats the page's own
// !important (inner context wins), so `* { position: relative !important }` cannot move it.
// Placed against the visual viewport (--vl/--vt/--vw/--vh, see place() below): a page wider than
// a phone's screen, pinch zoom or the on-screen keyboard would put a plain right/bottom corner of
// the layout viewport off screen. The site's look (visitor:look) sets --a (accent), --f (ink on
// it) and --b (offset from the bottom) on the same rule, and data-left on the host; the button
// grows into a pill when the site gave it a text (<b>), away from its corner.
const CSS =
  ':host{all:initial!important;position:fixed!important;z-index:2147483646!important;right:calc(100% - var(--vl,0px) - var(--vw,100%) + 20px)!important;top:calc(var(--vt,0px) + var(--vh,100%) - 56px - var(--b,20px))!important}' +
  ':host([data-left]){right:auto!important;left:calc(var(--vl,0px) + 20px)!important}' +
  ':host([hidden]){display:none!important}' +
  'button{all:unset;display:flex;align-items:center;height:56px;padding:0 14px;border-radius:28px;background:var(--a,#2563eb);color:var(--f,#fff);font:600 15px system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px #0004}' +
  'button:focus-visible{outline:3px solid #93c5fd;outline-offset:3px}' +
  'svg{width:28px;fill:currentColor}b{margin:0 6px 0 8px}b:empty{display:none}';

export function chatCore(load: () => void) {
  const link: ChatLink = { hidden: false, queue: [], listeners: [] };
  let host: HTMLElement | undefined;

  const cmd = (c: string): void => {
    if (c == 'hide' || c == 'show') {
      link.hidden = c == 'hide';
      if (host) host.hidden = link.hidden;
    }
    if (link.run) return link.run(c);
    link.queue.push(c);
    if (c == 'open') load();
  };

  let rule: CSSStyleDeclaration;
  let button: HTMLButtonElement;
  let label: HTMLElement;
  const set = (k: string, v: string): void => rule.setProperty('--' + k, v);

  /** Puts the launcher on the page (once), in the site's look (again on every connection). */
  const mount = (look: WidgetLook): void => {
    if (!host) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      rule = (sheet.cssRules[0] as CSSStyleRule).style;
      const el = document.createElement('porchlight-launcher');
      const root = el.attachShadow({ mode: 'open' });
      root.adoptedStyleSheets = [sheet];
      button = document.createElement('button');
      // Until the part runs, a second click (chat.js still loading) must not close what the first opens.
      button.onclick = guard(() => cmd(link.run ? 'toggle' : 'open'));
      const ns = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(ns, 'svg');
      const path = document.createElementNS(ns, 'path');
      svg.setAttribute('viewBox', '0 0 24 24');
      path.setAttribute('d', 'M5 16.8A10 8 0 1 1 9 18.6L4 21z');
      svg.append(path);
      button.append(svg, (label = document.createElement('b')));
      root.append(button);
      (host = el).hidden = link.hidden;
      // The visual viewport's rectangle, as custom properties of the sheet's :host rule (CSSOM,
      // which a strict CSP allows; no style attribute on the page).
      const vv = window.visualViewport;
      const place = guard(() => {
        for (const [k, v] of [['l', vv!.offsetLeft], ['t', vv!.offsetTop], ['w', vv!.width], ['h', vv!.height]] as const) set('v' + k, v + 'px');
      });
      if (vv) {
        place();
        vv.addEventListener('resize', place);
        vv.addEventListener('scroll', place);
      }
      (document.body || document.documentElement).append(el);
      link.root = root;
    }
    link.look = look;
    set('a', look.accent);
    set('f', look.ink);
    set('b', look.offset + 'px');
    host.toggleAttribute('data-left', look.side == 'left');
    button.setAttribute('aria-label', look.name);
    // Text only (the site's own words).
    label.textContent = look.label;
    link.run?.('mount');
  };

  const commands: Record<string, (...args: unknown[]) => void> = {
    on: (name: unknown, fn: unknown) => typeof fn == 'function' && link.listeners.push([name, fn]),
    off: (name: unknown, fn: unknown) => {
      link.listeners = link.listeners.filter(([n, f]) => n !== name || f !== fn);
    },
  };
  for (const c of ['open', 'close', 'hide', 'show']) commands['chat:' + c] = () => cmd(c);
  return { link, mount, commands };
}
