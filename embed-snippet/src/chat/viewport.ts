// Keeps the chat panel on screen against the visual viewport, not only the layout viewport that
// position:fixed follows: when the on-screen keyboard opens (iOS shrinks only the visual
// viewport), when the page is pinch-zoomed, scrolled sideways, or wider than a phone's screen.
// The rectangle goes to the host as custom properties (--vl/--vt/--vw/--vh, the visual viewport in
// layout-viewport pixels), set through CSSOM on a `:host` rule of a constructable stylesheet the
// shadow root adopts: no style attribute anywhere, and a CSP without 'unsafe-inline' allows it.
// The stylesheets place the panel and the call card with them (the core does the same for the launcher).
import { guard } from './safe';

export interface ViewportRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The custom properties for a rectangle (pure: unit-tested). */
export function viewportVars(r: ViewportRect): Record<string, string> {
  const px = (n: number): string => `${Math.round(Math.max(0, n) * 100) / 100}px`;
  return { '--vl': px(r.left), '--vt': px(r.top), '--vw': px(r.width), '--vh': px(r.height) };
}

/** Follows the visual viewport for this shadow root's host (from now on, while the page lives). */
export function trackViewport(root: ShadowRoot): void {
  const vv = window.visualViewport;
  if (!vv) return; // the stylesheets fall back to the layout viewport
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(':host{}');
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const rule = (sheet.cssRules[0] as CSSStyleRule).style;
  let frame = 0;
  const apply = guard(() => {
    frame = 0;
    for (const [k, v] of Object.entries(viewportVars({ left: vv.offsetLeft, top: vv.offsetTop, width: vv.width, height: vv.height }))) {
      if (rule.getPropertyValue(k) !== v) rule.setProperty(k, v);
    }
  });
  const schedule = guard(() => {
    if (!frame) frame = requestAnimationFrame(apply);
  });
  vv.addEventListener('resize', schedule);
  vv.addEventListener('scroll', schedule);
  apply();
}
