// Call benchmark, one call: invite, accept, frames both ways, the visitor's page change, hang-up, and recovery when a step fails.
import type { Page } from 'playwright-core';
import { sleep } from './bench-shared';
import type { Options } from './call-options';
import { reset, state, tid, until, watch } from './call-probe';
import type { CallSample } from './call-report';

export async function runCall(agent: Page, visitor: Page, callButton: ReturnType<Page['locator']>, s: CallSample, o: Options): Promise<void> {
  const { timeoutMs } = o;
  // The previous call is over on the server too: the button is enabled again.
  await until(async () => (await callButton.isEnabled()) && !(await visible(agent, tid('call-dock', ':not([data-phase=ended])'))), timeoutMs, 'the call button to be enabled and no call in the dock');

  await Promise.all([reset(agent), reset(visitor)]);
  await watch(visitor, 'invite', tid('pl-call', '[data-state=ringing]'), 'shown');
  await callButton.click();
  const invite = await until(async () => {
    const [a, v] = await Promise.all([state(agent), state(visitor)]);
    return typeof v.marks.invite === 'number' && a.clicks['call-button'] ? { a, v } : null;
  }, timeoutMs, 'the invite on the visitor page');
  const clickAt = invite.a.clicks['call-button']!;
  s.inviteMs = (invite.v.marks.invite as number) - clickAt;
  s.inviteDomMs = (invite.v.marks.inviteDom as number) - clickAt;

  await watch(visitor, 'remoteFrame', tid('pl-remote-video'), 'frame');
  await watch(agent, 'remoteFrame', tid('call-remote-video'), 'frame');
  await visitor.locator(tid('pl-accept-video')).click();
  const frames = await until(async () => {
    const [a, v] = await Promise.all([state(agent), state(visitor)]);
    return typeof a.marks.remoteFrame === 'number' && typeof v.marks.remoteFrame === 'number' && v.clicks['pl-accept-video'] ? { a, v } : null;
  }, timeoutMs, 'the first remote frame on both sides');
  const acceptAt = frames.v.clicks['pl-accept-video']!;
  s.visitorFirstFrameMs = (frames.v.marks.remoteFrame as number) - acceptAt;
  s.agentFirstFrameMs = (frames.a.marks.remoteFrame as number) - acceptAt;
  s.visitorFrameSize = String(frames.v.marks.remoteFrameSize);
  s.agentFrameSize = String(frames.a.marks.remoteFrameSize);

  if (o.resume) await resumeAfterNavigation(agent, visitor, s, o);

  // Hang up from the agent: both sides end; then dismiss both UIs.
  await watch(visitor, 'ended', tid('pl-call', ':not([data-state=ended])'), 'absent');
  await watch(agent, 'ended', tid('call-dock', ':not([data-phase=ended])'), 'absent');
  await agent.locator(tid('call-hangup')).click();
  const ended = await until(async () => {
    const [a, v] = await Promise.all([state(agent), state(visitor)]);
    return typeof a.marks.ended === 'number' && typeof v.marks.ended === 'number' && a.clicks['call-hangup'] ? { a, v } : null;
  }, timeoutMs, 'both sides to show the call ended');
  const hangupAt = ended.a.clicks['call-hangup']!;
  s.hangupVisitorEndedMs = (ended.v.marks.ended as number) - hangupAt;
  s.hangupAgentEndedMs = (ended.a.marks.ended as number) - hangupAt;
  await dismiss(agent, visitor, timeoutMs);
}

/**
 * With the call connected on both sides, the visitor clicks a header link to another page of the
 * demo site (home <-> pricing, alternately); the call resumes by itself on the new page (a new
 * peer connection). Measured from the click to: the new page's call UI in-call, its first remote
 * video frame, and the first frame of the new remote stream on the agent's side.
 */
