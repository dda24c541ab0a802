'use client';
// The live visitors page: stats, filters, the virtualized table and the visitor panel.
// The view (filters, search, sort) lives in the URL so it can be bookmarked and shared.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LiveVisitor, PresencePoint, VisitorStatus } from '../../server/protocol';
import { ColumnChooser, useHiddenColumns } from './column-chooser';
import { DetailPanel } from './detail-panel';
import { EmptyInstall } from './empty-install';
import { FilterBar } from './filter-bar';
import { activeFilterCount, clearFilters, serializeView, toggleSort, viewUsesClock, type SortKey, type ViewState } from './filters';
import { liveView, stableOrder, type LiveView } from './live-view';
import { STATUS_LABEL } from './format';
import { sparklineSeries, type Connection } from './live-store';
import { NOBODY } from './row-attention';
import { Sparkline, sparkDomainStart } from './sparkline';
import { useLiveSite, useNow } from './use-live-site';
import { VisitorTable } from './visitor-table';

/**
 * The URL follows the view once the agent stops typing for this long: each history update goes
 * through Next's router and costs tens of milliseconds, too much to spend between keystrokes.
 */
const URL_SYNC_MS = 1_000;

/** Did the view change in a field the agent types into (the URL waits for a pause then)? */
const typedChange = (a: ViewState, b: ViewState): boolean => a.q !== b.q || a.page !== b.page || a.timeOver !== b.timeOver || a.pagesOver !== b.pagesOver;

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

  // Keep the URL in step with the view without a navigation or a server round trip: at once for
  // a click (a menu, a sort, a card), once the agent stops typing for typed filters.
  const urlView = useRef(view);
  useEffect(() => {
    const prev = urlView.current;
    urlView.current = view;
    const write = () => {
      const qs = serializeView(view);
      const next = `${window.location.pathname}${qs ? `?${qs}` : ''}`;
      if (next !== `${window.location.pathname}${window.location.search}`) window.history.replaceState(null, '', next);
    };
    if (!typedChange(prev, view)) return write();
    const t = setTimeout(write, URL_SYNC_MS);
    return () => clearTimeout(t);
  }, [view]);

  // The rows and the top pages card: again when visitors change or the view does, not on the
  // clock's tick (only a time filter follows the clock). An update re-tests only the visitors it
  // changed (liveView starts from the last result, kept in a ref: any result is a valid start,
  // committed or not); a new view is one pass over everyone, cheap enough to run with the
  // keystroke that changed it, so the table answers at once.
  const visitors = state.visitors;
  const total = visitors.size;
  const viewClock = viewUsesClock(view) ? now : 0;
  const lastView = useRef<LiveView | null>(null);
  const {
    rows: sorted,
    pages: topPages,
    statuses: byStatus,
  } = useMemo(() => {
    const next = liveView(lastView.current, visitors, view, viewClock, 8);
    lastView.current = next;
    return next;
  }, [visitors, view, viewClock]);

  // Rows never jump while the user reads (pointer over or focus in the table): existing rows
  // keep their place, new ones are appended. Changing the view re-sorts at once.
  const [reading, setReading] = useState(false);
  const viewKey = serializeView(view);
  const baseline = useRef<{ key: string; rows: LiveVisitor[] } | null>(null);
  const rows = useMemo(() => {
    const b = baseline.current;
    return reading && b && b.key === viewKey ? stableOrder(b.rows.map((r) => r.id), sorted) : sorted;
  }, [reading, sorted, viewKey]);
  useLayoutEffect(() => {
    baseline.current = { key: viewKey, rows };
  }, [rows, viewKey]);
  const orderPaused = reading && rows !== sorted && rows.some((r, i) => sorted[i]?.id !== r.id);

  // The sparkline redraws when the count or the samples change, and every few seconds.
  const { history, ready, clockOffset } = state;
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

  const filtersOn = activeFilterCount(view);
  const empty = state.ready && total === 0;

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
              {state.ready ? total.toLocaleString('en') : '–'}
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
          <FilterBar view={view} onChange={setView} visitors={visitors}>
            {orderPaused && (
              <span className="paused" title="Rows keep their place while your pointer or focus is in the table. They re-sort when you move away.">
                Order paused while you read
              </span>
            )}
            <span className="shown-count">
              <strong data-testid="visitor-count">{`${rows.length} of ${total}`}</strong>{' '}
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
                  {total.toLocaleString('en')} visitor{total === 1 ? ' is' : 's are'} online. Widen the filters to see more.
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
                view={view}
                onSort={onSort}
                onOpen={open}
                selectedId={selectedId}
                marks={state.marks}
                clientNow={clientNow}
                attention={attention}
                hidden={hiddenColumns}
                stale={state.connection !== 'live'}
                onReadingChange={setReading}
                totalCount={total}
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
