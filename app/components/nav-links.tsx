'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  href: string;
  label: string;
  /** Also current for paths below href (e.g. a site's settings under the site). */
  prefix?: boolean;
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
          </Link>
        );
      })}
    </nav>
  );
}
