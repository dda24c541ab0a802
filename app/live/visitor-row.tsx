'use client';
// One row of the live visitors table: opens the visitor on click, Enter or Space, and flashes
// when the visitor is new or has moved to another page.
//
// Rows are memoised on plain props (the visitor object, which the live store replaces only when
// that visitor changed, the highlight as two values, callbacks that never change), so an update
// re-renders the rows whose visitor changed, not every row on screen.
import type { ColumnDef, Table } from '@tanstack/react-table';
import { createElement, memo, useMemo, type CSSProperties, type KeyboardEvent } from 'react';
import type { AgentAttention, LiveVisitor } from '../../server/protocol';
import { NOBODY, RowAttention } from './row-attention';
import { cellOf, defMeta } from './visitor-columns';

export type Highlight = 'new' | 'moved' | null;

interface RowProps {
  visitor: LiveVisitor;
  /** The visible columns (the same array until the agent shows or hides one). */
  columns: readonly ColumnDef<LiveVisitor>[];
  /** The react-table instance (the same object for the table's life), for the cells' meta. */
  table: Table<LiveVisitor>;
  index: number;
  selected: boolean;
  tabbable: boolean;
  /** The row's highlight, and the client time it started (0 when none). */
  hlKind: Highlight;
  hlSince: number;
  /** Colleagues on this visitor (the same array until it changes, so the memo holds). */
  attention: readonly AgentAttention[] | undefined;
  onOpen: (id: string) => void;
  onFocusIndex: (i: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => void;
}

export const VisitorRow = memo(function VisitorRow({ visitor: v, columns, table, index, selected, tabbable, hlKind, hlSince, attention, onOpen, onFocusIndex, onKeyDown }: RowProps) {
  // New rows flash, rows whose page changed flash their page cell; the flash fades over a few
  // seconds, and a row scrolled back into view resumes it where it was (a negative delay). The
  // flash is a CSS animation of the opacity of a tinted layer under each cell's (or the page
  // cell's) content (::after in globals.css): the compositor runs it, the row is not repainted on
  // every frame, and no script runs to start it. A new page change restarts the page cell's
  // flash (a new cell, keyed by when the change arrived). The delay is fixed when the flash is
  // first drawn: recomputed on a later render, it would move the running animation.
  const delay = useMemo(() => (hlKind ? Math.min(0, hlSince - Date.now()) : 0), [hlKind, hlSince]);
  const cellProps = { row: { original: v }, table };
  return (
    <tr
      className={`vrow${hlKind === 'new' ? ' row-new' : hlKind === 'moved' ? ' row-moved' : ''}`}
      style={hlKind ? ({ '--hl-delay': `${delay}ms` } as CSSProperties) : undefined}
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
      <RowAttention.Provider value={attention ?? NOBODY}>
        {columns.map((c) => {
          const meta = defMeta(c);
          return (
            <td key={hlKind === 'moved' && c.id === 'page' ? `page@${hlSince}` : c.id} className={meta?.className} data-testid={meta?.testId}>
              {createElement(cellOf(c), cellProps)}
            </td>
          );
        })}
      </RowAttention.Provider>
    </tr>
  );
});
