// Call benchmark: `npm run bench:calls` (options: `npm run bench:calls -- --help`).
//
// Starts the product as `npm start` runs it (test/support/app-process.ts: server/start.ts in a child
// process, SKIP_BUILD, so a build must exist), logs into the dashboard as the demo user in one
// headless Chromium context and opens the demo customer website in another (both with a fake camera
// and microphone), then runs N calls one after another on loopback:
//   agent clicks `call-button` on the visitor's row
//     -> the invite (`pl-call`, data-state=ringing, in <porchlight-call>'s shadow root) is shown
//   visitor clicks `pl-accept-video`
//     -> first remote video frame on the visitor (`pl-remote-video`) and on the agent (`call-remote-video`)
//   the visitor clicks a link to another page of the demo site (call connected; unless --no-resume)
//     -> the call resumes by itself: `pl-call` in-call on the new page, first remote video frame
//        on the new page (`pl-remote-video`) and the first frame of the agent's new remote stream
//   agent clicks `call-hangup` -> both sides ended; the dock and the invite are dismissed.
// Every timestamp is taken inside the pages (performance.timeOrigin + event.timeStamp for clicks,
// performance.timeOrigin + performance.now() for what appears, requestVideoFrameCallback's
// presentationTime for frames): both pages run on this machine and share its clock.
// Prints p50/p95/max and writes test/bench/results/calls.md and calls.json.
import type { Browser } from 'playwright-core';
import { startApp, type AppProcess } from '../support/app-process';
import { launchBrowser, MEDIA_ARGS } from '../support/browser';
import { loginDemo } from '../support/demo';
import { sleep } from './bench-shared';
import { checkBuild, parseArgs } from './call-options';
import { PAGE_PROBE, tid } from './call-probe';
import { ms, report, type CallSample } from './call-report';
import { cookiesFor, measureSkew, recover, runCall } from './call-run';

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  checkBuild(o.allowStale);

  let app: AppProcess | undefined;
  let browser: Browser | undefined;
  const samples: CallSample[] = [];
  let chromiumVersion = '';
  let clockSkewMs = NaN;
  const started = new Date();
  try {
    console.log('[bench:calls] starting Porchlight (server/start.ts, SKIP_BUILD) and Chromium...');
    [app, browser] = await Promise.all([startApp(), launchBrowser(MEDIA_ARGS)]);
    chromiumVersion = browser.version();
    const demo = await loginDemo(app.url);

    const agentCtx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await agentCtx.addCookies(cookiesFor(demo.cookie, app.url));
    const visitorCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    for (const ctx of [agentCtx, visitorCtx]) await ctx.addInitScript({ content: PAGE_PROBE });

    const agent = await agentCtx.newPage();
    const visitor = await visitorCtx.newPage();
    const pageErrors: string[] = [];
    agent.on('pageerror', (e) => pageErrors.push(`agent: ${e.message}`));
    visitor.on('pageerror', (e) => pageErrors.push(`visitor: ${e.message}`));

    await agent.goto(`${app.url}/sites/${demo.siteId}`);
    await visitor.goto(`${app.demoUrl}/`);
    const row = agent.locator(tid('visitor-row')).first();
    await row.waitFor({ timeout: 15_000 });
    const callButton = row.locator(tid('call-button'));
    try {
      await callButton.waitFor({ timeout: 15_000 });
    } catch {
      throw new Error('the visitor row has no call-button: is the calls UI in this build? (run `npm run build`)');
    }
    clockSkewMs = await measureSkew(agent, visitor);
    console.log(`[bench:calls] Chromium ${chromiumVersion}; page clocks agree within ${clockSkewMs.toFixed(2)} ms; ${o.calls} calls`);

    for (let i = 1; i <= o.calls; i++) {
      const sample: CallSample = { call: i };
      samples.push(sample);
      try {
        await runCall(agent, visitor, callButton, sample, o);
        const resumed = o.resume ? `, ${sample.resumeFrom} -> ${sample.resumeTo}: in-call ${ms(sample.resumeInCallMs!)} ms, frame visitor ${ms(sample.resumeVisitorFrameMs!)} ms / agent ${ms(sample.resumeAgentFrameMs!)} ms` : '';
        console.log(
          `call ${String(i).padStart(2)}: invite ${ms(sample.inviteMs!)} ms, first frame visitor ${ms(sample.visitorFirstFrameMs!)} ms / agent ${ms(sample.agentFirstFrameMs!)} ms${resumed}, hang-up -> ended visitor ${ms(sample.hangupVisitorEndedMs!)} ms / agent ${ms(sample.hangupAgentEndedMs!)} ms`,
        );
      } catch (e) {
        sample.error = (e as Error).message.split('\n')[0];
        console.log(`call ${String(i).padStart(2)}: FAILED: ${sample.error}`);
        await recover(agent, visitor, callButton);
      }
      await sleep(o.gapMs);
    }
    if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.slice(0, 10).join('\n  ')}`);
    await agentCtx.close();
    await visitorCtx.close();
  } finally {
    await browser?.close();
    await app?.stop();
  }

  report(o, samples, { chromiumVersion, clockSkewMs, started });
}

/** Runs one call and fills in its sample; throws when a step does not happen in time. */
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
