'use client';
// The "Online now" card: how many visitors are on the site, the connection's state, and the
// sparkline of the last 30 minutes.
import { useMemo } from 'react';
import type { PresencePoint } from '../../server/protocol';
import { sparklineSeries, type Connection } from './live-store';
import { Sparkline, sparkDomainStart } from './sparkline';

interface Props {
  connection: Connection;
  ready: boolean;
  /** Visitors online now. */
  total: number;
  history: readonly PresencePoint[];
  clockOffset: number;
  /** Client clock; server time is clientNow + clockOffset. */
  clientNow: number;
}

export function OnlineCard({ connection, ready, total, history, clockOffset, clientNow }: Props) {
  const now = clientNow + clockOffset; // server time
  // The sparkline redraws when the count or the samples change, and every few seconds.
  const sparkTick = Math.floor(clientNow / 5_000);
  const series = useMemo(
    () => sparklineSeries({ history, ready, clockOffset, visitors: { size: total } }, sparkTick * 5_000),
    [history, ready, clockOffset, total, sparkTick],
  );

  return (
    <section className="card stat" aria-labelledby="stat-online">
      <div className="stat-label">
        <span id="stat-online">Online now</span>
        <ConnectionBadge connection={connection} />
      </div>
      <div className="stat-row">
        <span className="stat-value" data-testid="online-total">
          {ready ? total.toLocaleString('en') : '–'}
        </span>
        <Sparkline points={series} now={sparkTick * 5_000 + clockOffset} />
      </div>
      <span className="spark-caption">{sparkCaption(series, now)}</span>
    </section>
  );
}

const CONNECTION_LABEL: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

function ConnectionBadge({ connection }: { connection: Connection }) {
  const dot = connection === 'live' ? 'dot-live' : connection === 'offline' ? 'dot-off' : 'dot-warn';
  return (
    <span className={`conn conn-${connection}`} role="status" data-testid="connection" data-state={connection}>
      <span className={`dot ${dot}`} aria-hidden="true" />
      {CONNECTION_LABEL[connection]}
    </span>
  );
}

function sparkCaption(points: PresencePoint[], now: number): string {
  const start = sparkDomainStart(points, now);
  if (now - start >= 29 * 60_000) return 'Last 30 minutes';
  return `Since ${new Date(start).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}`;
}
