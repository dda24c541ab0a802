'use client';
// The live visitors table: @tanstack/react-table for columns and headers (visitor-columns.ts),
// @tanstack/react-virtual so only the rows on screen are in the DOM (smooth with thousands of
// visitors), and keyboard navigation between rows. Rows arrive already filtered, sorted and
// order-stabilized (filters.ts); this component only draws them. react-table gives the columns
// and headers; rows are drawn straight from the visitors (visitor-row.tsx), so a row whose
// visitor did not change is not re-rendered by an update.
import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import type { AttentionMap } from './attention';
import type { SortKey, ViewState } from './view-state';
import { rowHighlight, type RowMark } from './live-store';
import { TableNow, type TableMeta } from './visitor-cells';
import { COLUMNS, tableMinWidth } from './visitor-columns';
import { VisitorRow } from './visitor-row';
import { ColGroup, TableHead } from './visitor-table-head';

const ROW_H = 52;
const NO_ROWS: LiveVisitor[] = [];
const HEAD_H = 38;

interface Props {
  siteId: string;
  rows: LiveVisitor[];
  /** Server time, for durations. */
  now: number;
  view: ViewState;
  onSort: (key: SortKey) => void;
  onOpen: (id: string) => void;
  selectedId: string | null;
  /** When rows arrived or changed page (client clock), for their highlight. */
  marks: ReadonlyMap<string, RowMark>;
  /** Client time now, for the highlights. */
  clientNow: number;
  /** Colleagues on each visitor, by visitor id. */
  attention: AttentionMap;
  /** Columns the agent chose to hide (column-chooser.tsx). */
  hidden: ReadonlySet<string>;
  stale: boolean;
  /** The user is reading: the parent freezes row order while this is true. */
  onReadingChange: (reading: boolean) => void;
  totalCount: number;
}

export function VisitorTable({ siteId, rows, now, view, onSort, onOpen, selectedId, marks, clientNow, attention, hidden, stale, onReadingChange, totalCount }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [pointerOver, setPointerOver] = useState(false);
  const [focusWithin, setFocusWithin] = useState(false);
  const reading = pointerOver || focusWithin;
  useEffect(() => onReadingChange(reading), [reading, onReadingChange]);
  const pendingFocus = useRef<number | null>(null);

  // The virtualizer decides which rows are on screen; only those are rendered, so an update
  // costs the same with 50 or 10,000 visitors. Its item keys read the latest rows through a ref:
  // a new key function on every update would make it rebuild its measurements of every row.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const getItemKey = useCallback((i: number) => rowsRef.current[i]?.id ?? i, []);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 3, // rows drawn beyond each edge: enough for smooth scrolling, few to redraw on a keystroke
    paddingStart: HEAD_H,
    scrollPaddingStart: HEAD_H,
    getItemKey,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - HEAD_H : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const offset = first?.index ?? 0;

  const columnVisibility = useMemo(() => Object.fromEntries([...hidden].map((id) => [id, false])), [hidden]);
  const table = useReactTable<LiveVisitor>({
    data: NO_ROWS,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (v) => v.id,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting: [{ id: view.sort, desc: view.dir === 'desc' }], columnVisibility },
    meta: { siteId } satisfies TableMeta,
  });
  const columns = useMemo(() => COLUMNS.filter((c) => !(c.id && hidden.has(c.id))), [hidden]);

  // One row is in the Tab order (roving tabindex): the last focused one, or the first rendered
  // one when that row has been scrolled out of the DOM or the list shrank.
  const lastIndex = last?.index ?? -1;
  const activeIndex = focusIndex >= offset && focusIndex <= lastIndex ? focusIndex : offset;

  const focusRow = useCallback(
    (i: number) => {
      const idx = Math.max(0, Math.min(i, rows.length - 1));
      setFocusIndex(idx);
      pendingFocus.current = idx;
      virtualizer.scrollToIndex(idx, { align: 'auto' });
    },
    [rows.length, virtualizer],
  );

  // Focus the row once it is rendered (it may have been virtualized away).
  useEffect(() => {
    if (pendingFocus.current === null) return;
    const idx = pendingFocus.current;
    const el = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${idx}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });

  // The same function for the table's life (rows are memoised on it); it reads the latest rows.
  const keyState = useRef({ count: rows.length, focusRow, onOpen });
  keyState.current = { count: rows.length, focusRow, onOpen };
  const onKeyDown = useCallback((e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    const k = keyState.current;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: k.count - 1 };
    if (e.key in moves) {
      e.preventDefault();
      k.focusRow(moves[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      k.onOpen(id);
    }
  }, []);

  const headers = table.getHeaderGroups()[0]?.headers ?? [];

  return (
    <div
      className="table-scroll"
      ref={scrollRef}
      onPointerEnter={() => setPointerOver(true)}
      onPointerLeave={() => setPointerOver(false)}
      onFocus={() => setFocusWithin(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusWithin(false);
      }}
    >
      <table className={`vt${stale ? ' stale' : ''}`} style={{ minWidth: tableMinWidth(hidden) }} aria-rowcount={rows.length + 1} aria-label={`Live visitors, ${rows.length} of ${totalCount} shown`}>
        <ColGroup headers={headers} />
        <TableHead headers={headers} onSort={onSort} />
        <tbody>
          {padTop > 0 && (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={headers.length} style={{ height: padTop }} />
            </tr>
          )}
          <TableNow.Provider value={now}>
            {items.map((item) => {
              const v = rows[item.index];
              if (!v) return null;
              const hl = rowHighlight(marks, v.id, clientNow);
              return (
                <VisitorRow
                  key={v.id}
                  visitor={v}
                  columns={columns}
                  table={table}
                  index={item.index}
                  selected={v.id === selectedId}
                  tabbable={item.index === activeIndex}
                  hlKind={hl.kind}
                  hlSince={hl.since}
                  attention={attention.get(v.id)}
                  onOpen={onOpen}
                  onFocusIndex={setFocusIndex}
                  onKeyDown={onKeyDown}
                />
              );
            })}
          </TableNow.Provider>
          {padBottom > 0 && (
            <tr className="spacer" aria-hidden="true">
              <td colSpan={headers.length} style={{ height: padBottom }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
