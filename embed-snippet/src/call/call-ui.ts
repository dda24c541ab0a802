// The visitor's call card: one <porchlight-call> element on the host page with an open shadow
// root that holds all of its markup and styles, so the page's CSS cannot restyle it and its CSS
// cannot leak out. A fixed card at the bottom right; a bottom sheet on phone-sized screens;
// placed against the visual viewport (chat/viewport.ts), so a page wider than the phone keeps it on screen.
// It only renders: the session (call-session.ts) decides what happens. Every text from the
// server (agent name, company) goes in through textContent. Styles come from one constructable
// stylesheet adopted by the shadow root (no <style>, no style attributes: pages whose CSP has no
// 'unsafe-inline' allow it); its :host rule also pins the host in place.
import type { CallInvite } from '../../../server/protocol';
import { initialsOf } from '../../../server/initials';
import { trackViewport } from '../chat/viewport';
import { showPicture } from './avatar';
import type { WidgetLook } from '../../../server/protocol/widget';
import { createLookSheet } from '../chat/look';
import { C, inviteLine, setCallLanguage } from './messages';
import { guard, log } from './safe';

export type ViewState = 'ringing' | 'connecting' | 'in-call' | 'reconnecting' | 'ended';

export interface ViewActions {
  accept(video: boolean): void;
  decline(): void;
  mute(): void;
  camera(): void;
  hangup(): void;
  close(): void;
}

export interface CallView {
  setState(state: ViewState): void;
  /** Why the call ended, or a media problem; '' hides it. */
  setMessage(text: string): void;
  setTimer(text: string): void;
  setLocal(stream: MediaStream | null): void;
  setRemote(stream: MediaStream): void;
  setControls(c: { muted: boolean; cameraOff: boolean; hasVideo: boolean }): void;
  /** What the agent is not sending ("Ana muted"), and whether their video is worth showing. */
  setRemoteMedia(note: string, showVideo: boolean): void;
  remove(): void;
}

