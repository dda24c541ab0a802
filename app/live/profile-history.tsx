// A visitor's history with the site: the calls the team had with them, and their past visits.
import type { CallRecord, VisitorDetails } from '../../server/protocol';
import { pathOf } from '../../server/presence/source';
import { OUTCOME_LABEL } from '../call/call-state';
import { clip, formatDate, formatDuration } from './format';
import type { Loaded } from './use-visitor-details';

interface Props {
  loaded: Loaded;
  details: VisitorDetails | null;
}

export function CallsSection({ loaded, details, now }: Props & { now: number }) {
  return (
    <section className="panel-section" aria-labelledby="p-calls">
      <h3 id="p-calls">Calls</h3>
      {loaded.state === 'loading' && <div className="skeleton" style={{ height: 32 }} />}
      {details && (details.calls ?? []).length === 0 && <p className="muted">No calls with this visitor yet.</p>}
      {details && (details.calls ?? []).length > 0 && <CallList calls={details.calls} now={now} />}
    </section>
  );
}

function CallList({ calls, now }: { calls: CallRecord[]; now: number }) {
  return (
    <ul className="visits visitor-calls" data-testid="visitor-calls">
      {calls.map((c) => {
        const outcome = c.outcome ?? 'ongoing';
        const duration = c.durationMs !== null ? formatDuration(c.durationMs) : c.outcome === null && c.answeredAt !== null ? `${formatDuration(now - c.answeredAt)} so far` : null;
        return (
          <li key={c.id} data-testid="visitor-call" data-outcome={outcome} data-call-id={c.id}>
            <div className="when">
              <span className={`outcome outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span> {c.video ? 'video call' : 'audio call'}
              {duration && <> · {duration}</>}
            </div>
            <div className="what">
              {formatDate(c.startedAt)} · with {clip(c.agentName, 60)}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export function PastVisits({ loaded, details }: Props) {
  return (
    <section className="panel-section" aria-labelledby="p-past">
      <h3 id="p-past">Past visits</h3>
      {loaded.state === 'loading' && <div className="skeleton" style={{ height: 40 }} />}
      {details && (
        <>
          {details.firstSeenAt !== null && (
            <p className="muted" style={{ marginBottom: 10 }}>
              First seen {formatDate(details.firstSeenAt)} · {details.visitCount} visit{details.visitCount === 1 ? '' : 's'} in total
            </p>
          )}
          {details.pastVisits.length === 0 ? (
            <p className="muted">This is their first visit.</p>
          ) : (
            <ul className="visits" data-testid="past-visits">
              {details.pastVisits.map((pv) => (
                <li key={pv.id}>
                  <div className="when">
                    {formatDate(pv.startedAt)} · {formatDuration(pv.lastSeenAt - pv.startedAt)} · {pv.pageViews} page{pv.pageViews === 1 ? '' : 's'}
                  </div>
                  <div className="what" title={pv.landingUrl}>
                    from {clip(pv.source || 'direct', 60)} · landed on {clip(pathOf(pv.landingUrl), 120)}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
