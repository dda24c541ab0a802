import type { Metadata } from 'next';
import Link from 'next/link';
import type { CallRecord } from '../../../server/protocol';
import { services } from '../../../server/services';
import { OUTCOME_LABEL } from '../../call/call-state';
import { CALLS_PAGE_SIZE, ENDED_BY_LABEL, REASON_LABEL, callsHref, hasCallFilters, pageOf, parseCallsQuery, serializeCallsQuery } from '../../call/calls-query';
import { CallsFilters } from '../../call/calls-filters';
import { clip, formatDate, formatDuration } from '../../live/format';
import { requireUser, sitesOf } from '../../lib/session';

export const metadata: Metadata = { title: 'Calls' };

export default async function CallsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const query = parseCallsQuery(await searchParams);
  const qs = serializeCallsQuery(query);
  const user = await requireUser(`/calls${qs ? `?${qs}` : ''}`);
  const s = services();
  // The tenant is the session's: only calls of the current workspace's sites, whatever the URL says.
  const sites = await sitesOf(user.id);
  const siteIds = sites.map((x) => x.id);
  const siteId = query.site && siteIds.includes(query.site) ? query.site : undefined;
  const [fetched, agents] = await Promise.all([
    s.calls.list({
      siteIds,
      siteId,
      outcome: query.outcome ?? undefined,
      agentId: query.agent ?? undefined,
      q: query.q || undefined,
      before: query.before ?? undefined,
      beforeId: query.beforeId ?? undefined,
      limit: CALLS_PAGE_SIZE + 1,
    }),
    s.calls.agents(siteIds),
  ]);
  const { rows, olderHref } = pageOf(fetched, query);
  const filtered = hasCallFilters(query);

  return (
    <div className="page-wide">
      <div className="page-header">
        <div>
          <h1>Calls</h1>
          <p>Every call made from the live visitors table, newest first.</p>
        </div>
      </div>

      <CallsFilters
        query={query}
        sites={sites.map((x) => ({ id: x.id, name: x.name }))}
        agents={agents}
      />

      {rows.length === 0 ? (
        <div className="card empty-card" data-testid="calls-empty">
          {filtered || query.before !== null ? (
            <>
              <h2>No calls match {filtered ? 'these filters' : 'this page'}</h2>
              <p>
                <Link href="/calls">Show all calls</Link>
              </p>
            </>
          ) : (
            <>
              <h2>No calls yet</h2>
              <p>Open a site&apos;s live visitors and press the call button on a visitor&apos;s row: the call shows up here.</p>
            </>
          )}
        </div>
      ) : (
        <section className="card calls-card" aria-label="Calls">
          <div className="calls-scroll">
            <table className="calls-table" data-testid="calls-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Site</th>
                  <th scope="col">Visitor</th>
                  <th scope="col">Agent</th>
                  <th scope="col">Outcome</th>
                  <th scope="col" className="num">
                    Duration
                  </th>
                  <th scope="col">Ended by</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <CallRow key={c.id} c={c} siteName={c.siteName ?? sites.find((x) => x.id === c.siteId)?.name ?? 'Unknown site'} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="calls-foot">
            <span className="muted">
              {rows.length} call{rows.length === 1 ? '' : 's'}
              {query.before !== null ? ` started before ${formatDate(query.before)}` : ''}
            </span>
            <span className="calls-pages">
              {query.before !== null && (
                <Link className="btn btn-sm btn-ghost" href={callsHref({ ...query, before: null, beforeId: null })} data-testid="calls-newest">
                  Newest calls
                </Link>
              )}
              {olderHref && (
                <Link className="btn btn-sm" href={olderHref} data-testid="calls-older">
                  Older calls
                </Link>
              )}
            </span>
          </div>
        </section>
      )}
    </div>
  );
}

function CallRow({ c, siteName }: { c: CallRecord; siteName: string }) {
  const outcome = c.outcome ?? 'ongoing';
  return (
    <tr data-testid="call-row" data-outcome={outcome} data-call-id={c.id}>
      <td className="nowrap" title={new Date(c.startedAt).toISOString()}>
        {formatDate(c.startedAt)}
        <span className="sub">{c.video ? 'Video call' : 'Audio call'}</span>
      </td>
      <td title={siteName}>
        <Link href={`/sites/${c.siteId}`}>{clip(siteName, 60)}</Link>
      </td>
      <td title={c.visitorId}>
        {c.visitorName ? clip(c.visitorName, 60) : <span className="mono">{c.visitorId.slice(0, 8)}</span>}
        {c.visitorName && <span className="sub mono">{c.visitorId.slice(0, 8)}</span>}
      </td>
      <td>{clip(c.agentName, 60)}</td>
      <td>
        <span className={`outcome outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span>
      </td>
      <td className="num">{c.durationMs !== null ? formatDuration(c.durationMs) : '—'}</td>
      <td>
        {c.endedBy ? ENDED_BY_LABEL[c.endedBy] : <span className="muted">—</span>}
        {c.reason && <span className="sub">{REASON_LABEL[c.reason] ?? c.reason}</span>}
      </td>
    </tr>
  );
}
