'use client';
// The live visitors page: stats, filters, the virtualized table and the visitor panel.
// The view (filters, search, sort) lives in the URL so it can be bookmarked and shared.
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { ColumnChooser, useHiddenColumns } from './column-chooser';
import { DetailPanel } from './detail-panel';
import { EmptyInstall } from './empty-install';
import { FilterBar } from './filter-bar';
import { liveView, stableOrder, type LiveView } from './live-view';
import { OnlineCard } from './online-card';
import { NOBODY } from './row-attention';
import { StatusCard } from './status-card';
import { TopPagesCard } from './top-pages-card';
import { useLiveSite, useNow } from './use-live-site';
import { useViewUrl } from './use-view-url';
import { activeFilterCount, clearFilters, toggleSort, type SortKey, type ViewState } from './view-state';
import { serializeView } from './view-url';
import { viewUsesClock } from './visitor-filter';
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

  useViewUrl(view);

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
        <OnlineCard
          connection={state.connection}
          ready={state.ready}
          total={total}
          history={state.history}
          clockOffset={state.clockOffset}
          clientNow={clientNow}
        />
        <StatusCard byStatus={byStatus} status={view.status} setView={setView} />
        <TopPagesCard pages={topPages} page={view.page} ready={state.ready} total={total} setView={setView} />
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
