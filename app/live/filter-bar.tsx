'use client';
// The filter toolbar of the live table. Every control writes into the view (kept in the URL).
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { LiveVisitor, VisitorStatus } from '../../server/protocol';
import { DEVICE_TYPES, UNKNOWN_COUNTRY, activeFilterCount, chatMatches, clearFilters, facetCounts, type ViewState } from './filters';
import { DEVICE_LABEL, STATUS_LABEL, countryName, flagOf } from './format';
import { SearchIcon } from '../components/search-icon';

interface Props {
  view: ViewState;
  onChange: (next: ViewState) => void;
  visitors: readonly LiveVisitor[];
  /** Shown at the end of the first row (counts, state). */
  children?: ReactNode;
}

export function FilterBar({ view, onChange, visitors, children }: Props) {
  const set = <K extends keyof ViewState>(key: K, value: ViewState[K]) => onChange({ ...view, [key]: value });
  const sources = useMemo(() => withSelected(facetCounts(visitors, 'source'), view.source), [visitors, view.source]);
  const countries = useMemo(() => withSelected(facetCounts(visitors, 'country'), view.country), [visitors, view.country]);
  const devices = useMemo(() => new Map(facetCounts(visitors, 'device').map((d) => [d.value, d.count])), [visitors]);
  const active = activeFilterCount(view);
  const inCall = useMemo(() => visitors.reduce((n, v) => n + (v.call ? 1 : 0), 0), [visitors]);
  const chats = useMemo(
    () => visitors.reduce((n, v) => ({ unread: n.unread + (chatMatches(v, 'unread') ? 1 : 0), active: n.active + (chatMatches(v, 'active') ? 1 : 0) }), { unread: 0, active: 0 }),
    [visitors],
  );

  return (
    <div className="filters" role="search" aria-label="Filter visitors">
      <div className="toolbar">
        <div className="search">
          <SearchIcon />
          <input
            className={`input${view.q ? ' is-set' : ''}`}
            type="search"
            placeholder="Search name, email, page, source…"
            aria-label="Search visitors"
            value={view.q}
            maxLength={200}
            onChange={(e) => set('q', e.target.value)}
            data-testid="search"
          />
        </div>
        <input
          className={`input page-filter${view.page ? ' is-set' : ''}`}
          placeholder="Page contains…"
          aria-label="Current page contains"
          value={view.page}
          maxLength={200}
          onChange={(e) => set('page', e.target.value)}
          data-testid="filter-page"
        />
        <Select
          label="Status"
          value={view.status ?? ''}
          onChange={(v) => set('status', (v || null) as VisitorStatus | null)}
          testId="filter-status"
          options={[
            { value: '', label: 'Any status' },
            ...(['active', 'idle', 'hidden'] as const).map((s) => ({ value: s, label: STATUS_LABEL[s] })),
          ]}
        />
        <div className="toolbar-end">{children}</div>
      </div>
      <div className="toolbar">
        <span className="toolbar-label" aria-hidden="true">Filter</span>
        <Select
          label="Source"
          value={view.source ?? ''}
          onChange={(v) => set('source', v || null)}
          testId="filter-source"
          options={[{ value: '', label: 'Any source' }, ...sources.map((s) => ({ value: s.value, label: `${s.value} (${s.count})` }))]}
        />
        <Select
          label="Country"
          value={view.country ?? ''}
          onChange={(v) => set('country', v || null)}
          testId="filter-country"
          options={[
            { value: '', label: 'Any country' },
            ...countries.map((c) => ({
              value: c.value,
              label: c.value === UNKNOWN_COUNTRY ? `Unknown (${c.count})` : `${flagOf(c.value)} ${countryName(c.value)} (${c.count})`,
            })),
          ]}
        />
        <Select
          label="Device"
          value={view.device ?? ''}
          onChange={(v) => set('device', (v || null) as ViewState['device'])}
          testId="filter-device"
          options={[
            { value: '', label: 'Any device' },
            ...DEVICE_TYPES.filter((d) => devices.has(d) || d === view.device || d === 'desktop' || d === 'mobile' || d === 'tablet').map((d) => ({
              value: d,
              label: `${DEVICE_LABEL[d]} (${devices.get(d) ?? 0})`,
            })),
          ]}
        />
        <Select
          label="New or returning"
          value={view.visitor ?? ''}
          onChange={(v) => set('visitor', (v || null) as ViewState['visitor'])}
          testId="filter-visitor"
          options={[
            { value: '', label: 'New & returning' },
            { value: 'new', label: 'New visitors' },
            { value: 'returning', label: 'Returning visitors' },
          ]}
        />
        <Select
          label="Identified"
          value={view.identified ?? ''}
          onChange={(v) => set('identified', (v || null) as ViewState['identified'])}
          testId="filter-identified"
          options={[
            { value: '', label: 'Anyone' },
            { value: 'yes', label: 'Identified' },
            { value: 'no', label: 'Anonymous' },
          ]}
        />
        <Select
          label="In a call"
          value={view.call ?? ''}
          onChange={(v) => set('call', (v || null) as ViewState['call'])}
          testId="filter-call"
          options={[
            { value: '', label: 'Any call state' },
            { value: 'in-call', label: `In a call (${inCall})` },
            { value: 'none', label: 'Not in a call' },
          ]}
        />
        <Select
          label="Chat"
          value={view.chat ?? ''}
          onChange={(v) => set('chat', (v || null) as ViewState['chat'])}
          testId="filter-chat"
          options={[
            { value: '', label: 'Any chat state' },
            { value: 'unread', label: `Unread messages (${chats.unread})` },
            { value: 'active', label: `Chatting (${chats.active})` },
            { value: 'none', label: 'Not chatting' },
          ]}
        />
        <NumberFilter label="On site over" unit="min" value={view.timeOver} onChange={(n) => set('timeOver', n)} testId="filter-time" />
        <NumberFilter label="Pages over" unit="" value={view.pagesOver} onChange={(n) => set('pagesOver', n)} testId="filter-pages" />
        {active > 0 && (
          <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange(clearFilters(view))} data-testid="clear-filters">
            Clear filters ({active})
          </button>
        )}
      </div>
    </div>
  );
}

function withSelected(list: { value: string; count: number }[], selected: string | null) {
  return selected && !list.some((x) => x.value === selected) ? [...list, { value: selected, count: 0 }] : list;
}

function Select({
  label,
  value,
  onChange,
  options,
  testId,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  testId: string;
}) {
  return (
    <select
      className={`select${value ? ' is-set' : ''}`}
      aria-label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** "On site over [ 2 ] min": empty means no filter. Typing is local until it is a valid number. */
function NumberFilter({
  label,
  unit,
  value,
  onChange,
  testId,
}: {
  label: string;
  unit: string;
  value: number | null;
  onChange: (n: number | null) => void;
  testId: string;
}) {
  const id = useId();
  const [text, setText] = useState(value === null ? '' : String(value));
  useEffect(() => {
    setText((cur) => (parse(cur) === value ? cur : value === null ? '' : String(value)));
  }, [value]);
  return (
    <label className={`num-filter${value !== null ? ' is-set' : ''}`} htmlFor={id}>
      {label}
      <input
        id={id}
        type="number"
        min={0}
        step={1}
        inputMode="numeric"
        placeholder="–"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const n = parse(e.target.value);
          if (n !== undefined) onChange(n);
        }}
        data-testid={testId}
      />
      {unit && <span className="unit">{unit}</span>}
    </label>
  );
}

/** '' -> null (no filter); a non-negative number -> it; anything else -> undefined (ignore). */
function parse(s: string): number | null | undefined {
  if (s.trim() === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
