'use client';
// The calls history filters: a GET form (works without JavaScript) that, with it, navigates on the
// client, so a call in the dock goes on while the agent browses the history.
import Form from 'next/form';
import Link from 'next/link';
import { OUTCOME_LABEL } from './call-state';
import { OUTCOME_FILTERS, hasCallFilters, type CallsQuery } from './calls-query';

interface Props {
  query: CallsQuery;
  sites: { id: string; name: string }[];
  agents: { id: string; name: string }[];
}

export function CallsFilters({ query, sites, agents }: Props) {
  const submit = (e: React.ChangeEvent<HTMLSelectElement>) => e.currentTarget.form?.requestSubmit();
  return (
    <Form action="/calls" className="toolbar calls-filters" role="search" aria-label="Filter calls" key={JSON.stringify(query)}>
      <div className="search">
        <svg width="14" height="14" viewBox="0 0 16 16" fill="none" aria-hidden="true">
          <circle cx="7" cy="7" r="5" stroke="currentColor" strokeWidth="1.6" />
          <path d="m11 11 3.5 3.5" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
        </svg>
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
      <select className={`select${query.outcome ? ' is-set' : ''}`} name="outcome" aria-label="Outcome" defaultValue={query.outcome ?? ''} onChange={submit} data-testid="calls-filter-outcome">
        <option value="">Any outcome</option>
        {OUTCOME_FILTERS.map((o) => (
          <option key={o} value={o}>
            {OUTCOME_LABEL[o]}
          </option>
        ))}
      </select>
      <select className={`select${query.site ? ' is-set' : ''}`} name="site" aria-label="Site" defaultValue={query.site ?? ''} onChange={submit} data-testid="calls-filter-site">
        <option value="">Every site</option>
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select className={`select${query.agent ? ' is-set' : ''}`} name="agent" aria-label="Agent" defaultValue={query.agent ?? ''} onChange={submit} data-testid="calls-filter-agent">
        <option value="">Every agent</option>
        {agents.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
          </option>
        ))}
      </select>
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
