// A Chromium performance trace of the dashboard page (CDP Tracing, the devtools.timeline
// categories the Performance panel records) while `run` runs, summarized as self time per trace
// event name on the renderer's main thread: what the V8 profile calls "(program)" (style, layout,
// paint, compositing, event dispatch, parsing) is broken down here. Used by dashboard-bench.ts.
import type { CDPSession } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string } };
}

export interface TraceSummary {
  /** Main-thread time covered by top-level tasks, ms. */
  busyMs: number;
  wallMs: number;
  /** Self time per event name, ms, largest first. */
  byName: { name: string; selfMs: number; count: number }[];
}

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc', 'toplevel'].join(',');

export async function trace(session: CDPSession, run: () => Promise<void>, top = 20): Promise<TraceSummary> {
  const events: TraceEvent[] = [];
  const onData = (p: { value: object[] }): void => {
    events.push(...(p.value as unknown as TraceEvent[]));
  };
  const done = new Promise<void>((resolve) => session.once('Tracing.tracingComplete', () => resolve()));
  session.on('Tracing.dataCollected', onData);
  await session.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES.split(','), recordMode: 'recordContinuously' }, transferMode: 'ReportEvents' });
  try {
    await run();
  } finally {
    await session.send('Tracing.end');
    await done;
    session.off('Tracing.dataCollected', onData);
  }
  return summarizeTrace(events, top);
}

export function summarizeTrace(events: TraceEvent[], top: number): TraceSummary {
  // The renderer main thread(s): thread_name metadata "CrRendererMain".
  const mains = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // Only the renderer that ran tasks (the page's; other renderers, if any, idle).
  const tasks = new Map<string, number>();
  for (const e of events) if (e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`) && e.name === 'RunTask') tasks.set(`${e.pid}:${e.tid}`, (tasks.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const main = [...tasks].sort((a, b) => b[1] - a[1])[0]?.[0];
  const xs = events.filter((e) => e.ph === 'X' && `${e.pid}:${e.tid}` === main && typeof e.dur === 'number').sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  // Self time: an event's duration counts for its name, minus the durations of the events nested
  // directly inside it (same thread, within its span).
  const self = new Map<string, { us: number; count: number }>();
  const stack: { end: number; name: string }[] = [];
  let busyUs = 0;
  for (const e of xs) {
    while (stack.length && (stack[stack.length - 1] as { end: number }).end <= e.ts) stack.pop();
    const dur = e.dur as number;
    const parent = stack[stack.length - 1];
    if (parent) {
      const p = self.get(parent.name);
      if (p) p.us -= dur;
    } else busyUs += dur;
    stack.push({ end: e.ts + dur, name: e.name });
    const rec = self.get(e.name) ?? { us: 0, count: 0 };
    rec.us += dur;
    rec.count++;
    self.set(e.name, rec);
  }
  const first = xs[0]?.ts ?? 0;
  const last = xs.reduce((m, e) => Math.max(m, e.ts + (e.dur ?? 0)), first);
  const byName = [...self]
    .map(([name, r]) => ({ name, selfMs: r.us / 1000, count: r.count }))
    .sort((a, b) => b.selfMs - a.selfMs)
    .slice(0, top);
  return { busyMs: busyUs / 1000, wallMs: (last - first) / 1000, byName };
}
