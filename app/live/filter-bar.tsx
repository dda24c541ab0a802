'use client';
// The filter toolbar of the live table. Every control writes into the view (kept in the URL).
import { memo, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { LiveVisitor, VisitorStatus } from '../../server/protocol';
import { DEVICE_TYPES, UNKNOWN_COUNTRY, activeFilterCount, clearFilters, type ViewState } from './view-state';
import { facetSummary, type FacetSummary } from './view-counts';
import { DEVICE_LABEL, STATUS_LABEL, countryName, flagOf } from './format';
import { SearchIcon } from '../components/search-icon';

interface Props {
  view: ViewState;
  /** A new view, or a change to the current one (setView). */
  onChange: (next: ViewState | ((v: ViewState) => ViewState)) => void;
  visitors: ReadonlyMap<string, LiveVisitor>;
  /** Shown at the end of the first row (counts, state). */
  children?: ReactNode;
}

/** The counts in the filter menus follow the visitors at most this often (they cost a pass over all of them). */
const FACETS_EVERY_MS = 1_000;

export function FilterBar({ view, onChange, visitors, children }: Props) {
  const set = <K extends keyof ViewState>(key: K, value: ViewState[K]) => onChange({ ...view, [key]: value });
  const facets = useFacets(visitors, FACETS_EVERY_MS);

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
      <FacetFilters view={view} active={activeFilterCount(view)} onChange={onChange} facets={facets} />
    </div>
  );
}

/**
 * The filter menus' counts, recomputed when the visitors change but at most once per `everyMs`
 * (the first change after a quiet spell at once, the last one of a burst always).
 */
function useFacets(visitors: ReadonlyMap<string, LiveVisitor>, everyMs: number): FacetSummary {
  const [facets, setFacets] = useState(() => ({ of: visitors, summary: facetSummary(visitors.values()), at: 0 }));
  const latest = useRef(visitors);
  latest.current = visitors;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (facets.of === visitors || timer.current) return;
    const refresh = () => {
      timer.current = null;
      const of = latest.current;
      setFacets({ of, summary: facetSummary(of.values()), at: Date.now() });
    };
    const wait = facets.at + everyMs - Date.now();
    if (wait <= 0) refresh();
    else timer.current = setTimeout(refresh, wait);
  }, [visitors, facets, everyMs]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
  return facets.summary;
}

interface FacetProps {
  view: ViewState;
  /** How many filters are on (search and page included), for "Clear filters (n)". */
  active: number;
  onChange: Props['onChange'];
  facets: FacetSummary;
}

/** The view fields the second row shows (the search and page text are in the first row). */
const FACET_FIELDS = ['source', 'country', 'device', 'visitor', 'identified', 'call', 'chat', 'timeOver', 'pagesOver'] as const;

const sameFacetProps = (a: FacetProps, b: FacetProps): boolean =>
  a.active === b.active && a.onChange === b.onChange && a.facets === b.facets && FACET_FIELDS.every((k) => a.view[k] === b.view[k]);

/**
 * The second row: menus with counts. Re-rendered when its filters or the counts change, not on
 * every update nor on every keystroke in the search box; it changes the view with updaters, so
 * it never writes back a stale search.
 */
const FacetFilters = memo(function FacetFilters({ view, active, onChange, facets }: FacetProps) {
  const set = <K extends keyof ViewState>(key: K, value: ViewState[K]) => onChange((v) => ({ ...v, [key]: value }));
  const sources = useMemo(() => withSelected(facets.source, view.source), [facets, view.source]);
  const countries = useMemo(() => withSelected(facets.country, view.country), [facets, view.country]);
  const devices = useMemo(() => new Map(facets.device.map((d) => [d.value, d.count])), [facets]);
  const { inCall } = facets;
  const chats = { unread: facets.unread, active: facets.chatting };
  return (
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
        <button type="button" className="btn btn-sm btn-ghost" onClick={() => onChange(clearFilters)} data-testid="clear-filters">
          Clear filters ({active})
        </button>
      )}
    </div>
  );
}, sameFacetProps);

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
