// Call benchmark report: nearest-rank statistics over the calls, the Markdown table with the method, and the JSON beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from '../support/server';
import type { Options } from './call-options';

export function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  // nearest rank, as in "p95 over 20 calls = the 19th value"
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
export interface Stat {
  n: number;
  min: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}
export function stats(values: number[]): Stat {
  const s = [...values].sort((a, b) => a - b);
  return { n: s.length, min: s[0] ?? NaN, p50: quantile(s, 0.5), p95: quantile(s, 0.95), max: s[s.length - 1] ?? NaN, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1) };
}
export const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : 'n/a');

export interface CallSample {
  call: number;
  inviteMs?: number;
  inviteDomMs?: number;
  visitorFirstFrameMs?: number;
  agentFirstFrameMs?: number;
  visitorFrameSize?: string;
  agentFrameSize?: string;
  hangupVisitorEndedMs?: number;
  hangupAgentEndedMs?: number;
  /** The navigation step: from the visitor's click on a link to another page of the site. */
  resumeFrom?: string;
  resumeTo?: string;
  resumeInCallMs?: number;
  resumeVisitorFrameMs?: number;
  resumeAgentFrameMs?: number;
  error?: string;
}

export function report(o: Options, samples: CallSample[], meta: { chromiumVersion: string; clockSkewMs: number; started: Date }): void {
  const ok = samples.filter((s) => !s.error);
  const failed = samples.filter((s) => s.error);
  const pick = (k: keyof CallSample) => ok.map((s) => s[k]).filter((v): v is number => typeof v === 'number');
  const metrics = {
    invite: stats(pick('inviteMs')),
    inviteDom: stats(pick('inviteDomMs')),
    visitorFirstFrame: stats(pick('visitorFirstFrameMs')),
    agentFirstFrame: stats(pick('agentFirstFrameMs')),
    hangupVisitorEnded: stats(pick('hangupVisitorEndedMs')),
    hangupAgentEnded: stats(pick('hangupAgentEndedMs')),
    resumeInCall: stats(pick('resumeInCallMs')),
    resumeVisitorFrame: stats(pick('resumeVisitorFrameMs')),
    resumeAgentFrame: stats(pick('resumeAgentFrameMs')),
  };
  const warm = ok.filter((s) => s.call > 1);
  const cpus = os.cpus();
  const machine = {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: meta.chromiumVersion,
  };
  const targets = {
    invite: { targetMs: 200, p95: metrics.invite.p95, met: metrics.invite.p95 < 200 },
    visitorFirstFrame: { targetMs: 1000, p95: metrics.visitorFirstFrame.p95, met: metrics.visitorFirstFrame.p95 < 1000 },
    agentFirstFrame: { targetMs: 1000, p95: metrics.agentFirstFrame.p95, met: metrics.agentFirstFrame.p95 < 1000 },
  };

  const row = (label: string, s: Stat, target?: string) => `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} | ${ms(s.min)} | ${ms(s.mean)} | ${target ?? ''} |`;
  const verdict = (t: { targetMs: number; met: boolean }) => `< ${t.targetMs} ms: ${t.met ? 'met' : 'NOT met'}`;
  const md = `# Call benchmark

Run ${meta.started.toISOString()} on ${machine.cores} cores (${machine.cpu}), ${machine.memGiB} GiB, ${machine.kernel}, Node ${machine.node}, headless Chromium ${machine.chromium}; everything on loopback (127.0.0.1), no STUN/TURN (ICE_SERVERS empty: host candidates).
${ok.length} of ${samples.length} calls completed${failed.length ? `; ${failed.length} failed: ${[...new Set(failed.map((f) => f.error))].join('; ')}` : ''}.

| measured (ms) | calls | p50 | p95 | max | min | mean | target (on p95) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${row("agent's click on Call -> invite shown on the visitor's page", metrics.invite, verdict(targets.invite))}
${row('  (the same, to the invite in the DOM, before its frame)', metrics.inviteDom)}
${row("visitor's Accept with video -> first remote frame, visitor side", metrics.visitorFirstFrame, verdict(targets.visitorFirstFrame))}
${row("visitor's Accept with video -> first remote frame, agent side", metrics.agentFirstFrame, verdict(targets.agentFirstFrame))}
${o.resume ? `${row("visitor's click on a link to another page -> call UI in-call on the new page", metrics.resumeInCall)}
${row("visitor's click on a link to another page -> first remote video frame on the new page", metrics.resumeVisitorFrame)}
${row("visitor's click on a link to another page -> first new remote video frame, agent side", metrics.resumeAgentFrame)}
` : ''}${row("agent's hang-up -> visitor sees the call ended", metrics.hangupVisitorEnded)}
${row("agent's hang-up -> agent's dock shows it ended", metrics.hangupAgentEnded)}

First call (the visitor's page loads the call part, /embed/call.js, on the first invite): invite ${ms(ok.find((s) => s.call === 1)?.inviteMs ?? NaN)} ms, first frame visitor ${ms(ok.find((s) => s.call === 1)?.visitorFirstFrameMs ?? NaN)} ms / agent ${ms(ok.find((s) => s.call === 1)?.agentFirstFrameMs ?? NaN)} ms. Calls 2-${samples.length} only: invite p50 ${ms(stats(warm.map((s) => s.inviteMs!)).p50)} / p95 ${ms(stats(warm.map((s) => s.inviteMs!)).p95)} ms.

## Method

\`npm run bench:calls\` (test/bench/call-bench.ts) starts the product as \`npm start\` does (server/start.ts in a child process with SKIP_BUILD, so it serves
the existing \`npm run build\` output; a fresh PGlite folder; the demo customer website on its own port; no ICE servers), and one headless Chromium
(${machine.chromium}) with a fake camera and microphone (\`--use-fake-device-for-media-stream --use-fake-ui-for-media-stream
--allow-loopback-in-peer-connection\`). One browser context is the agent: the demo account's session cookie (signed in through better-auth's HTTP
endpoint) on the Demo Store's live page. Another context is one visitor on the demo website's home page. Then ${samples.length} calls run one after another,
${o.gapMs} ms apart: the agent clicks \`call-button\` on the visitor's row; the visitor clicks \`pl-accept-video\` as soon as the invite shows; once both
sides have a remote frame${o.resume ? `, and once both show the call in-call (dock \`data-phase=in-call\`, \`pl-call\` \`data-state=in-call\`) plus ${o.resumeSettleMs} ms, the visitor
clicks the header link to another page of the demo site (home -> /pricing, then /pricing -> home in the next call, alternately): a full page load, after which the
snippet on the new page picks the call up by itself (a new peer connection; nobody clicks anything). When the new page shows the call in-call and a remote frame
and the agent shows a frame of the new stream, the agent` : ', the agent'} clicks \`call-hangup\`, then both ended UIs are dismissed (\`call-close\`, \`pl-close\`) and the next call waits for the
row's call button to be enabled again.${o.resume ? ` The navigation step is one more step of every call (not a separate loop).` : ''}

Clocks: every timestamp is taken inside the pages, on this machine's clock: clicks are \`performance.timeOrigin + event.timeStamp\` of the click
event (the moment the input event was created), from a capturing listener; "invite shown" is the first animation frame after a MutationObserver
(on the document and on the \`<porchlight-call>\` open shadow root) sees \`pl-call[data-state=ringing]\` visible (the row above it, "in the DOM", is the
observer's own time); "first remote frame" is \`requestVideoFrameCallback\`'s \`presentationTime\` (when the frame was handed to the compositor) of the
first frame of \`pl-remote-video\` (visitor) or \`call-remote-video\` (agent) after the accept click; "ended" is when no \`pl-call\` outside
\`data-state=ended\` (no \`call-dock\` outside \`data-phase=ended\`) is left. ${o.resume ? `For the navigation step, the click on the link is taken the same way on the old page and kept in the tab's sessionStorage; the new
document arms its watches as it starts (from sessionStorage, set before the click), so its first \`pl-remote-video\` frame and the first visible
\`pl-call[data-state=in-call]\` are caught however early they come; on the agent's page the first frame of \`call-remote-video\` counts only if its
\`srcObject\` is another stream than the one shown at the click (the old peer's last frames do not count). ` : ''}The two pages' clocks (\`performance.timeOrigin + performance.now()\`)
agreed with Node's within ${Number.isFinite(meta.clockSkewMs) ? meta.clockSkewMs.toFixed(2) : 'n/a'} ms. Percentiles are nearest-rank (p95 of 20 calls = the 19th smallest).
Both browser pages, the server and the demo website share the machine's ${machine.cores} cores, so these are loopback figures, without network latency.
`;

  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(`${o.out}.md`, md);
  writeFileSync(`${o.out}.json`, `${JSON.stringify({ started: meta.started.toISOString(), machine, options: { calls: o.calls, gapMs: o.gapMs, resume: o.resume, resumeSettleMs: o.resumeSettleMs }, clockSkewMs: meta.clockSkewMs, metrics, targets, samples }, null, 2)}\n`);
  console.log(`\n${md}`);
  console.log(`written: ${path.relative(root, `${o.out}.md`)}, ${path.relative(root, `${o.out}.json`)}`);
  if (!ok.length) process.exitCode = 1;
}
