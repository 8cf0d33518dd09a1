'use client';

import NextLink from 'next/link';
import { useRouter } from 'next/navigation';
import type { ComponentProps } from 'react';

/**
 * `next/link` that prefetches a page when the user reaches for it (pointer over it, or keyboard
 * focus), not when it scrolls into view. The office pages are per-user and rendered on demand: with
 * viewport prefetching, one view of a page with the side menu and a table of rounds made the server
 * render some 35 other pages that were almost never opened. Use this instead of `next/link`.
 */
export default function Link({ href, onMouseEnter, onFocus, ...props }: ComponentProps<typeof NextLink>) {
  const router = useRouter();
  const url = typeof href === 'string' && href.startsWith('/') ? href : null;
  return (
    <NextLink
      {...props}
      href={href}
      prefetch={false}
      onMouseEnter={(e) => {
        if (url) router.prefetch(url);
        onMouseEnter?.(e);
      }}
      onFocus={(e) => {
        if (url) router.prefetch(url);
        onFocus?.(e);
      }}
    />
  );
}
