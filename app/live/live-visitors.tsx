'use client';
// The live visitors page: stats, filters, the virtualized table and the visitor panel.
// The view (filters, search, sort) lives in the URL so it can be bookmarked and shared.
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LiveVisitor, PresencePoint, VisitorStatus } from '../../server/protocol';
import { ColumnChooser, useHiddenColumns } from './column-chooser';
import { DetailPanel } from './detail-panel';
import { EmptyInstall } from './empty-install';
import { FilterBar } from './filter-bar';
import {
  activeFilterCount,
  applyView,
  clearFilters,
  matches,
  pageCounts,
  serializeView,
  stableOrder,
  statusCounts,
  toggleSort,
  type SortKey,
  type ViewState,
} from './filters';
import { STATUS_LABEL } from './format';
import { highlightOf, sparklineSeries, visitorList, type Connection } from './live-store';
import { NOBODY } from './row-attention';
import { Sparkline, sparkDomainStart } from './sparkline';
import { useLiveSite, useNow } from './use-live-site';
import type { Highlight } from './visitor-row';
import { VisitorTable } from './visitor-table';

interface Props {
  site: { id: string; name: string; allowedOrigins: string[] };
  snippet: string;
  initialView: ViewState;
}

export function LiveVisitors({ site, snippet, initialView }: Props) {
  const { state, attention, requestDetails } = useLiveSite(site.id);
  const [hiddenColumns, setHiddenColumns] = useHiddenColumns();
  const clientNow = useNow(1_000);
  const now = clientNow + state.clockOffset; // server time
  const [view, setView] = useState<ViewState>(initialView);
  // A navigation to this page (e.g. a bookmarked view, or the tab link) brings a new initial view.
  const [initial, setInitial] = useState(initialView);
  if (initial !== initialView) {
    setInitial(initialView);
    setView(initialView);
  }
  const deferredView = useDeferredValue(view);

  // Keep the URL in step with the view without a navigation or a server round trip.
  useEffect(() => {
    const qs = serializeView(view);
    const next = `${window.location.pathname}${qs ? `?${qs}` : ''}`;
    if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
  }, [view]);

  const visitors = state.visitors;
  const all = useMemo(() => visitorList({ visitors }), [visitors]);
  const sorted = useMemo(() => applyView(all, deferredView, now), [all, deferredView, now]);

  // Rows never jump while the user reads (pointer over or focus in the table): existing rows
  // keep their place, new ones are appended. Changing the view re-sorts at once.
  const [reading, setReading] = useState(false);
  const viewKey = serializeView(deferredView);
  const baseline = useRef<{ key: string; ids: string[] } | null>(null);
  const rows = useMemo(() => {
    const b = baseline.current;
    return reading && b && b.key === viewKey ? stableOrder(b.ids, sorted) : sorted;
  }, [reading, sorted, viewKey]);
  useLayoutEffect(() => {
    baseline.current = { key: viewKey, ids: rows.map((r) => r.id) };
  }, [rows, viewKey]);
  const orderPaused = reading && rows.some((r, i) => sorted[i]?.id !== r.id);

  // Page counts reflect every filter except the page filter itself (clicking one sets it).
  const topPages = useMemo(() => {
    const others = { ...deferredView, page: '' };
    return pageCounts(
      all.filter((v) => matches(v, others, now)),
      8,
    );
  }, [all, deferredView, now]);
  const byStatus = useMemo(() => statusCounts(all), [all]);
  // The sparkline redraws when the count or the samples change, and every few seconds.
  const { history, ready, clockOffset } = state;
  const total = state.visitors.size;
  const sparkTick = Math.floor(clientNow / 5_000);
  const series = useMemo(
    () => sparklineSeries({ history, ready, clockOffset, visitors: { size: total } }, sparkTick * 5_000),
    [history, ready, clockOffset, total, sparkTick],
  );

  // The visitor panel keeps showing someone who just left (marked as gone).
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const lastSelected = useRef<LiveVisitor | null>(null);
  const selectedLive = selectedId ? state.visitors.get(selectedId) : undefined;
  if (selectedLive) lastSelected.current = selectedLive;
  const selected = selectedLive ?? (selectedId && lastSelected.current?.id === selectedId ? lastSelected.current : null);

  const open = useCallback((id: string) => setSelectedId(id), []);
  const close = useCallback(() => {
    const id = selectedId;
    setSelectedId(null);
    if (id) {
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(`tr[data-visitor-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: false }),
      );
    }
  }, [selectedId]);

  const onSort = useCallback((key: SortKey) => setView((v) => toggleSort(v, key)), []);
  const highlight = useCallback(
    (id: string): { kind: Highlight; since: number } => {
      const kind = highlightOf(state, id, clientNow);
      const m = state.marks.get(id);
      return { kind, since: kind === 'new' ? (m?.arrivedAt ?? 0) : kind === 'moved' ? (m?.pageAt ?? 0) : 0 };
    },
    [state, clientNow],
  );

  const filtersOn = activeFilterCount(view);
  const empty = state.ready && all.length === 0;

  return (
    <div className="live" data-testid="live-page">
      {state.error && (
        <div className="alert alert-error" role="alert" style={{ flex: 'none' }}>
          {state.error}{' '}
          <a href={`/login?next=${encodeURIComponent(`/sites/${site.id}`)}`}>Log in again</a>
        </div>
      )}

      <div className="stats">
        <section className="card stat" aria-labelledby="stat-online">
          <div className="stat-label">
            <span id="stat-online">Online now</span>
            <ConnectionBadge connection={state.connection} />
          </div>
          <div className="stat-row">
            <span className="stat-value" data-testid="online-total">
              {state.ready ? all.length.toLocaleString('en') : '–'}
            </span>
            <Sparkline points={series} now={sparkTick * 5_000 + clockOffset} />
          </div>
          <span className="spark-caption">{sparkCaption(series, now)}</span>
        </section>

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
                aria-pressed={view.status === s}
                onClick={() => setView((v) => ({ ...v, status: v.status === s ? null : s }))}
                title={view.status === s ? 'Show every status' : `Show only ${STATUS_LABEL[s].toLowerCase()} visitors`}
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

        <section className="card stat" aria-labelledby="stat-pages">
          <div className="stat-label">
            <span id="stat-pages">Where they are now</span>
            {view.page && (
              <button type="button" className="btn btn-ghost btn-sm" style={{ height: 22 }} onClick={() => setView((v) => ({ ...v, page: '' }))}>
                Show all pages
              </button>
            )}
          </div>
          {topPages.length === 0 ? (
            <span className="muted" style={{ fontSize: 13 }}>
              {state.ready ? 'No one to count yet.' : 'Loading…'}
            </span>
          ) : (
            <ul className="top-pages" data-testid="top-pages">
              {topPages.map((p) => {
                const on = view.page === p.path;
                return (
                  <li key={p.path} style={{ minWidth: 0 }}>
                    <button
                      type="button"
                      className="top-page"
                      aria-pressed={on}
                      onClick={() => setView((v) => ({ ...v, page: v.page === p.path ? '' : p.path }))}
                      title={on ? 'Show all pages' : `Show only visitors on ${p.path}`}
                      data-testid="top-page"
                    >
                      <span className="n">{p.count.toLocaleString('en')}</span> <span>on</span> <span className="p">{p.path}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>

      {empty ? (
        <EmptyInstall siteName={site.name} snippet={snippet} installHref={`/sites/${site.id}/install`} origins={site.allowedOrigins} />
      ) : (
        <>
          <FilterBar view={view} onChange={setView} visitors={all}>
            {orderPaused && (
              <span className="paused" title="Rows keep their place while your pointer or focus is in the table. They re-sort when you move away.">
                Order paused while you read
              </span>
            )}
            <span className="shown-count">
              <strong data-testid="visitor-count">{`${rows.length} of ${all.length}`}</strong>{' '}
              visitors shown
            </span>
            <ColumnChooser hidden={hiddenColumns} onChange={setHiddenColumns} />
          </FilterBar>

          <section className="card table-card" aria-label="Visitors">
            {!state.ready ? (
              <div className="loading-rows" aria-busy="true" aria-label="Loading visitors">
                {Array.from({ length: 6 }, (_, i) => (
                  <div key={i} className="skeleton" />
                ))}
              </div>
            ) : rows.length === 0 ? (
              <div className="table-empty" data-testid="no-matches">
                <h2>No visitors match {filtersOn === 1 ? 'this filter' : 'these filters'}</h2>
                <p>
                  {all.length.toLocaleString('en')} visitor{all.length === 1 ? ' is' : 's are'} online. Widen the filters to see more.
                </p>
                <button type="button" className="btn" onClick={() => setView((v) => clearFilters(v))}>
                  Clear filters
                </button>
              </div>
            ) : (
              <VisitorTable
                siteId={site.id}
                rows={rows}
                now={now}
                view={deferredView}
                onSort={onSort}
                onOpen={open}
                selectedId={selectedId}
                highlight={highlight}
                attention={attention}
                hidden={hiddenColumns}
                stale={state.connection !== 'live'}
                onReadingChange={setReading}
                totalCount={all.length}
              />
            )}
          </section>
        </>
      )}

      {selected && (
        <DetailPanel
          siteId={site.id}
          visitor={selected}
          online={!!selectedLive}
          now={now}
          attention={attention.get(selected.id) ?? NOBODY}
          requestDetails={requestDetails}
          onClose={close}
        />
      )}
    </div>
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
