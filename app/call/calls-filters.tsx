'use client';
// The calls history filters: a GET form (works without JavaScript) that, with it, navigates on the
// client, so a call in the dock goes on while the agent browses the history.
import Form from 'next/form';
import Link from 'next/link';
import { SearchIcon } from '../components/search-icon';
import { OUTCOME_LABEL } from './call-texts';
import { OUTCOME_FILTERS, hasCallFilters, type CallsQuery } from './calls-query';

interface Props {
  query: CallsQuery;
  sites: { id: string; name: string }[];
  agents: { id: string; name: string }[];
}

export function CallsFilters({ query, sites, agents }: Props) {
  return (
    <Form action="/calls" className="toolbar calls-filters" role="search" aria-label="Filter calls" key={JSON.stringify(query)}>
      <div className="search">
        <SearchIcon />
        <input
          className={`input${query.q ? ' is-set' : ''}`}
          type="search"
          name="q"
          placeholder="Visitor id or name…"
          aria-label="Search calls by visitor id or name"
          defaultValue={query.q}
          maxLength={100}
          data-testid="calls-filter-q"
        />
      </div>
      <FilterSelect
        name="outcome"
        label="Outcome"
        anyLabel="Any outcome"
        value={query.outcome}
        options={OUTCOME_FILTERS.map((o) => ({ id: o, name: OUTCOME_LABEL[o] }))}
        testid="calls-filter-outcome"
      />
      <FilterSelect name="site" label="Site" anyLabel="Every site" value={query.site} options={sites} testid="calls-filter-site" />
      <FilterSelect name="agent" label="Agent" anyLabel="Every agent" value={query.agent} options={agents} testid="calls-filter-agent" />
      <button type="submit" className="btn btn-sm" data-testid="calls-filter-apply">
        Filter
      </button>
      {hasCallFilters(query) && (
        <Link className="btn btn-sm btn-ghost" href="/calls" data-testid="calls-filter-clear">
          Clear filters
        </Link>
      )}
    </Form>
  );
}

/** One filter of the form; choosing an option applies it at once. */
function FilterSelect(p: { name: string; label: string; anyLabel: string; value: string | null | undefined; options: { id: string; name: string }[]; testid: string }) {
  return (
    <select
      className={`select${p.value ? ' is-set' : ''}`}
      name={p.name}
      aria-label={p.label}
      defaultValue={p.value ?? ''}
      onChange={(e) => e.currentTarget.form?.requestSubmit()}
      data-testid={p.testid}
    >
      <option value="">{p.anyLabel}</option>
      {p.options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.name}
        </option>
      ))}
    </select>
  );
}
