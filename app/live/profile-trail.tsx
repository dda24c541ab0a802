// This visit's trail: each page with when they got there and how long they stayed (the last one
// counts up while they are on it).
import type { VisitorDetails } from '../../server/protocol';
import { pathOf } from '../../server/presence/source';
import { clip, formatClock, formatDuration } from './format';
import type { Loaded } from './use-visitor-details';

interface Props {
  loaded: Loaded;
  details: VisitorDetails | null;
  online: boolean;
  /** Server time now. */
  now: number;
  /** Their live row's last activity: where the last page's time stops once they left. */
  lastActivityAt: number | undefined;
}

export function VisitTrail({ loaded, details, online, now, lastActivityAt }: Props) {
  return (
    <section className="panel-section" aria-labelledby="p-trail">
      <h3 id="p-trail">This visit</h3>
      {loaded.state === 'loading' && <div className="skeleton" style={{ height: 60 }} />}
      {loaded.state === 'error' && <p className="muted">{loaded.message}</p>}
      {details && details.trail.length === 0 && <p className="muted">No page views recorded yet.</p>}
      {details && details.trail.length > 0 && (
        <ol className="trail" data-testid="visitor-trail">
          {details.trail.map((p, i) => {
            const next = details.trail[i + 1];
            const last = i === details.trail.length - 1;
            const spent = (next ? next.at : online ? now : (lastActivityAt ?? p.at)) - p.at;
            return (
              <li key={`${p.at}-${i}`} className={last && online ? 'now' : undefined}>
                <div style={{ minWidth: 0 }}>
                  <div className="t" title={clip(p.title, 500)}>
                    {clip(p.title.trim() || pathOf(p.url), 200)}
                  </div>
                  <div className="u" title={p.url}>
                    {clip(pathOf(p.url), 200)}
                  </div>
                </div>
                <div className="at">
                  <div>{formatClock(p.at)}</div>
                  <div>{last && online ? `${formatDuration(spent)} so far` : formatDuration(spent)}</div>
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
