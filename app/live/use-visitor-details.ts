// The stored side of a visitor's profile (`visitor:details`: this visit's trail, past visits,
// calls, identity from earlier visits), reloaded as their live row moves on.
import { useEffect, useState } from 'react';
import type { LiveVisitor, VisitorDetails } from '../../server/protocol';
import type { DetailsResult } from './use-live-site';

export type Loaded = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; details: VisitorDetails };

/**
 * What has been loaded for `visitorId`, and its details once they are in (never another
 * visitor's: the previous ones stay on screen only while the same visitor reloads).
 */
export function useVisitorDetails(
  visitorId: string,
  v: LiveVisitor | null,
  online: boolean,
  requestDetails: (visitorId: string) => Promise<DetailsResult>,
): { loaded: Loaded; details: VisitorDetails | null } {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });

  // (Re)load the trail when the panel opens and whenever the visitor moves to another page.
  useEffect(() => {
    let cancelled = false;
    setLoaded((cur) => (cur.state === 'ok' && cur.details.visitorId === visitorId ? cur : { state: 'loading' }));
    const t = setTimeout(
      () => {
        requestDetails(visitorId).then((res) => {
          if (cancelled) return;
          setLoaded(res.ok ? { state: 'ok', details: res.details } : { state: 'error', message: 'Could not load this visitor’s history.' });
        });
      },
      online ? 150 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
    // A call starting or ending also changes the panel's list of calls.
  }, [visitorId, v?.page.url, v?.pagesViewed, v?.call?.callId, v?.call?.phase, online, requestDetails]);

  const details = loaded.state === 'ok' && loaded.details.visitorId === visitorId ? loaded.details : null;
  return { loaded, details };
}

/** Identity known from an earlier visit (stored) fills in what this visit has not sent yet. */
export function mergeIdentity(live: LiveVisitor['identity'] | undefined, d: VisitorDetails): LiveVisitor['identity'] {
  return {
    name: live?.name || d.identity.name,
    email: live?.email || d.identity.email,
    attributes: { ...d.identity.attributes, ...live?.attributes },
  };
}
