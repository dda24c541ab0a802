'use client';
// The live visitors table: @tanstack/react-table for columns and headers, @tanstack/react-virtual
// so only the rows on screen are in the DOM (smooth with thousands of visitors). Rows arrive
// already filtered, sorted and order-stabilized (filters.ts); this component only draws them.
// Every visitor-supplied string is rendered as React text.
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type Row } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { RowCallButton, visitorLabel } from '../call/call-buttons';
import { RowChatButton } from '../chat/chat-buttons';
import { chatStateOf } from '../chat/inbox';
import type { SortKey, ViewState } from './filters';
import { HIGHLIGHT_MS } from './live-store';
import { DEVICE_LABEL, STATUS_LABEL, clip, countryName, deviceSummary, flagOf, formatDuration, hostOf, ordinal, safeHref } from './format';

const ROW_H = 52;
const HEAD_H = 38;

interface ColumnMeta {
  width?: number;
  testId?: string;
  className?: string;
  /** False for columns without a sort order (the call column). */
  sortable?: boolean;
}

interface TableMeta {
  now: number;
  siteId: string;
}

const col = (meta: ColumnMeta) => ({ meta }) as { meta: ColumnMeta };

function TwoLine({ main, sub, title }: { main: ReactNode; sub?: ReactNode; title?: string }) {
  return (
    <div className="two-line" title={title}>
      <span className="main">{main}</span>
      {sub !== undefined && sub !== '' && <span className="sub">{sub}</span>}
    </div>
  );
}

export const COLUMNS: ColumnDef<LiveVisitor>[] = [
  {
    id: 'status',
    header: 'Status',
    ...col({ width: 118, testId: 'row-status' }),
    cell: ({ row }) => {
      const v = row.original;
      return (
        <TwoLine
          main={
            <span className={`status status-${v.status}`}>
              <span className={`dot dot-${v.status}`} aria-hidden="true" />
              {STATUS_LABEL[v.status]}
            </span>
          }
          sub={v.tabs > 1 ? `${v.tabs} tabs` : undefined}
        />
      );
    },
  },
  {
    id: 'page',
    header: 'Current page',
    ...col({ testId: 'row-page', className: 'cell-page' }),
    cell: ({ row }) => {
      const v = row.original;
      const href = safeHref(v.page.url);
      const title = clip(v.page.title.trim() || v.page.path, 200);
      return (
        <div className="two-line" title={`${v.page.title}\n${v.page.url}`}>
          <span className="page-line">
            <span className="main">{title}</span>
            {href && (
              <a
                className="ext"
                href={href}
                target="_blank"
                rel="noopener noreferrer"
                onClick={(e) => e.stopPropagation()}
                tabIndex={-1}
                aria-label="Open this page in a new tab"
              >
                <svg width="12" height="12" viewBox="0 0 12 12" fill="none" aria-hidden="true">
                  <path d="M4.5 2.5H2.5v7h7v-2M7 2.5h2.5V5M9.5 2.5 5.5 6.5" stroke="currentColor" strokeWidth="1.3" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
              </a>
            )}
          </span>
          <span className="sub">{clip(v.page.path, 200)}</span>
        </div>
      );
    },
  },
  {
    id: 'pages',
    header: 'Pages',
    ...col({ width: 68, className: 'num' }),
    cell: ({ row }) => row.original.pagesViewed,
  },
  {
    id: 'time',
    header: 'On site',
    ...col({ width: 92, className: 'num' }),
    cell: ({ row, table }) => formatDuration((table.options.meta as TableMeta).now - row.original.visitStartedAt),
  },
  {
    id: 'source',
    header: 'Source',
    ...col({ width: 150 }),
    cell: ({ row }) => {
      const v = row.original;
      const sub = v.utm.campaign ? `campaign: ${v.utm.campaign}` : v.utm.medium ? v.utm.medium : v.referrer ? hostOf(v.referrer) : '';
      return <TwoLine main={clip(v.source, 80)} sub={sub && sub !== v.source ? clip(sub, 80) : undefined} title={v.referrer || v.source} />;
    },
  },
  {
    id: 'country',
    header: 'Country',
    ...col({ width: 88 }),
    cell: ({ row }) => {
      const c = row.original.country;
      if (!c) return <span className="anon">Unknown</span>;
      return (
        <span title={countryName(c)}>
          <span className="flag" aria-hidden="true">
            {flagOf(c)}
          </span>
          {c.toUpperCase()}
        </span>
      );
    },
  },
  {
    id: 'device',
    header: 'Device',
    ...col({ width: 164 }),
    cell: ({ row }) => {
      const d = row.original.device;
      return <TwoLine main={DEVICE_LABEL[d.type] ?? d.type} sub={deviceSummary(d)} title={`${DEVICE_LABEL[d.type] ?? d.type}\n${deviceSummary(d)}`} />;
    },
  },
  {
    id: 'visitor',
    header: 'Visitor',
    ...col({ width: 112 }),
    cell: ({ row }) => {
      const n = row.original.visitCount;
      return n > 1 ? (
        <TwoLine main={<span className="badge badge-returning">Returning</span>} sub={`${ordinal(n)} visit`} />
      ) : (
        <span className="badge badge-new">New</span>
      );
    },
  },
  {
    id: 'identity',
    header: 'Who',
    ...col({ width: 170 }),
    cell: ({ row }) => {
      const { name, email } = row.original.identity;
      const n = name?.trim();
      const e = email?.trim();
      if (!n && !e) return <span className="anon">Anonymous</span>;
      return <TwoLine main={clip(n || e || '', 80)} sub={n && e ? clip(e, 80) : undefined} title={[n, e].filter(Boolean).join('\n')} />;
    },
  },
  {
    id: 'call',
    header: 'Call & chat',
    ...col({ width: 236, testId: 'row-call', className: 'cell-call', sortable: false }),
    cell: ({ row, table }) => {
      const v = row.original;
      const siteId = (table.options.meta as TableMeta).siteId;
      const agent = v.call ? clip(v.call.agentName, 40) : '';
      const chat = chatStateOf(v.chat);
      return (
        <div className="call-cell">
          <div className="engage-state">
            {v.call && (
              <span
                className={`call-tag call-tag-${v.call.phase}`}
                title={v.call.phase === 'ringing' ? `${v.call.agentName} is calling this visitor` : `In a call with ${v.call.agentName}`}
              >
                {v.call.phase === 'ringing' ? `Ringing · ${agent}` : `In call · ${agent}`}
              </span>
            )}
            {chat && (
              <span className="chat-state" data-testid="row-chat" title={chat.text}>
                <span className={`chat-tag chat-tag-${chat.tone}`}>{chat.tag}</span>
                {chat.sub && !v.call && <span className="sub"> {chat.sub}</span>}
              </span>
            )}
          </div>
          <span className="row-actions">
            <RowChatButton siteId={siteId} visitor={v} label={visitorLabel(v)} />
            <RowCallButton siteId={siteId} visitor={v} />
          </span>
        </div>
      );
    },
  },
];

