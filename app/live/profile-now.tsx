// Where a visitor is: the page they are on (live row), or, when they are not on the site, the
// last page or visit on record.
import type { LiveVisitor, VisitorDetails } from '../../server/protocol';
import { pathOf } from '../../server/presence/source';
import { clip, formatAgo, formatDate, formatDuration, safeHref } from './format';

export function NowOn({ v, online, now }: { v: LiveVisitor; online: boolean; now: number }) {
  const href = safeHref(v.page.url);
  return (
    <section className="panel-section" aria-labelledby="p-now">
      <h3 id="p-now">{online ? 'Now on' : 'Last seen on'}</h3>
      <div className="current-page" data-testid="visitor-current-page">
        <div className="t">
          {href ? (
            <a href={href} target="_blank" rel="noopener noreferrer">
              {clip(v.page.title.trim() || v.page.path, 300)}
            </a>
          ) : (
            clip(v.page.title.trim() || v.page.path, 300)
          )}
        </div>
        <div className="u">{clip(v.page.url, 400)}</div>
      </div>
      <dl className="kv" style={{ marginTop: 12 }}>
        <dt>Time on site</dt>
        <dd className="num">{formatDuration(now - v.visitStartedAt)}</dd>
        <dt>Pages this visit</dt>
        <dd className="num">{v.pagesViewed}</dd>
        <dt>Last activity</dt>
        <dd>{formatAgo(now - v.lastActivityAt)}</dd>
      </dl>
    </section>
  );
}

/** A visitor who is not on the site: their last page on record (null details: not loaded yet). */
export function LastSeenOn({ loading, details }: { loading: boolean; details: VisitorDetails | null }) {
  const lastPage = details ? (details.trail[details.trail.length - 1] ?? null) : null;
  const lastVisit = details ? (details.pastVisits[0] ?? null) : null;
  return (
    <section className="panel-section" aria-labelledby="p-now">
      <h3 id="p-now">Last seen on</h3>
      {loading && <div className="skeleton" style={{ height: 48 }} />}
      {details && (lastPage || lastVisit) ? (
        <div className="current-page" data-testid="visitor-current-page">
          <div className="t">{clip(lastPage ? lastPage.title.trim() || pathOf(lastPage.url) : pathOf(lastVisit!.landingUrl), 300)}</div>
          <div className="u">{clip(lastPage ? lastPage.url : lastVisit!.landingUrl, 400)}</div>
          <div className="muted" style={{ fontSize: 12, marginTop: 4 }}>
            {formatDate(lastPage ? lastPage.at : lastVisit!.lastSeenAt)}
          </div>
        </div>
      ) : (
        details && <p className="muted">No page views recorded.</p>
      )}
    </section>
  );
}
