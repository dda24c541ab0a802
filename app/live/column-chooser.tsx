'use client';
// Which columns the live table shows: a short menu beside the visitor count, remembered in this
// browser. Hiding the columns an agent does not use leaves room for page titles, even at 1280 px
// with the visitor panel open. Status, the current page and "Call & chat" always show.
import { useEffect, useRef, useState } from 'react';
import { COLUMNS, columnLabel, HIDEABLE } from './visitor-columns';
import './column-chooser.css';

const KEY = 'porchlight.live.hiddenColumns';

/** The hidden columns, kept in localStorage (a bad or foreign value is ignored). */
export function useHiddenColumns(): [ReadonlySet<string>, (next: ReadonlySet<string>) => void] {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    try {
      const saved: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
      if (Array.isArray(saved)) setHidden(new Set(saved.filter((x): x is string => typeof x === 'string' && HIDEABLE.has(x))));
    } catch {
      // Unreadable: all columns show.
    }
  }, []);
  const save = (next: ReadonlySet<string>) => {
    setHidden(next);
    try {
      localStorage.setItem(KEY, JSON.stringify([...next]));
    } catch {
      // Storage full or blocked: the choice lasts for this page only.
    }
  };
  return [hidden, save];
}

export function ColumnChooser({ hidden, onChange }: { hidden: ReadonlySet<string>; onChange: (next: ReadonlySet<string>) => void }) {
  const shown = COLUMNS.filter((c) => c.id && HIDEABLE.has(c.id) && !hidden.has(c.id)).length;
  const ref = useRef<HTMLDetailsElement>(null);
  // A menu closes on a click elsewhere or Escape (a bare <details> would stay open).
  useEffect(() => {
    const close = (e: Event) => {
      const el = ref.current;
      if (!el?.open) return;
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !el.contains(e.target as Node)) el.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);
  return (
    <details ref={ref} className="column-chooser" data-testid="column-chooser">
      <summary className="btn btn-sm">
        Columns{hidden.size > 0 ? ` · ${shown} of ${HIDEABLE.size}` : ''}
      </summary>
      <fieldset>
        <legend className="sr-only">Columns to show</legend>
        {COLUMNS.filter((c) => c.id && HIDEABLE.has(c.id)).map((c) => {
          const id = c.id!;
          return (
            <label key={id}>
              <input
                type="checkbox"
                checked={!hidden.has(id)}
                onChange={(e) => {
                  const next = new Set(hidden);
                  if (e.target.checked) next.delete(id);
                  else next.add(id);
                  onChange(next);
                }}
              />
              {columnLabel(c)}
            </label>
          );
        })}
      </fieldset>
    </details>
  );
}
