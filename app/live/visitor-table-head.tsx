'use client';
// The head of the live visitors table: column widths, and a sort button per sortable column
// (the order itself is applied upstream, in filters.ts).
import { flexRender, type Header } from '@tanstack/react-table';
import type { LiveVisitor } from '../../server/protocol';
import type { SortKey } from './view-state';
import { columnMeta } from './visitor-columns';

interface Props {
  headers: Header<LiveVisitor, unknown>[];
  onSort: (key: SortKey) => void;
}

export function ColGroup({ headers }: Pick<Props, 'headers'>) {
  return (
    <colgroup>
      {headers.map((h) => {
        const w = columnMeta(h.column)?.width;
        return <col key={h.id} style={w ? { width: w } : undefined} />;
      })}
    </colgroup>
  );
}

export function TableHead({ headers, onSort }: Props) {
  return (
    <thead>
      <tr aria-rowindex={1}>
        {headers.map((h) => {
          if (columnMeta(h.column)?.sortable === false) {
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
  );
}

function SortIcon({ dir }: { dir: 'asc' | 'desc' | null }) {
  return (
    <svg className="sort-icon" width="10" height="12" viewBox="0 0 10 12" aria-hidden="true">
      <path d="M5 1.5 8 5H2z" fill="currentColor" opacity={dir === 'desc' ? 0.3 : 1} />
      <path d="M5 10.5 2 7h6z" fill="currentColor" opacity={dir === 'asc' ? 0.3 : 1} />
    </svg>
  );
}
