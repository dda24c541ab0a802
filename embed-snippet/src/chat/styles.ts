// The chat widget's styles, adopted by shadow roots as constructable stylesheets (never <style>
// or style attributes: pages with a strict CSP forbid those). The visual viewport (on-screen
// keyboard, pinch zoom, a page wider than the screen) arrives as custom properties set on the
// hosts (viewport.ts, and src/chat-core.ts for the launcher): --vl/--vt/--vw/--vh, its rectangle
// in layout-viewport pixels. Without them (no visualViewport) the fallbacks are the layout
// viewport (percentages of a fixed element's containing block). The site's look (look.ts) comes
// the same way: --a, --a2, --f, --t (colours) and --b (offset from the bottom), data-left on the host.

const FONT = 'font:14.5px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

/** The panel: <porchlight-chat>'s shadow root. */
export const PANEL_CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483646!important;left:0!important;top:0!important;width:0!important;height:0!important;overflow:visible!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;contain:none!important}
:host([hidden]){display:none!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.sr{position:absolute!important;width:1px;height:1px;margin:0;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.panel{--pw:min(370px,calc(var(--vw,100%) - 40px));--ph:min(560px,calc(var(--vh,100%) - 92px - var(--b,20px)));position:fixed;left:calc(var(--vl,0px) + var(--vw,100%) - 20px - var(--pw));top:calc(var(--vt,0px) + var(--vh,100%) - 72px - var(--b,20px) - var(--ph));width:var(--pw);height:var(--ph);display:flex;flex-direction:column;overflow:hidden;border-radius:18px;background:#fff;color:#0f172a;${FONT};text-align:left;direction:ltr;box-shadow:0 16px 48px rgba(15,23,42,.22),0 2px 8px rgba(15,23,42,.08),0 0 0 1px rgba(15,23,42,.06);animation:pl-up .22s cubic-bezier(.2,.8,.3,1)}
@keyframes pl-up{from{opacity:0;transform:translateY(14px) scale(.98)}}
@media (min-width:481px){:host([data-left]) .panel{left:calc(var(--vl,0px) + 20px)}}
.panel[data-state=min]{--ph:64px;cursor:pointer}
.panel[data-state=min] .body{display:none}
.head{flex:none;display:flex;align-items:center;gap:12px;padding:16px 12px 16px 18px;background:var(--a,#2563eb);background:linear-gradient(135deg,var(--a,#2563eb),var(--a2,#1e40af));color:var(--f,#fff)}
.panel[data-state=min] .head{height:64px;padding:0 10px 0 14px}
.faces{display:flex;flex:none}
.faces:empty{display:none}
.face{display:grid;place-items:center;width:36px;height:36px;border-radius:50%;background:#dbeafe;color:#1e3a8a;font-weight:650;font-size:13px;letter-spacing:.02em;border:2px solid var(--a,#2563eb);margin-left:-10px;position:relative}
.face:first-child{margin-left:0}
.face.more{background:var(--a2,#1e40af);color:var(--f,#fff)}
.face img,.av img{position:absolute;inset:0;width:100%;height:100%;border-radius:50%;object-fit:cover;background:#fff}
.face.on::after{content:"";position:absolute;right:-3px;bottom:-3px;width:9px;height:9px;border-radius:50%;background:#22c55e;border:2px solid var(--a2,#1e40af)}
.titles{flex:1;min-width:0}
.team{font-weight:650;font-size:16px;line-height:1.25;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.status{font-size:13px;opacity:.86;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.status:empty{display:none}
.count{flex:none;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#ef4444;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.panel:not([data-state=min]) .count{display:none}
.iconbtn{flex:none;display:grid;place-items:center;width:36px;height:36px;padding:0;border:0;border-radius:10px;background:transparent;color:inherit;cursor:pointer}
.iconbtn:hover{background:rgba(255,255,255,.16)}
svg{width:20px;height:20px;flex:none}
svg.line{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
svg.fill{fill:currentColor}
.body{flex:1;min-height:0;display:flex;flex-direction:column;background:#fff}
.scroll{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:16px 14px 8px;scrollbar-width:thin}
.greeting{display:flex;gap:8px;align-items:flex-end;margin-bottom:6px}
.row{display:flex;gap:8px;align-items:flex-end;margin-top:3px}
.row.first{margin-top:14px}
.log>.row.first:first-child{margin-top:6px}
.row.me{flex-direction:column;align-items:flex-end}
.av{position:relative;flex:none;display:grid;place-items:center;width:28px;height:28px;border-radius:50%;background:#dbeafe;color:#1e3a8a;font-size:11px;font-weight:700}
.row.agent:not(.first) .av{visibility:hidden}
.stack{display:flex;flex-direction:column;align-items:flex-start;min-width:0;max-width:calc(100% - 36px)}
.me .stack{align-items:flex-end;max-width:82%}
.who{font-size:12px;color:#64748b;margin:0 0 3px 2px}
.bubble{padding:9px 13px;border-radius:18px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;max-width:100%}
.agent .bubble,.greeting .bubble{background:#f1f5f9;color:#0f172a;border-bottom-left-radius:6px}
.me .bubble{background:var(--a,#2563eb);color:var(--f,#fff);border-bottom-right-radius:6px}
.bubble a{color:inherit;text-decoration:underline;text-underline-offset:2px}
.me[data-status=sending] .bubble{opacity:.65}
.me[data-status=failed] .bubble{background:#fef2f2;color:#991b1b;box-shadow:inset 0 0 0 1px #fecaca}
.meta{font-size:12px;color:#64748b;margin:4px 4px 0;display:flex;gap:6px;align-items:center}
.meta:empty{display:none}
.failed{color:#b91c1c}
.retry{font:inherit;font-weight:600;color:#b91c1c;background:none;border:0;padding:0;text-decoration:underline;text-underline-offset:2px;cursor:pointer}
.row.system{justify-content:center;flex-direction:column;align-items:center;margin:14px 0 6px}
.sys{display:inline-flex;align-items:center;gap:6px;font-size:12.5px;color:#475569;background:#f8fafc;border:1px solid #e2e8f0;border-radius:999px;padding:4px 12px;text-align:center}
.sys svg{width:15px;height:15px}
.typing{flex:none;min-height:22px;padding:0 18px 2px;font-size:12.5px;color:#64748b;font-style:italic}
.composer{flex:none;padding:10px 12px 12px;border-top:1px solid #e2e8f0;background:#fff}
.note{margin:0 2px 10px;padding:10px 12px;border-radius:12px;background:#eff6ff;color:#1e3a8a;font-size:13px}
.email{display:block;width:100%;margin:0 0 8px;padding:10px 12px;border:1px solid #cbd5e1;border-radius:12px;font:inherit;color:inherit;background:#fff;outline:none}
.email[aria-invalid=true]{border-color:#dc2626}
.error{margin:0 2px 8px;color:#b91c1c;font-size:13px}
.error:empty{display:none}
.box{display:flex;align-items:flex-end;gap:6px;padding:6px 6px 6px 14px;border:1px solid #cbd5e1;border-radius:22px;background:#fff;transition:border-color .15s,box-shadow .15s}
.box:focus-within,.email:focus{border-color:var(--t,#2563eb);box-shadow:0 0 0 3px rgba(37,99,235,.18)}
textarea{flex:1;min-width:0;height:24px;max-height:132px;margin:5px 0;padding:0;border:0;outline:none;resize:none;background:transparent;font:inherit;color:inherit;line-height:24px;overflow-y:auto}
textarea::placeholder,.email::placeholder{color:#94a3b8}
.send{flex:none;display:grid;place-items:center;width:36px;height:36px;padding:0;border:0;border-radius:50%;background:var(--a,#2563eb);color:var(--f,#fff);cursor:pointer;transition:background .15s,opacity .15s}
.send svg{width:18px;height:18px;margin-left:2px}
.send:disabled{background:#cbd5e1;cursor:default}
.foot{display:flex;align-items:center;justify-content:space-between;gap:8px;margin-top:8px;min-height:20px}
.call{display:inline-flex;align-items:center;gap:6px;padding:4px 8px;margin-left:-4px;border:0;border-radius:8px;background:none;color:var(--t,#2563eb);font:inherit;font-size:13px;font-weight:600;cursor:pointer}
.call:hover{background:#eff6ff}
.call:disabled{color:#94a3b8;cursor:default;background:none}
.call svg{width:17px;height:17px}
.counter{margin-left:auto;font-size:12px;color:#64748b;font-variant-numeric:tabular-nums}
.counter.full{color:#b91c1c;font-weight:600}
.privacy{margin:6px 2px 0;font-size:12px;color:#64748b}
button:focus-visible,a:focus-visible,.email:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
.head button:focus-visible{outline-color:#fff}
@media (max-width:480px){
.panel{left:var(--vl,0px);top:var(--vt,0px);width:var(--vw,100%);height:var(--vh,100%);border-radius:0;animation:none}
.panel[data-state=min]{--pw:calc(var(--vw,100%) - 24px);left:calc(var(--vl,0px) + 12px);top:calc(var(--vt,0px) + var(--vh,100%) - 68px - var(--b,20px) - 64px);width:var(--pw);height:64px;border-radius:16px}
.head{padding-top:max(14px,env(safe-area-inset-top,0px))}
.composer{padding-bottom:max(12px,env(safe-area-inset-bottom,0px))}
textarea,.email{font-size:16px}
}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
@media (forced-colors:active){.bubble,.box,.sys,.note{border:1px solid CanvasText}}
`;

/** What the chat part adds to the launcher's shadow root (the core styles the button itself). */
export const LAUNCHER_CSS = `
*{box-sizing:border-box}
[hidden]{display:none!important}
button svg{transition:transform .2s,opacity .2s}
svg.x{display:none;width:24px;height:24px;fill:none;stroke:currentColor;stroke-width:2.4;stroke-linecap:round;stroke-linejoin:round}
:host([data-open]) button>svg:not(.x){display:none}
:host([data-open]) svg.x{display:block}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#ef4444;color:#fff;border:2px solid #fff;font:700 12px/18px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;text-align:center;pointer-events:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.bubble{position:absolute;right:0;bottom:70px;width:300px;max-width:calc(var(--vw,100vw) - 40px);display:flex;align-items:flex-start;gap:10px;padding:14px 34px 14px 14px;border-radius:16px;background:#fff;color:#0f172a;box-shadow:0 10px 36px rgba(15,23,42,.2),0 0 0 1px rgba(15,23,42,.06);font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;text-align:left;animation:pl-pop .22s cubic-bezier(.2,.8,.3,1)}
@keyframes pl-pop{from{opacity:0;transform:translateY(10px)}}
:host([data-left]) .bubble{right:auto;left:0}
:host([data-open]) b{display:none}
.open{all:unset;position:absolute;inset:0;border-radius:16px;cursor:pointer}
.open:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
.av{position:relative;flex:none;display:grid;place-items:center;width:34px;height:34px;border-radius:50%;background:#dbeafe;color:#1e3a8a;font-size:12px;font-weight:700}
.av img{position:absolute;inset:0;width:100%;height:100%;border-radius:50%;object-fit:cover;background:#fff}
.txt{min-width:0;pointer-events:none}
.name{font-weight:650;font-size:13px;color:#334155;margin-bottom:2px}
.msg{overflow-wrap:anywhere}
.dismiss{position:absolute;top:8px;right:8px;display:grid;place-items:center;width:24px;height:24px;padding:0;border:0;border-radius:50%;background:#f1f5f9;color:#475569;cursor:pointer;z-index:1}
.dismiss:hover{background:#e2e8f0}
.dismiss svg{width:14px;height:14px;fill:none;stroke:currentColor;stroke-width:2.4;stroke-linecap:round}
.dismiss:focus-visible{outline:3px solid #93c5fd;outline-offset:2px}
@media (max-width:480px){:host([data-open]){display:none!important}.bubble{width:calc(var(--vw,100vw) - 40px)}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;
