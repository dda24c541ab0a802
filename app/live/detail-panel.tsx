'use client';
// The visitor panel: who they are, where they are now, this visit's trail, past visits. The
// profile (VisitorProfile) is shared: the live page shows it in a side sheet, the inbox beside a
// conversation. Live fields come from the store; the trail and history from `visitor:details`.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CallRecord, LiveVisitor, VisitorDetails } from '../../server/protocol';
import { initialsOf } from '../../server/initials';
import { PanelCallButtons } from '../call/call-buttons';
import { PanelChatButton } from '../chat/chat-buttons';
import { OUTCOME_LABEL } from '../call/call-state';
import {
  DEVICE_LABEL,
  STATUS_LABEL,
  clip,
  countryName,
  displayName,
  flagOf,
  formatAgo,
  formatClock,
  formatDate,
  formatDuration,
  hostOf,
  ordinal,
  safeHref,
} from './format';
import type { DetailsResult } from './use-live-site';

interface Props {
  siteId: string;
  visitor: LiveVisitor;
  /** False once the visitor has left the site (the panel keeps their last known state). */
  online: boolean;
  /** Server time now. */
  now: number;
  requestDetails: (visitorId: string) => Promise<DetailsResult>;
  onClose: () => void;
}

type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; details: VisitorDetails };

/** The live page's visitor panel: the profile in a side sheet that Escape closes. */
export function DetailPanel({ siteId, visitor: v, online, now, requestDetails, onClose }: Props) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="panel" aria-labelledby="panel-title" data-testid="visitor-panel">
      <VisitorProfile
        visitorId={v.id}
        visitor={v}
        online={online}
        now={now}
        requestDetails={requestDetails}
        onClose={onClose}
        actions={
          <PanelCallButtons siteId={siteId} visitor={v} online={online}>
            <PanelChatButton siteId={siteId} visitor={v} online={online} />
          </PanelCallButtons>
        }
      />
    </aside>
  );
}

interface ProfileProps {
  visitorId: string;
  /** Their live row; null when they are not on the site now (and were not seen since the page opened). */
  visitor: LiveVisitor | null;
  online: boolean;
  /** Server time now. */
  now: number;
  requestDetails: (visitorId: string) => Promise<DetailsResult>;
  /** Shows a close button in the header. */
  onClose?: () => void;
  /** Buttons under the name (call, chat). */
  actions?: ReactNode;
  /** The name to show for an anonymous visitor (the inbox's friendly name). */
  fallbackName?: string;
  /** Moves focus to the name when the visitor changes (the live page's panel). */
  focusOnOpen?: boolean;
}

/**
 * Who a visitor is, where they are now, this visit's trail, their device, source, calls and past
 * visits. Live fields come from their row; the trail and history from `visitor:details`. Used by
 * the live page's panel and beside a conversation.
 */
