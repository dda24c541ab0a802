// The unread total in the tab title. React (Next's metadata) owns the page's <title>; touching its
// text could break hydration of a page still streaming in. The count goes into a <title> of our
// own, first in <head> (the one the browser shows), made from React's and kept in step with it.
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { titleWithUnread } from './inbox';

export function useUnreadTitle(unread: number): void {
  // Another page brings another title to count on.
  const pathname = usePathname();
  useEffect(() => {
    const apply = () => {
      const own = document.head.querySelector<HTMLTitleElement>('title[data-unread]');
      const page = [...document.head.querySelectorAll('title')].find((t) => !t.hasAttribute('data-unread'));
      const base = titleWithUnread(page?.textContent ?? '', 0);
      if (unread <= 0 || !base) {
        own?.remove();
        return;
      }
      const want = titleWithUnread(base, unread);
      const el = own ?? document.createElement('title');
      if (!own) el.setAttribute('data-unread', '');
      if (el.textContent !== want) el.textContent = want;
      if (document.head.firstChild !== el) document.head.insertBefore(el, document.head.firstChild);
    };
    apply();
    const obs = new MutationObserver(apply);
    obs.observe(document.head, { childList: true, subtree: true, characterData: true });
    return () => {
      obs.disconnect();
      document.head.querySelector('title[data-unread]')?.remove();
    };
  }, [unread, pathname]);
}