// The host: page rules aimed at every element (`* { position: relative !important }`, resets)
// reach it, but `!important` inside a shadow tree beats the page's own `!important`.
const CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;right:0!important;bottom:0!important;width:0!important;height:0!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.card{position:fixed;right:calc(100% - var(--vl,0px) - var(--vw,100%) + 16px);bottom:calc(100% - var(--vt,0px) - var(--vh,100%) + var(--b,16px));width:340px;max-width:calc(var(--vw,100vw) - 32px);max-height:calc(var(--vh,100vh) - 32px);overflow:auto;padding:16px;border-radius:16px;background:#fff;color:#1f2328;box-shadow:0 12px 40px rgba(0,0,0,.22),0 0 0 1px rgba(0,0,0,.07);font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;text-align:left;direction:ltr;animation:pl-in .2s ease-out}
.card:not([data-state=ringing]):not([data-state=ended]){width:380px}
@keyframes pl-in{from{opacity:0;transform:translateY(12px)}}
@media (min-width:481px){:host([data-left]) .card{right:auto;left:calc(var(--vl,0px) + 16px)}}
.head{display:flex;align-items:center;gap:12px}
.who{min-width:0}
.name{font-weight:600;font-size:16px;overflow-wrap:anywhere}
.company{color:#57606a;font-size:13px;overflow-wrap:anywhere}
.avatar{position:relative;flex:none;display:grid;place-items:center;width:48px;height:48px;border-radius:50%;background:var(--a,#2563eb);color:var(--f,#fff);font-weight:600;font-size:17px}
.avatar img{position:absolute;inset:0;width:100%;height:100%;border-radius:50%;object-fit:cover;background:#fff}
[data-state=ringing] .head .avatar::after{content:"";position:absolute;inset:-4px;border-radius:50%;border:2px solid var(--a,#2563eb);animation:pl-ring 1.6s ease-out infinite}
@keyframes pl-ring{from{transform:scale(.92);opacity:.9}to{transform:scale(1.3);opacity:0}}
.lead{margin:12px 0 14px}
.actions{display:grid;gap:8px}
button{font:inherit;font-size:15px;font-weight:600;min-height:44px;padding:10px 14px;border-radius:10px;border:1px solid #d0d7de;background:#f6f8fa;color:#1f2328;cursor:pointer;-webkit-tap-highlight-color:transparent}
button:hover{filter:brightness(.96)}
button:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
.primary{background:var(--a,#2563eb);border-color:var(--a,#2563eb);color:var(--f,#fff)}
.danger{background:#dc2626;border-color:#dc2626;color:#fff}
button[aria-pressed=true]{background:#1f2328;border-color:#1f2328;color:#fff}
.stage{position:relative;overflow:hidden;aspect-ratio:4/3;border-radius:12px;background:#1f2328}
.remote{display:block;width:100%;height:100%;object-fit:cover}
.stage:not([data-video]) .remote{opacity:0}
.stage .avatar{position:absolute;inset:0;margin:auto;width:76px;height:76px;font-size:26px}
.stage[data-video] .avatar{display:none}
.self{position:absolute;right:8px;bottom:8px;width:30%;aspect-ratio:4/3;object-fit:cover;border-radius:8px;border:2px solid rgba(255,255,255,.8);background:#333;transform:scaleX(-1)}
.bar{position:absolute;left:0;right:0;top:0;display:flex;justify-content:space-between;gap:8px;padding:8px 10px;color:#fff;font-size:13px;background:linear-gradient(rgba(0,0,0,.5),transparent)}
.timer{font-variant-numeric:tabular-nums}
.status{position:absolute;left:8px;right:8px;bottom:calc(50% - 70px);text-align:center;color:#fff;font-size:13px;text-shadow:0 1px 2px #000}
.note{position:absolute;left:8px;bottom:8px;max-width:60%;padding:3px 8px;border-radius:6px;background:rgba(0,0,0,.6);color:#fff;font-size:12px}
.note:empty{display:none}
.play{position:absolute;left:50%;top:50%;transform:translate(-50%,-50%)}
.controls{display:flex;gap:8px;margin-top:12px}
.card[data-min] .stage{display:none}
.card[data-min] .controls{margin-top:0}
.controls button{flex:1;padding:10px 6px}
.msg{margin:10px 0 0;color:#57606a;font-size:14px}
.msg:empty{display:none}
[data-state=ended] .msg{color:inherit;font-size:15px}
.ended-only{margin-top:12px;width:100%}
.card:not([data-state=ringing]) .invite,.card:is([data-state=ringing],[data-state=ended]) .call,.card:not([data-state=ended]) .ended-only,.card:not([data-state=ringing]):not([data-state=ended]) .head{display:none}
@media (max-width:480px){
.card,.card:not([data-state=ringing]):not([data-state=ended]){left:var(--vl,0px);right:calc(100% - var(--vl,0px) - var(--vw,100%));bottom:calc(100% - var(--vt,0px) - var(--vh,100%));width:auto;max-width:none;max-height:var(--vh,100vh);border-radius:16px 16px 0 0;padding:16px 16px calc(16px + env(safe-area-inset-bottom,0px))}
.stage{aspect-ratio:auto;height:min(45vh,400px)}
.actions button,.controls button{min-height:48px}
}
@media (prefers-reduced-motion:reduce){*{animation:none!important}}
`;

type Attrs = Record<string, string>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, text = '', ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  node.append(...children);
  return node;
}

const avatarText = (invite: CallInvite): string => (invite.agent.initials || initialsOf(invite.agent.name)).slice(0, 3);

/** The agent's face: initials, with their picture over them when it loads. */
const avatar = (invite: CallInvite): HTMLDivElement => {
  const face = el('div', { class: 'avatar', 'aria-hidden': 'true' }, avatarText(invite));
  showPicture(face, invite.agent.avatar);
  return face;
};

/** One stylesheet for every card of the page (it is parsed once). */
let sheet: CSSStyleSheet | null = null;

export function createCallView(invite: CallInvite, on: ViewActions, look?: WidgetLook): CallView {
  // The visitor's language and the site's colours, as the core last heard them (visitor:look).
  setCallLanguage(look?.lang);
  const agent = invite.agent.name;
  const button = (testid: string, label: string, action: () => void, cls = ''): HTMLButtonElement => {
    const b = el('button', { type: 'button', 'data-testid': testid, class: cls }, label);
    b.addEventListener('click', guard(action));
    return b;
  };

  const host = document.createElement('porchlight-call');
  const root = host.attachShadow({ mode: 'open' });

  // Ringing (and, after the end, the same header with the reason).
  const head = el(
    'div',
    { class: 'head' },
    '',
    avatar(invite),
    el('div', { class: 'who' }, '', el('div', { class: 'name', 'data-testid': 'pl-agent-name' }, agent), el('div', { class: 'company', 'data-testid': 'pl-company' }, invite.company)),
  );
  const acceptVideo = button('pl-accept-video', C.acceptVideo, () => on.accept(true), invite.video ? 'primary' : '');
  const acceptAudio = button('pl-accept-audio', C.acceptAudio, () => on.accept(false), invite.video ? '' : 'primary');
  const actions = el('div', { class: 'actions' }, '', ...(invite.video ? [acceptVideo, acceptAudio] : [acceptAudio, acceptVideo]), button('pl-decline', C.decline, on.decline));
  const invitePart = el('div', { class: 'invite' }, '', el('p', { class: 'lead' }, inviteLine(invite.video)), actions);

  // In the call.
  const remote = el('video', { class: 'remote', 'data-testid': 'pl-remote-video', playsinline: '', autoplay: '' });
  remote.playsInline = remote.autoplay = true;
  const local = el('video', { class: 'self', 'data-testid': 'pl-local-video', playsinline: '', autoplay: '', muted: '' });
  local.playsInline = local.autoplay = local.muted = true;
  local.hidden = true;
  const timer = el('span', { class: 'timer', 'data-testid': 'pl-timer', role: 'timer' }, '00:00');
  const status = el('div', { class: 'status', role: 'status' });
  const note = el('div', { class: 'note', role: 'status', 'data-testid': 'pl-remote-note' });
  const play = button('pl-play', C.tapToHear(agent), () => {
    remote.muted = false;
    start(remote, false);
  }, 'primary play');
  play.hidden = true;
  const stage = el(
    'div',
    { class: 'stage' },
    '',
    avatar(invite),
    remote,
    el('div', { class: 'bar' }, '', el('span', {}, agent), timer),
    status,
    note,
    local,
    play,
  );
  const mute = button('pl-mute', C.mute, on.mute);
  const camera = button('pl-camera', C.cameraOff, on.camera);
  // Minimised, the card keeps only its controls (the video element stays, so its sound plays on),
  // so the visitor can use the page under it on a small screen.
  const shrink = button('pl-shrink', C.shrink, () => {
    const min = card.toggleAttribute('data-min');
    shrink.textContent = min ? C.grow : C.shrink;
    shrink.setAttribute('aria-expanded', String(!min));
  });
  shrink.setAttribute('aria-expanded', 'true');
  const controls = el('div', { class: 'controls' }, '', mute, camera, shrink, button('pl-hangup', C.hangUp, on.hangup, 'danger'));
  const callPart = el('div', { class: 'call' }, '', stage, controls);

  const message = el('p', { class: 'msg', 'data-testid': 'pl-message', role: 'status', 'aria-live': 'polite' });
  const close = button('pl-close', C.close, on.close, 'ended-only');

  const card = el(
    'div',
    { class: 'card', 'data-testid': 'pl-call', 'data-state': 'ringing', role: 'dialog', 'aria-label': C.dialog(invite.video, agent, invite.company) },
    '',
    head,
    invitePart,
    callPart,
    message,
    close,
  );
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  const looks = createLookSheet();
  looks.apply(look, [host]);
  root.adoptedStyleSheets = [sheet, looks.sheet];
  root.append(card);
  (document.body ?? document.documentElement).appendChild(host);
  // On screen where the visitor looks: a page wider than the phone, pinch zoom, the keyboard.
  trackViewport(root);

  // The agent's audio plays through the remote <video>: it must not be muted. Where the browser
  // refuses to start sound without a click on this page (after a navigation, say), play muted,
  // so the video shows, and offer a button for the sound.
  const start = (video: HTMLVideoElement, fallback: boolean): void => {
    video.play().then(
      () => {
        if (video === remote && !remote.muted) play.hidden = true;
      },
      (err: unknown) => {
        log('play refused', err);
        if (video !== remote || !fallback) return;
        remote.muted = true;
        play.hidden = false;
        remote.play().catch(() => {});
      },
    );
  };

  return {
    setState: (state) => {
      card.setAttribute('data-state', state);
      status.textContent = state === 'connecting' ? C.connecting : state === 'reconnecting' ? C.reconnecting : '';
    },
    setMessage: (text) => {
      message.textContent = text;
    },
    setTimer: (text) => {
      timer.textContent = text;
    },
    setLocal: (stream) => {
      local.srcObject = stream;
      local.hidden = !stream?.getVideoTracks().length;
      if (stream) start(local, false);
    },
    setRemote: (stream) => {
      if (remote.srcObject === stream) return;
      remote.srcObject = stream;
      remote.muted = false;
      start(remote, true);
    },
    setControls: ({ muted, cameraOff, hasVideo }) => {
      mute.setAttribute('aria-pressed', String(muted));
      camera.setAttribute('aria-pressed', String(cameraOff));
      camera.hidden = !hasVideo;
      local.hidden = !hasVideo || cameraOff;
    },
    setRemoteMedia: (text, showVideo) => {
      note.textContent = text;
      stage.toggleAttribute('data-video', showVideo);
    },
    remove: () => {
      remote.srcObject = local.srcObject = null;
      host.remove();
    },
  };
}
