'use client';
// One row of the live visitors table: opens the visitor on click, Enter or Space, and flashes
// when the visitor is new or has moved to another page.
import { flexRender, type Row } from '@tanstack/react-table';
import { memo, useEffect, useRef, type KeyboardEvent } from 'react';
import type { AgentAttention, LiveVisitor } from '../../server/protocol';
import { HIGHLIGHT_MS } from './live-store';
import { NOBODY, RowAttention } from './row-attention';
import { columnMeta } from './visitor-columns';

export type Highlight = 'new' | 'moved' | null;

interface RowProps {
  row: Row<LiveVisitor>;
  index: number;
  now: number;
  selected: boolean;
  tabbable: boolean;
  hl: { kind: Highlight; since: number };
  /** Colleagues on this visitor (the same array until it changes, so the memo holds). */
  attention: readonly AgentAttention[] | undefined;
  onOpen: (id: string) => void;
  onFocusIndex: (i: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>, index: number, id: string) => void;
}

const HIGHLIGHT_FROM = '#ffefd9';

export const VisitorRow = memo(function VisitorRow({ row, index, selected, tabbable, hl, attention, onOpen, onFocusIndex, onKeyDown }: RowProps) {
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
      <RowAttention.Provider value={attention ?? NOBODY}>
        {row.getVisibleCells().map((cell) => {
          const meta = columnMeta(cell.column);
          return (
            <td key={cell.id} className={meta?.className} data-testid={meta?.testId}>
              {flexRender(cell.column.columnDef.cell, cell.getContext())}
            </td>
          );
        })}
      </RowAttention.Provider>
    </tr>
  );
});
