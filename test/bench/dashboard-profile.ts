// Where the dashboard's main thread goes (dashboard-bench.ts --profile, or when the p95 target is
// missed): a V8 CPU profile of the page through CDP (Profiler domain) while keystrokes are typed
// under load, summarized as self and inclusive time per function. The production build has no
// source maps, so each function is shown with its minified chunk, line:column and a short
// excerpt of the code there, to be matched by hand with its source in app/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotSpot {
  fn: string;
  where: string;
  selfMs: number;
  totalMs: number;
  excerpt: string;
}

export interface ProfileSummary {
  wallMs: number;
  /** Sampled time not idle (program, GC and JavaScript). */
  busyMs: number;
  gcMs: number;
  bySelf: HotSpot[];
  byTotal: HotSpot[];
}

const keyOf = (c: CallFrame) => `${c.functionName}|${c.url}|${c.lineNumber}|${c.columnNumber}`;

function excerpt(root: string, c: CallFrame): string {
  const m = /\/_next\/(static\/.*\.js)/.exec(c.url);
  if (!m) return '';
  const file = path.join(root, '.next', m[1] as string);
  if (!existsSync(file)) return '';
  const line = readFileSync(file, 'utf8').split('\n')[c.lineNumber] ?? '';
  return line.slice(Math.max(0, c.columnNumber - 20), c.columnNumber + 140).replace(/\s+/g, ' ');
}

/** Profiles the page's main thread while `run` runs. */
export async function profile(session: CDPSession, run: () => Promise<void>, root: string, top = 15): Promise<ProfileSummary> {
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 250 });
  await session.send('Profiler.start');
  try {
    await run();
  } catch (err) {
    await session.send('Profiler.stop').catch(() => {});
    throw err;
  }
  const { profile: p } = (await session.send('Profiler.stop')) as unknown as { profile: Profile };
  await session.send('Profiler.disable');
  return summarizeProfile(p, root, top);
}

export function summarizeProfile(p: Profile, root: string, top: number): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const frames = new Map<string, CallFrame>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  let busyUs = 0;
  let gcUs = 0;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time before sample i; the sample's own duration is the next delta.
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    const leaf = byId.get(samples[i] as number);
    if (!leaf) continue;
    const name = leaf.callFrame.functionName;
    if (name === '(idle)') continue;
    busyUs += us;
    if (name === '(garbage collector)') gcUs += us;
    const k = keyOf(leaf.callFrame);
    frames.set(k, leaf.callFrame);
    self.set(k, (self.get(k) ?? 0) + us);
    const seen = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id);
      if (!n || n.callFrame.functionName === '(root)') break;
      const key = keyOf(n.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      frames.set(key, n.callFrame);
      total.set(key, (total.get(key) ?? 0) + us);
    }
  }
  const spot = (k: string): HotSpot => {
    const c = frames.get(k) as CallFrame;
    const file = c.url ? c.url.replace(/^https?:\/\/[^/]+/, '') : '(native)';
    return {
      fn: c.functionName || '(anonymous)',
      where: c.url ? `${file}:${c.lineNumber + 1}:${c.columnNumber + 1}` : file,
      selfMs: (self.get(k) ?? 0) / 1000,
      totalMs: (total.get(k) ?? 0) / 1000,
      excerpt: excerpt(root, c),
    };
  };
  const rank = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k]) => spot(k));
  return { wallMs: (p.endTime - p.startTime) / 1000, busyMs: busyUs / 1000, gcMs: gcUs / 1000, bySelf: rank(self), byTotal: rank(total) };
}
