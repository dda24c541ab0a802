'use client';
// The cells of the live visitors table, one component per column (react-table renders each as a
// component with its CellContext). Every visitor-supplied string is rendered as React text.
import type { Table } from '@tanstack/react-table';
import { createContext, useContext, type ReactNode } from 'react';
import type { LiveVisitor } from '../../server/protocol';
import { RowCallButton, visitorLabel } from '../call/call-buttons';
import { RowChatButton } from '../chat/chat-buttons';
import { chatStateOf } from '../chat/inbox';
import { AttentionFaces } from './attention-faces';
import { DEVICE_LABEL, STATUS_LABEL, clip, countryName, deviceSummary, flagOf, formatDuration, hostOf, ordinal, safeHref } from './format';
import { RowAttention } from './row-attention';
import { displayText } from '../../server/text/display-text';

/** What cells read from the table rather than from their row. */
export interface TableMeta {
  siteId: string;
}

/**
 * What a cell is drawn from: its visitor and the table (a subset of react-table's CellContext;
 * rows are drawn by visitor-row.tsx, not through react-table's row model).
 */
export interface CellProps {
  row: { original: LiveVisitor };
  table: Table<LiveVisitor>;
}

type Cell = CellProps;

/**
 * Server time now, for the "on site" durations. A context, so the clock's tick re-renders only
 * the cells that show it, not every row.
 */
export const TableNow = createContext(0);

const metaOf = (table: Table<LiveVisitor>) => table.options.meta as TableMeta;

function TwoLine({ main, sub, title }: { main: ReactNode; sub?: ReactNode; title?: string }) {
  return (
    <div className="two-line" title={title}>
      <span className="main">{main}</span>
      {sub !== undefined && sub !== '' && <span className="sub">{sub}</span>}
    </div>
  );
}

export function StatusCell({ row }: Cell) {
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
}

export function PageCell({ row }: Cell) {
  const v = row.original;
  const href = safeHref(v.page.url);
  const title = clip(v.page.title.trim() || v.page.path, 200);
  return (
    <div className="two-line" title={`${displayText(v.page.title)}\n${v.page.url}`}>
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
}

export function OnSiteCell({ row }: Cell) {
  return formatDuration(useContext(TableNow) - row.original.visitStartedAt);
}

export function PagesCell({ row }: Cell) {
  return row.original.pagesViewed;
}

export function SourceCell({ row }: Cell) {
  const v = row.original;
  const sub = v.utm.campaign ? `campaign: ${v.utm.campaign}` : v.utm.medium ? v.utm.medium : v.referrer ? hostOf(v.referrer) : '';
  return <TwoLine main={clip(v.source, 80)} sub={sub && sub !== v.source ? clip(sub, 80) : undefined} title={v.referrer || v.source} />;
}

export function CountryCell({ row }: Cell) {
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
}

export function DeviceCell({ row }: Cell) {
  const d = row.original.device;
  return <TwoLine main={DEVICE_LABEL[d.type] ?? d.type} sub={deviceSummary(d)} title={`${DEVICE_LABEL[d.type] ?? d.type}\n${deviceSummary(d)}`} />;
}

export function ReturningCell({ row }: Cell) {
  const n = row.original.visitCount;
  return n > 1 ? <TwoLine main={<span className="badge badge-returning">Returning</span>} sub={`${ordinal(n)} visit`} /> : <span className="badge badge-new">New</span>;
}

export function IdentityCell({ row }: Cell) {
  const { name, email } = row.original.identity;
  const n = name?.trim();
  const e = email?.trim();
  if (!n && !e) return <span className="anon">Anonymous</span>;
  return <TwoLine main={clip(n || e || '', 80)} sub={n && e ? clip(e, 80) : undefined} title={[n, e].filter(Boolean).join('\n')} />;
}

/** The visitor's call and chat state, and the buttons to start either. */
export function EngageCell({ row, table }: Cell) {
  const v = row.original;
  const siteId = metaOf(table).siteId;
  const agent = v.call ? clip(v.call.agentName, 40) : '';
  const chat = chatStateOf(v.chat);
  const colleagues = useContext(RowAttention);
  return (
    <div className="call-cell">
      <div className="engage-state">
        <AttentionFaces agents={colleagues} />
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
}
