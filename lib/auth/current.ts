import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/lib/db/client';
import type { Role } from '@/lib/db/schema';
import { passwordChangePending } from './password-rule';
import { SESSION_COOKIE, sessionUser, type SessionUser } from './sessions';

/** The logged-in user of the current page request, or null. */
export async function currentSession(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return sessionUser(await getDb(), token);
}

/** For pages: the session, or a redirect to the login page; with roles, a 403 page for others. */
export async function requirePageSession(path: string, roles?: readonly Role[]): Promise<SessionUser> {
  const session = await currentSession();
  if (!session) redirect(`/login?next=${encodeURIComponent(path)}`);
  // an initial or reset password must be changed before anything else (the API asks the same rule)
  if (passwordChangePending(session, path === '/account')) redirect('/account');
  if (roles && !roles.includes(session.user.role)) redirect('/account?denied=1');
  return session;
}
