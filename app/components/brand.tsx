import Link from 'next/link';

/** The Porchlight mark: a small lamp glowing amber. */
export function Brand({ href = '/sites' }: { href?: string }) {
  return (
    <Link href={href} className="brand" aria-label="Porchlight home">
      <span className="brand-mark" aria-hidden="true">
        <svg viewBox="0 0 16 16" fill="none">
          <path d="M5 2.5h6l1.5 5h-9L5 2.5Z" fill="#14161c" />
          <path d="M6.5 9.5h3v2.2a1.5 1.5 0 0 1-3 0V9.5Z" fill="#14161c" opacity=".85" />
          <path d="M8 13.5v1.5" stroke="#14161c" strokeWidth="1.4" strokeLinecap="round" />
        </svg>
      </span>
      <span>Porchlight</span>
    </Link>
  );
}
