// The always-loaded side of chat, kept tiny (embed.js has a hard size budget): the launcher
// button, the page's chat commands, and the hand-over to the chat part (/embed/chat.js), which
// does everything else (panel, badge, preview, delivery). The launcher lives in
// <porchlight-launcher> with an open shadow root styled only by a constructable stylesheet, so
// it works on pages whose CSP forbids inline styles.
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
}

/** sessionStorage key of the chat part's state (open panel, unsent messages): the part is needed at start. */
export const CHAT_KEY = '_porchlight_chat';

// all:initial keeps page rules off the host; !important in a shadow tree beats the page's own
// !important (inner context wins), so `* { position: relative !important }` cannot move it.
// Placed against the visual viewport (--vl/--vt/--vw/--vh, see place() below): a page wider than
// a phone's screen, pinch zoom or the on-screen keyboard would put a plain right/bottom corner of
// the layout viewport off screen.
const CSS =
  ':host{all:initial!important;position:fixed!important;z-index:2147483646!important;left:calc(var(--vl,0px) + var(--vw,100%) - 76px)!important;top:calc(var(--vt,0px) + var(--vh,100%) - 76px)!important}' +
  ':host([hidden]){display:none!important}' +
  'button{all:unset;display:grid;place-items:center;width:56px;height:56px;border-radius:50%;background:#2563eb;color:#fff;cursor:pointer;box-shadow:0 4px 14px #0004}' +
  'button:focus-visible{outline:3px solid #93c5fd;outline-offset:3px}' +
  'svg{width:28px;fill:currentColor}';

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

  /** Puts the launcher on the page (once). */
  const mount = (): void => {
    if (host) return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    const el = document.createElement('porchlight-launcher');
    const root = el.attachShadow({ mode: 'open' });
    root.adoptedStyleSheets = [sheet];
    const button = document.createElement('button');
    button.setAttribute('aria-label', 'Chat with us');
    // Until the part runs, a second click (chat.js still loading) must not close what the first opens.
    button.onclick = guard(() => cmd(link.run ? 'toggle' : 'open'));
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    const path = document.createElementNS(ns, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    path.setAttribute('d', 'M5 16.8A10 8 0 1 1 9 18.6L4 21z');
    svg.append(path);
    button.append(svg);
    root.append(button);
    (host = el).hidden = link.hidden;
    // The visual viewport's rectangle, as custom properties of the sheet's :host rule (CSSOM,
    // which a strict CSP allows; no style attribute on the page).
    const vv = window.visualViewport;
    const place = guard(() => {
      for (const [k, v] of [['l', vv!.offsetLeft], ['t', vv!.offsetTop], ['w', vv!.width], ['h', vv!.height]] as const) (sheet.cssRules[0] as CSSStyleRule).style.setProperty('--v' + k, v + 'px');
    });
    if (vv) {
      place();
      vv.addEventListener('resize', place);
      vv.addEventListener('scroll', place);
    }
    (document.body || document.documentElement).append(el);
    link.root = root;
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
