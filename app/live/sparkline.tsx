'use client';
// Visitors online over the last 30 minutes: the server's samples plus the live count now.
import { memo } from 'react';
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis, type TooltipContentProps } from 'recharts';
import type { NameType, ValueType } from 'recharts/types/component/DefaultTooltipContent';
import type { PresencePoint } from '../../server/protocol';
import { HISTORY_WINDOW_MS } from './live-store';

/** The chart spans the last 30 minutes, or less when the server has not been up that long. */
export function sparkDomainStart(points: PresencePoint[], now: number): number {
  const first = points[0]?.at ?? now;
  return Math.min(now - 60_000, Math.max(now - HISTORY_WINDOW_MS, first));
}

export const Sparkline = memo(function Sparkline({ points, now }: { points: PresencePoint[]; now: number }) {
  const peak = points.reduce((m, p) => Math.max(m, p.count), 0);
  const first = points[0];
  const current = points[points.length - 1];
  const label = current
    ? `Visitors online over the last 30 minutes: ${first ? first.count : 0} then ${current.count} now, peak ${peak}.`
    : 'No visitor history yet.';
  if (points.length < 2) {
    // Nothing to draw a line through yet (the server has just started sampling).
    return <div className="sparkline" role="img" aria-label={label} data-testid="sparkline" />;
  }
  return (
    <div className="sparkline" role="img" aria-label={label} data-testid="sparkline">
      <ResponsiveContainer width="100%" height="100%" minWidth={60}>
        <AreaChart data={points} margin={{ top: 4, right: 2, bottom: 2, left: 2 }}>
          <defs>
            <linearGradient id="spark-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#e8590c" stopOpacity={0.28} />
              <stop offset="100%" stopColor="#e8590c" stopOpacity={0} />
            </linearGradient>
          </defs>
          <XAxis dataKey="at" type="number" domain={[sparkDomainStart(points, now), now]} hide allowDataOverflow />
          <YAxis hide domain={[0, Math.max(2, Math.ceil(peak * 1.15))]} allowDecimals={false} />
          <Tooltip content={SparkTooltip} cursor={{ stroke: '#cdd2da', strokeWidth: 1 }} isAnimationActive={false} />
          <Area
            type="monotone"
            dataKey="count"
            stroke="#c2410c"
            strokeWidth={1.75}
            fill="url(#spark-fill)"
            isAnimationActive={false}
            dot={false}
            activeDot={{ r: 3, strokeWidth: 0, fill: '#c2410c' }}
          />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
});

function SparkTooltip({ active, payload }: TooltipContentProps<ValueType, NameType>) {
  const p = payload?.[0]?.payload as PresencePoint | undefined;
  if (!active || !p) return null;
  return (
    <div className="card" style={{ padding: '4px 8px', fontSize: 12, boxShadow: 'var(--shadow)' }}>
      <strong>{p.count}</strong> online ·{' '}
      {new Date(p.at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}
    </div>
  );
}