export async function resumeAfterNavigation(agent: Page, visitor: Page, s: CallSample, o: Options): Promise<void> {
  const { timeoutMs } = o;
  await until(
    async () => (await visible(agent, tid('call-dock', '[data-phase=in-call]'))) && (await visible(visitor, tid('pl-call', '[data-state=in-call]'))),
    timeoutMs,
    'both sides in-call before the navigation',
  );
  await sleep(o.resumeSettleMs);
  const from = new URL(visitor.url()).pathname;
  const to = from === '/pricing' ? '/' : '/pricing';
  s.resumeFrom = from;
  s.resumeTo = to;
  // The new document arms its own watches as it starts (sessionStorage of this tab).
  await visitor.evaluate((sel) => {
    sessionStorage.removeItem('__benchNavClick');
    window.__bench.armNext([
      { name: 'resumeInCall', sel: '[data-testid=pl-call][data-state=in-call]', kind: 'shown' },
      { name: 'resumeFrame', sel, kind: 'frame' },
    ]);
  }, tid('pl-remote-video'));
  await reset(agent);
  // Frames of the stream the agent shows now (the visitor's old page) do not count.
  await watch(agent, 'resumeFrame', tid('call-remote-video'), 'newFrame');
  await Promise.all([visitor.waitForURL((u) => u.pathname === to, { waitUntil: 'commit', timeout: timeoutMs }), visitor.locator(`header a[href="${to}"]`).click()]);
  const r = await until(
    async () => {
      try {
        const [a, v, nav] = await Promise.all([state(agent), state(visitor), visitor.evaluate(() => window.__bench.navClick())]);
        return typeof a.marks.resumeFrame === 'number' && typeof v.marks.resumeFrame === 'number' && typeof v.marks.resumeInCall === 'number' && nav ? { a, v, nav } : null;
      } catch {
        return null; // the visitor's page is between documents
      }
    },
    timeoutMs,
    'the call to resume on the new page (in-call and frames on both sides)',
  );
  s.resumeInCallMs = (r.v.marks.resumeInCall as number) - r.nav.at;
  s.resumeVisitorFrameMs = (r.v.marks.resumeFrame as number) - r.nav.at;
  s.resumeAgentFrameMs = (r.a.marks.resumeFrame as number) - r.nav.at;
}

/** Closes the ended call UIs (or waits for them to go away by themselves). */
export async function dismiss(agent: Page, visitor: Page, timeoutMs: number): Promise<void> {
  const close = async (page: Page, id: string) => {
    const b = page.locator(tid(id)).first();
    if (await b.isVisible().catch(() => false)) await b.click({ timeout: 2000 }).catch(() => {});
  };
  await Promise.all([close(agent, 'call-close'), close(visitor, 'pl-close')]);
  // Closed, or at least no longer showing a live call (an ended UI may stay a few seconds).
  await until(async () => !(await visible(agent, tid('call-dock', ':not([data-phase=ended])'))), timeoutMs, 'the call dock to close');
  await until(async () => !(await visible(visitor, tid('pl-call', ':not([data-state=ended])'))), timeoutMs, 'the visitor call UI to close');
  await until(async () => !(await visible(agent, tid('call-dock'))) && !(await visible(visitor, tid('pl-call'))), 5000, 'the ended UIs to go away').catch(() => {});
}

export const visible = (page: Page, sel: string) => page.locator(sel).first().isVisible().catch(() => false);

/** After a failed step: end whatever call is up so the next one can start. */
export async function recover(agent: Page, visitor: Page, callButton: ReturnType<Page['locator']>): Promise<void> {
  for (const [page, id] of [
    [agent, 'call-hangup'],
    [agent, 'call-cancel'],
    [visitor, 'pl-hangup'],
    [visitor, 'pl-decline'],
  ] as const) {
    const b = page.locator(tid(id)).first();
    if (await b.isVisible().catch(() => false)) await b.click({ timeout: 2000 }).catch(() => {});
  }
  await dismiss(agent, visitor, 10_000).catch(() => {});
  await until(async () => callButton.isEnabled(), 35_000, 'the call button after a failed call').catch(() => {});
}

/** How far apart the two pages' clocks (timeOrigin + now) read, bracketed by Node's clock. */
export async function measureSkew(a: Page, b: Page): Promise<number> {
  let worst = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.timeOrigin + performance.now();
    const ta = await a.evaluate(() => window.__bench.now());
    const t1 = performance.timeOrigin + performance.now();
    const tb = await b.evaluate(() => window.__bench.now());
    const t2 = performance.timeOrigin + performance.now();
    // Each page's reading must lie inside its bracket; the error is how far outside it lies.
    const off = (t: number, lo: number, hi: number) => (t < lo ? lo - t : t > hi ? t - hi : 0);
    worst = Math.max(worst, off(ta, t0, t1), off(tb, t1, t2));
  }
  return worst;
}

export function cookiesFor(header: string, url: string) {
  return header
    .split(/;\s*/)
    .filter(Boolean)
    .map((kv) => {
      const i = kv.indexOf('=');
      return { name: kv.slice(0, i), value: kv.slice(i + 1), url };
    });
}