export function VisitorProfile({ visitorId, visitor: v, online, now, requestDetails, onClose, actions, fallbackName, focusOnOpen = true }: ProfileProps) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  // Focus moves into the panel when it opens on another visitor.
  useEffect(() => {
    if (focusOnOpen) headingRef.current?.focus();
  }, [visitorId, focusOnOpen]);

  // (Re)load the trail when the panel opens and whenever the visitor moves to another page.
  useEffect(() => {
    let cancelled = false;
    setLoaded((cur) => (cur.state === 'ok' && cur.details.visitorId === visitorId ? cur : { state: 'loading' }));
    const t = setTimeout(
      () => {
        requestDetails(visitorId).then((res) => {
          if (cancelled) return;
          setLoaded(res.ok ? { state: 'ok', details: res.details } : { state: 'error', message: 'Could not load this visitor’s history.' });
        });
      },
      online ? 150 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
    // A call starting or ending also changes the panel's list of calls.
  }, [visitorId, v?.page.url, v?.pagesViewed, v?.call?.callId, v?.call?.phase, online, requestDetails]);

  const details = loaded.state === 'ok' && loaded.details.visitorId === visitorId ? loaded.details : null;
  // Identity known from an earlier visit (stored) fills in what this visit has not sent yet.
  const identity = details ? mergeIdentity(v?.identity, details) : (v?.identity ?? { attributes: {} });
  const name = displayName({ identity });
  const attributes = Object.entries(identity.attributes ?? {});
  const lastPage = !v && details ? (details.trail[details.trail.length - 1] ?? null) : null;
  const lastVisit = !v && details ? (details.pastVisits[0] ?? null) : null;
  const visitCount = v?.visitCount ?? details?.visitCount ?? 0;

  return (
    <>
      <div className="panel-head">
        <span className="avatar" aria-hidden="true" style={{ width: 40, height: 40, fontSize: 14, background: name ? 'var(--primary)' : '#98a1b0' }}>
          {initialsOf(name || fallbackName || '?')}
        </span>
        <div className="who">
          <h2 id="panel-title" ref={headingRef} tabIndex={-1}>
            {name ? clip(name, 80) : (fallbackName ?? 'Anonymous visitor')}
          </h2>
          {identity.email && identity.name && <div className="muted">{clip(identity.email, 80)}</div>}
          <div className="meta">
            {online && v ? (
              <span className={`badge status-${v.status}`} data-testid="visitor-online">
                <span className={`dot dot-${v.status}`} aria-hidden="true" />
                {STATUS_LABEL[v.status]}
              </span>
            ) : (
              <span className="badge badge-warn" data-testid="visitor-offline">
                {v ? 'Left the site' : 'Not on the site now'}
              </span>
            )}
            {visitCount > 1 ? <span className="badge badge-returning">Returning · {ordinal(visitCount)} visit</span> : visitCount === 1 ? <span className="badge badge-new">New visitor</span> : null}
            {v && v.tabs > 1 && online && <span className="badge">{v.tabs} tabs open</span>}
            {v?.call && online && (
              <span className={`badge call-tag call-tag-${v.call.phase}`}>
                {v.call.phase === 'ringing' ? `Ringing (${clip(v.call.agentName, 40)})` : `In call with ${clip(v.call.agentName, 40)}`}
              </span>
            )}
          </div>
          {actions}
        </div>
        {onClose && (
          <button type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label="Close visitor details" data-testid="panel-close">
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" />
            </svg>
          </button>
        )}
      </div>

      <div className="panel-body">
        {v ? (
          <NowOn v={v} online={online} now={now} />
        ) : (
          <section className="panel-section" aria-labelledby="p-now">
            <h3 id="p-now">Last seen on</h3>
            {loaded.state === 'loading' && <div className="skeleton" style={{ height: 48 }} />}
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
        )}

        {(v || (details && details.trail.length > 0)) && (
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
                  const spent = (next ? next.at : online ? now : (v?.lastActivityAt ?? p.at)) - p.at;
                  return (
                    <li key={`${p.at}-${i}`} className={last && online ? 'now' : undefined}>
                      <div style={{ minWidth: 0 }}>
                        <div className="t" title={p.title}>
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
        )}

        <section className="panel-section" aria-labelledby="p-id">
          <h3 id="p-id">Identity &amp; attributes</h3>
          {!identity.name && !identity.email && attributes.length === 0 ? (
            <p className="muted">
              Not identified. Your site can call <span className="inline-code">Porchlight(&apos;identify&apos;, …)</span> when a visitor signs in.
            </p>
          ) : (
            <table className="attrs">
              <tbody>
                {identity.name && (
                  <tr>
                    <th scope="row">Name</th>
                    <td>{clip(identity.name, 200)}</td>
                  </tr>
                )}
                {identity.email && (
                  <tr>
                    <th scope="row">Email</th>
                    <td>{clip(identity.email, 254)}</td>
                  </tr>
                )}
                {attributes.map(([k, val]) => (
                  <tr key={k}>
                    <th scope="row">{clip(k, 64)}</th>
                    <td>{clip(String(val), 500)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        {v ? (
          <SourceAndDevice v={v} />
        ) : (
          lastVisit && (
            <section className="panel-section" aria-labelledby="p-src">
              <h3 id="p-src">Source</h3>
              <dl className="kv">
                <dt>Source</dt>
                <dd data-testid="visitor-source">{clip(lastVisit.source || 'direct', 120)}</dd>
                <dt>Referrer</dt>
                <dd>{lastVisit.referrer ? clip(hostOf(lastVisit.referrer) || lastVisit.referrer, 80) : <span className="muted">None (direct)</span>}</dd>
              </dl>
            </section>
          )
        )}

        <section className="panel-section" aria-labelledby="p-calls">
          <h3 id="p-calls">Calls</h3>
          {loaded.state === 'loading' && <div className="skeleton" style={{ height: 32 }} />}
          {details && (details.calls ?? []).length === 0 && <p className="muted">No calls with this visitor yet.</p>}
          {details && (details.calls ?? []).length > 0 && <CallList calls={details.calls} now={now} />}
        </section>

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
      </div>
    </>
  );
}

function NowOn({ v, online, now }: { v: LiveVisitor; online: boolean; now: number }) {
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

function SourceAndDevice({ v }: { v: LiveVisitor }) {
  const referrerHref = safeHref(v.referrer);
  const utm = Object.entries(v.utm).filter(([, val]) => !!val);
  return (
    <>
      <section className="panel-section" aria-labelledby="p-src">
        <h3 id="p-src">Source</h3>
        <dl className="kv">
          <dt>Source</dt>
          <dd data-testid="visitor-source">{clip(v.source, 120)}</dd>
          <dt>Referrer</dt>
          <dd>
            {referrerHref ? (
              <a href={referrerHref} target="_blank" rel="noopener noreferrer" title={v.referrer}>
                {clip(hostOf(v.referrer) || v.referrer, 80)}
              </a>
            ) : (
              <span className="muted">None (direct)</span>
            )}
          </dd>
          {utm.map(([k, val]) => (
            <FragmentPair key={k} k={`utm_${k}`} v={clip(String(val), 200)} />
          ))}
        </dl>
      </section>

      <section className="panel-section" aria-labelledby="p-dev">
        <h3 id="p-dev">Device &amp; location</h3>
        <dl className="kv">
          <dt>Device</dt>
          <dd data-testid="visitor-device">{DEVICE_LABEL[v.device.type] ?? v.device.type}</dd>
          <dt>Browser</dt>
          <dd>{clip(v.device.browser || 'Unknown', 80)}</dd>
          <dt>OS</dt>
          <dd>{clip(v.device.os || 'Unknown', 80)}</dd>
          <dt>Country</dt>
          <dd>
            {v.country ? (
              <>
                <span className="flag" aria-hidden="true">
                  {flagOf(v.country)}
                </span>
                {countryName(v.country)}
              </>
            ) : (
              <span className="muted">Unknown</span>
            )}
          </dd>
          <dt>Language</dt>
          <dd>{clip(v.language || '—', 40)}</dd>
          <dt>Time zone</dt>
          <dd>{clip(v.timeZone || '—', 64)}</dd>
        </dl>
      </section>
    </>
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

function FragmentPair({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

function mergeIdentity(live: LiveVisitor['identity'] | undefined, d: VisitorDetails): LiveVisitor['identity'] {
  return {
    name: live?.name || d.identity.name,
    email: live?.email || d.identity.email,
    attributes: { ...d.identity.attributes, ...live?.attributes },
  };
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search + u.hash;
  } catch {
    return url;
  }
}
