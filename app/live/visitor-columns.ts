// The columns of the live visitors table: ids (the sort keys of filters.ts), headers, widths and
// the attributes of their cells. Cells are drawn by visitor-cells.tsx.
import type { Column, ColumnDef } from '@tanstack/react-table';
import type { LiveVisitor } from '../../server/protocol';
import type { ComponentType, ReactNode } from 'react';
import { CountryCell, DeviceCell, EngageCell, IdentityCell, OnSiteCell, PageCell, PagesCell, ReturningCell, SourceCell, StatusCell, type CellProps } from './visitor-cells';

export interface ColumnMeta {
  width?: number;
  testId?: string;
  className?: string;
  /** False for columns without a sort order (the call column). */
  sortable?: boolean;
  /** For the one column without a fixed width: the least it gets (the table scrolls sideways below it). */
  minWidth?: number;
}

/** Page titles stay readable: the table scrolls sideways rather than squeeze them below this. */
const PAGE_MIN_WIDTH = 260;

const col = (meta: ColumnMeta) => ({ meta }) as { meta: ColumnMeta };

export function columnMeta(column: Column<LiveVisitor>): ColumnMeta | undefined {
  return column.columnDef.meta as ColumnMeta | undefined;
}

/** A column definition's meta (columnMeta for a column of the react-table instance). */
export const defMeta = (def: ColumnDef<LiveVisitor>): ColumnMeta | undefined => def.meta as ColumnMeta | undefined;

/** The component that draws a column's cells (every column's `cell` is one of visitor-cells.tsx). */
export const cellOf = (def: ColumnDef<LiveVisitor>): ComponentType<CellProps> => def.cell as (p: CellProps) => ReactNode;

export const COLUMNS: ColumnDef<LiveVisitor>[] = [
  { id: 'status', header: 'Status', ...col({ width: 118, testId: 'row-status' }), cell: StatusCell },
  { id: 'page', header: 'Current page', ...col({ testId: 'row-page', className: 'cell-page', minWidth: PAGE_MIN_WIDTH }), cell: PageCell },
  { id: 'pages', header: 'Pages', ...col({ width: 68, className: 'num' }), cell: PagesCell },
  { id: 'time', header: 'On site', ...col({ width: 92, className: 'num' }), cell: OnSiteCell },
  { id: 'source', header: 'Source', ...col({ width: 150 }), cell: SourceCell },
  { id: 'country', header: 'Country', ...col({ width: 104 }), cell: CountryCell },
  { id: 'device', header: 'Device', ...col({ width: 164 }), cell: DeviceCell },
  { id: 'visitor', header: 'Visitor', ...col({ width: 112 }), cell: ReturningCell },
  { id: 'identity', header: 'Who', ...col({ width: 170 }), cell: IdentityCell },
  { id: 'call', header: 'Call & chat', ...col({ width: 236, testId: 'row-call', className: 'cell-call', sortable: false }), cell: EngageCell },
];

/** Columns an agent may hide (the column chooser); the others always show. */
export const HIDEABLE: ReadonlySet<string> = new Set(['pages', 'time', 'source', 'country', 'device', 'visitor', 'identity']);

export const columnLabel = (c: ColumnDef<LiveVisitor>): string => (typeof c.header === 'string' ? c.header : (c.id ?? ''));

/** The table's least width with these columns hidden: fixed widths plus the page column's minimum. */
export function tableMinWidth(hidden: ReadonlySet<string>): number {
  return COLUMNS.reduce((sum, c) => {
    if (c.id && hidden.has(c.id)) return sum;
    const meta = c.meta as ColumnMeta | undefined;
    return sum + (meta?.width ?? meta?.minWidth ?? 0);
  }, 0);
}
