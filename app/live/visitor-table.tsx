'use client';
// The live visitors table: @tanstack/react-table for columns and headers (visitor-columns.ts),
// @tanstack/react-virtual so only the rows on screen are in the DOM (smooth with thousands of
// visitors), and keyboard navigation between rows. Rows arrive already filtered, sorted and
// order-stabilized (filters.ts); this component only draws them.
import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import type { AttentionMap } from './attention';
import type { SortKey, ViewState } from './filters';
import type { TableMeta } from './visitor-cells';
import { COLUMNS, tableMinWidth } from './visitor-columns';
import { VisitorRow, type Highlight } from './visitor-row';
import { ColGroup, TableHead } from './visitor-table-head';

const ROW_H = 52;
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
  /** Highlight of a row and, when highlighted, the client time it started. */
  highlight: (id: string) => { kind: Highlight; since: number };
  /** Colleagues on each visitor, by visitor id. */
  attention: AttentionMap;
  /** Columns the agent chose to hide (column-chooser.tsx). */
  hidden: ReadonlySet<string>;
  stale: boolean;
  /** The user is reading: the parent freezes row order while this is true. */
  onReadingChange: (reading: boolean) => void;
  totalCount: number;
}

export function VisitorTable({ siteId, rows, now, view, onSort, onOpen, selectedId, highlight, attention, hidden, stale, onReadingChange, totalCount }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [pointerOver, setPointerOver] = useState(false);
  const [focusWithin, setFocusWithin] = useState(false);
  const reading = pointerOver || focusWithin;
  useEffect(() => onReadingChange(reading), [reading, onReadingChange]);
  const pendingFocus = useRef<number | null>(null);

  // The virtualizer decides which rows are on screen; only those go through react-table, so an
  // update costs the same with 50 or 10,000 visitors.
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 10,
    paddingStart: HEAD_H,
    scrollPaddingStart: HEAD_H,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start - HEAD_H : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const offset = first?.index ?? 0;
  const windowRows = useMemo(() => rows.slice(offset, (last?.index ?? -1) + 1), [rows, offset, last?.index]);

  const table = useReactTable<LiveVisitor>({
    data: windowRows,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (v) => v.id,
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting: [{ id: view.sort, desc: view.dir === 'desc' }], columnVisibility: Object.fromEntries([...hidden].map((id) => [id, false])) },
    meta: { now, siteId } satisfies TableMeta,
  });
  const tableRows = table.getRowModel().rows;

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

  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_H) - 1);
    const moves: Record<string, number> = { ArrowDown: index + 1, ArrowUp: index - 1, PageDown: index + page, PageUp: index - page, Home: 0, End: rows.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      focusRow(moves[e.key]!);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen(id);
    }
  };

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
          {items.map((item) => {
            const row = tableRows[item.index - offset];
            if (!row) return null;
            return (
              <VisitorRow
                key={row.id}
                row={row}
                index={item.index}
                now={now}
                selected={row.id === selectedId}
                tabbable={item.index === activeIndex}
                hl={highlight(row.id)}
                attention={attention.get(row.id)}
                onOpen={onOpen}
                onFocusIndex={setFocusIndex}
                onKeyDown={onKeyDown}
              />
            );
          })}
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
