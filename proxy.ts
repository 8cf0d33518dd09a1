import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from '@/lib/http/csp';

const PROTECTED = [/^\/account$/, /^\/admin(\/|$)/, /^\/org$/, /^\/templates(\/|$)/, /^\/rounds(\/|$)/, /^\/complaints(\/|$)/, /^\/campaigns(\/|$)/, /^\/ledger(\/|$)/, /^\/commitments(\/|$)/];

/**
 * Runs before every page. Two jobs only:
 * - a fresh nonce for the page's Content-Security-Policy: Next.js reads it from the request's
 *   CSP header and puts it on every script it renders, so scripts need no 'unsafe-inline';
 * - a visitor without a session cookie goes to the login page first. Whether the cookie is
 *   valid, and what its user may see, is decided where the data is read (lib/).
 */
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (!request.cookies.has('pingyi_session') && PROTECTED.some((p) => p.test(pathname))) {
    const login = new URL('/login', request.url);
    login.searchParams.set('next', pathname);
    return NextResponse.redirect(login);
  }
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', policy);
  return response;
}

export const config = {
  // pages only: API answers (JSON) and build assets get the fixed policy of next.config.mjs
  matcher: [
    {
      source: '/((?!api/|_next/static/|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
