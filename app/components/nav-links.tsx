'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useUnreadTotal } from '../chat/chat-context';
import { badgeText } from '../chat/inbox';

export interface NavItem {
  href: string;
  label: string;
  /** Also current for paths below href (e.g. a site's settings under the site). */
  prefix?: boolean;
  /** A live count beside the label: 'chat' = unread chat messages. */
  badge?: 'chat';
}

/** Links that mark the current page with aria-current (styled as selected). */
export function NavLinks({ items, className, linkClassName }: { items: NavItem[]; className?: string; linkClassName?: string }) {
  const pathname = usePathname();
  return (
    <nav className={className} aria-label="Main">
      {items.map((item) => {
        const current = item.prefix ? pathname === item.href || pathname.startsWith(`${item.href}/`) : pathname === item.href;
        return (
          <Link key={item.href} href={item.href} className={linkClassName} aria-current={current ? 'page' : undefined}>
            {item.label}
            {item.badge === 'chat' && <UnreadBadge />}
          </Link>
        );
      })}
    </nav>
  );
}

/** The unread chat messages beside "Conversations" (nothing when there are none). */
function UnreadBadge() {
  const text = badgeText(useUnreadTotal());
  if (!text) return null;
  return (
    <span className="nav-badge">
      <span className="sr-only">, unread messages: </span>
      <span data-testid="nav-unread">{text}</span>
    </span>
  );
}
