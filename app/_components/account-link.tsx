'use client';

import Link from '@/app/_components/link';
import { usePathname } from 'next/navigation';

/**
 * The top bar's login / account link. A respondent on an answering page (/s/…) is a parent or a
 * student with nothing to log in to, so there it is not shown.
 */
export function AccountLink({ href, label }: { href: string; label: string }) {
  const pathname = usePathname();
  if (pathname.startsWith('/s/')) return null;
  return (
    <Link href={href} className="brand-link">
      {label}
    </Link>
  );
}
