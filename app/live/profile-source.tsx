// Where a visitor came from and on what: source, referrer and UTM tags, device, browser, country,
// language. Live rows have it all; a visitor who is not on the site has their last visit's source.
import type { LiveVisitor, VisitRecord } from '../../server/protocol';
import { DEVICE_LABEL, clip, countryName, flagOf, hostOf, safeHref } from './format';

export function SourceAndDevice({ v }: { v: LiveVisitor }) {
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

/** A visitor who is not on the site: where their last visit came from. */
export function LastSource({ visit }: { visit: VisitRecord }) {
  return (
    <section className="panel-section" aria-labelledby="p-src">
      <h3 id="p-src">Source</h3>
      <dl className="kv">
        <dt>Source</dt>
        <dd data-testid="visitor-source">{clip(visit.source || 'direct', 120)}</dd>
        <dt>Referrer</dt>
        <dd>{visit.referrer ? clip(hostOf(visit.referrer) || visit.referrer, 80) : <span className="muted">None (direct)</span>}</dd>
      </dl>
    </section>
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
