// The columns of the live visitors table: ids (the sort keys of filters.ts), headers, widths and
// the attributes of their cells. Cells are drawn by visitor-cells.tsx.
import type { Column, ColumnDef } from '@tanstack/react-table';
import type { LiveVisitor } from '../../server/protocol';
import { CountryCell, DeviceCell, EngageCell, IdentityCell, OnSiteCell, PageCell, ReturningCell, SourceCell, StatusCell } from './visitor-cells';

export interface ColumnMeta {
  width?: number;
  testId?: string;
  className?: string;
  /** False for columns without a sort order (the call column). */
  sortable?: boolean;
}

const col = (meta: ColumnMeta) => ({ meta }) as { meta: ColumnMeta };

export function columnMeta(column: Column<LiveVisitor>): ColumnMeta | undefined {
  return column.columnDef.meta as ColumnMeta | undefined;
}

export const COLUMNS: ColumnDef<LiveVisitor>[] = [
  { id: 'status', header: 'Status', ...col({ width: 118, testId: 'row-status' }), cell: StatusCell },
  { id: 'page', header: 'Current page', ...col({ testId: 'row-page', className: 'cell-page' }), cell: PageCell },
  { id: 'pages', header: 'Pages', ...col({ width: 68, className: 'num' }), cell: ({ row }) => row.original.pagesViewed },
  { id: 'time', header: 'On site', ...col({ width: 92, className: 'num' }), cell: OnSiteCell },
  { id: 'source', header: 'Source', ...col({ width: 150 }), cell: SourceCell },
  { id: 'country', header: 'Country', ...col({ width: 88 }), cell: CountryCell },
  { id: 'device', header: 'Device', ...col({ width: 164 }), cell: DeviceCell },
  { id: 'visitor', header: 'Visitor', ...col({ width: 112 }), cell: ReturningCell },
  { id: 'identity', header: 'Who', ...col({ width: 170 }), cell: IdentityCell },
  { id: 'call', header: 'Call & chat', ...col({ width: 236, testId: 'row-call', className: 'cell-call', sortable: false }), cell: EngageCell },
];