export type Highlight = 'new' | 'moved' | null;

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
  stale: boolean;
  /** The user is reading: the parent freezes row order while this is true. */
  onReadingChange: (reading: boolean) => void;
  totalCount: number;
}

export function VisitorTable({ siteId, rows, now, view, onSort, onOpen, selectedId, highlight, stale, onReadingChange, totalCount }: Props) {
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
    state: { sorting: [{ id: view.sort, desc: view.dir === 'desc' }] },
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
      <table className={`vt${stale ? ' stale' : ''}`} aria-rowcount={rows.length + 1} aria-label={`Live visitors, ${rows.length} of ${totalCount} shown`}>
        <colgroup>
          {headers.map((h) => {
            const w = (h.column.columnDef.meta as ColumnMeta | undefined)?.width;
            return <col key={h.id} style={w ? { width: w } : undefined} />;
          })}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {headers.map((h) => {
              if ((h.column.columnDef.meta as ColumnMeta | undefined)?.sortable === false) {
                return (
                  <th key={h.id} scope="col" className="th-plain">
                    {flexRender(h.column.columnDef.header, h.getContext())}
                  </th>
                );
              }
              const key = h.column.id as SortKey;
              const sorted = h.column.getIsSorted();
              return (
                <th key={h.id} scope="col" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
                  <button type="button" onClick={() => onSort(key)} data-testid={`sort-${key}`}>
                    {flexRender(h.column.columnDef.header, h.getContext())}
                    <SortIcon dir={sorted || null} />
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
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

interface RowProps {
  row: Row<LiveVisitor>;
  index: number;
  now: number;
  selected: boolean;
  tabbable: boolean;
  hl: { kind: Highlight; since: number };
  onOpen: (id: string) => void;
  onFocusIndex: (i: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => void;
}

const HIGHLIGHT_FROM = '#ffefd9';

const VisitorRow = memo(function VisitorRow({ row, index, selected, tabbable, hl, onOpen, onFocusIndex, onKeyDown }: RowProps) {
  const v = row.original;
  const ref = useRef<HTMLTableRowElement>(null);
  // New rows flash, rows whose page changed flash their page cell; the flash fades over a few
  // seconds, and a row scrolled back into view resumes it where it was.
  useEffect(() => {
    const el = ref.current;
    if (!hl.kind || !el || typeof el.animate !== 'function') return;
    const elapsed = Date.now() - hl.since;
    if (elapsed >= HIGHLIGHT_MS) return;
    const cells = el.querySelectorAll<HTMLElement>(hl.kind === 'new' ? 'td' : 'td.cell-page');
    const anims = [...cells].map((td) =>
      td.animate([{ backgroundColor: HIGHLIGHT_FROM }, { backgroundColor: 'rgba(255, 239, 217, 0)' }], {
        duration: HIGHLIGHT_MS,
        delay: -elapsed,
        easing: 'ease-in',
      }),
    );
    return () => anims.forEach((a) => a.cancel());
  }, [hl.kind, hl.since]);
  return (
    <tr
      ref={ref}
      className={`vrow${hl.kind === 'new' ? ' row-new' : hl.kind === 'moved' ? ' row-moved' : ''}`}
      data-index={index}
      data-testid="visitor-row"
      data-visitor-id={v.id}
      aria-rowindex={index + 2}
      aria-selected={selected}
      tabIndex={tabbable ? 0 : -1}
      onClick={() => {
        onFocusIndex(index);
        onOpen(v.id);
      }}
      onFocus={() => onFocusIndex(index)}
      onKeyDown={(e) => onKeyDown(e, index, v.id)}
    >
      {row.getVisibleCells().map((cell) => {
        const meta = cell.column.columnDef.meta as ColumnMeta | undefined;
        return (
          <td key={cell.id} className={meta?.className} data-testid={meta?.testId}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </td>
        );
      })}
    </tr>
  );
});

function SortIcon({ dir }: { dir: 'asc' | 'desc' | null }) {
  return (
    <svg className="sort-icon" width="10" height="12" viewBox="0 0 10 12" aria-hidden="true">
      <path d="M5 1.5 8 5H2z" fill="currentColor" opacity={dir === 'desc' ? 0.3 : 1} />
      <path d="M5 10.5 2 7h6z" fill="currentColor" opacity={dir === 'asc' ? 0.3 : 1} />
    </svg>
  );
}
