'use client';
// The "Attention" card: visitors per status (active, idle, hidden tab); a click shows only that
// status, a second click shows every status again.
import type { Dispatch, SetStateAction } from 'react';
import type { VisitorStatus } from '../../server/protocol';
import { STATUS_LABEL } from './format';
import type { ViewState } from './view-state';

interface Props {
  /** Every visitor online by status, filtered or not. */
  byStatus: Readonly<Record<VisitorStatus, number>>;
  /** The view's status filter. */
  status: VisitorStatus | null;
  setView: Dispatch<SetStateAction<ViewState>>;
}

export function StatusCard({ byStatus, status, setView }: Props) {
  return (
    <section className="card stat" aria-labelledby="stat-status">
      <div className="stat-label">
        <span id="stat-status">Attention</span>
      </div>
      <div className="status-split">
        {(['active', 'idle', 'hidden'] as VisitorStatus[]).map((s) => (
          <button
            key={s}
            type="button"
            className="status-pick"
            aria-pressed={status === s}
            onClick={() => setView((v) => ({ ...v, status: v.status === s ? null : s }))}
            title={status === s ? 'Show every status' : `Show only ${STATUS_LABEL[s].toLowerCase()} visitors`}
          >
            <span className="n">{byStatus[s].toLocaleString('en')}</span>
            <span className="l">
              <span className={`dot dot-${s}`} aria-hidden="true" />
              {STATUS_LABEL[s]}
            </span>
          </button>
        ))}
      </div>
    </section>
  );
}
