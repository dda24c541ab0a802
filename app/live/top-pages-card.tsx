'use client';
// The "Where they are now" card: the pages with the most visitors passing every filter but the
// page filter itself, so a click sets the page filter without emptying the card.
import type { Dispatch, SetStateAction } from 'react';
import type { PageCount } from './view-counts';
import type { ViewState } from './view-state';

interface Props {
  pages: PageCount[];
  /** The view's page filter. */
  page: string;
  ready: boolean;
  /** Visitors online, filtered or not: an empty card says whether nobody is here or the filters hide them. */
  total: number;
  setView: Dispatch<SetStateAction<ViewState>>;
}

export function TopPagesCard({ pages, page, ready, total, setView }: Props) {
  return (
    <section className="card stat" aria-labelledby="stat-pages">
      <div className="stat-label">
        <span id="stat-pages">Where they are now</span>
        {page && (
          <button type="button" className="btn btn-ghost btn-sm" style={{ height: 22 }} onClick={() => setView((v) => ({ ...v, page: '' }))}>
            Show all pages
          </button>
        )}
      </div>
      {pages.length === 0 ? (
        <span className="muted" style={{ fontSize: 13 }} data-testid="top-pages-empty">
          {!ready ? 'Loading…' : total > 0 ? 'No one matches the filters.' : 'No one to count yet.'}
        </span>
      ) : (
        <ul className="top-pages" data-testid="top-pages">
          {pages.map((p) => {
            const on = page === p.path;
            return (
              <li key={p.path} style={{ minWidth: 0 }}>
                <button
                  type="button"
                  className="top-page"
                  aria-pressed={on}
                  onClick={() => setView((v) => ({ ...v, page: v.page === p.path ? '' : p.path }))}
                  title={on ? 'Show all pages' : `Show only visitors on ${p.path}`}
                  data-testid="top-page"
                >
                  <span className="n">{p.count.toLocaleString('en')}</span> <span>on</span> <span className="p">{p.path}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
