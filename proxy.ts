import { NextResponse, type NextRequest } from 'next/server';

// Redirects only: a visitor without a session cookie goes to the login page first. Whether the
// cookie is valid, and what its user may see, is decided where the data is read (lib/).
export function proxy(request: NextRequest) {
  if (request.cookies.has('pingyi_session')) return NextResponse.next();
  const login = new URL('/login', request.url);
  login.searchParams.set('next', request.nextUrl.pathname);
  return NextResponse.redirect(login);
}

export const config = { matcher: ['/account', '/admin/:path*', '/org', '/templates/:path*', '/templates', '/rounds', '/rounds/:path*'] };
