import type { Actor } from '@/lib/audit/log';
import type { Db } from '@/lib/db/client';
import type { Role } from '@/lib/db/schema';
import { DomainError, ForbiddenError } from '@/lib/errors';
import { scopeFromBearer } from './api-keys';
import type { Scope } from './scope';
import { SESSION_COOKIE, sessionUser, type SessionUser } from './sessions';

/** Whoever is calling: an API key or a logged-in user, with the scope every query filters by. */
export type Caller = Scope &
  ({ kind: 'api_key'; apiKeyId: string; apiKeyName: string } | { kind: 'session'; session: SessionUser; sessionToken: string });

export function actorOf(caller: Caller): Actor {
  return caller.kind === 'api_key' ? { type: 'api_key', apiKeyId: caller.apiKeyId } : { type: 'user', userId: caller.session.user.id };
}

export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for cookie-authenticated mutations: the browser's Origin (or, failing that,
 * Sec-Fetch-Site) must say the request comes from this site. API keys are not sent by browsers
 * on their own, so bearer requests need no such check.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const origin = req.headers.get('origin');
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? new URL(req.url).host;
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      throw new DomainError('forbidden', { reason: 'csrf' });
    }
    if (originHost === host) return;
    throw new DomainError('forbidden', { reason: 'csrf' });
  }
  if (req.headers.get('sec-fetch-site') === 'same-origin') return;
  throw new DomainError('forbidden', { reason: 'csrf' });
}

export async function callerFromRequest(db: Db, req: Request): Promise<Caller> {
  if (req.headers.get('authorization')) {
    const key = await scopeFromBearer(db, req.headers.get('authorization'));
    return { ...key, kind: 'api_key', apiKeyId: key.apiKeyId!, apiKeyName: key.apiKeyName };
  }
  const token = cookieValue(req.headers.get('cookie'), SESSION_COOKIE);
  if (!token) throw new DomainError('unauthenticated');
  const session = await sessionUser(db, token);
  if (!session) throw new DomainError('unauthenticated', { reason: 'session_expired' });
  assertSameOrigin(req);
  return { ...session.scope, kind: 'session', session, sessionToken: token };
}

export function requireRole(scope: Scope, roles: readonly Role[]): void {
  if (!roles.includes(scope.role)) throw new ForbiddenError('role_not_allowed');
}

function isLocalhost(req: Request): boolean {
  const host = (req.headers.get('host') ?? new URL(req.url).host).replace(/:\d+$/, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

/** The Set-Cookie value for a session: httpOnly, SameSite=Lax, and Secure everywhere but localhost. */
export function sessionCookie(req: Request, token: string | null, maxAgeSeconds: number): string {
  const parts = [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${token ? maxAgeSeconds : 0}`,
  ];
  if (!isLocalhost(req)) parts.push('Secure');
  return parts.join('; ');
}

/** The client address for throttling: the first X-Forwarded-For hop set by the load balancer, else unknown. */
export function clientAddress(req: Request): string {
  return req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || req.headers.get('x-real-ip') || 'unknown';
}

export function requireSession(caller: Caller): Extract<Caller, { kind: 'session' }> {
  if (caller.kind !== 'session') throw new ForbiddenError('role_not_allowed');
  return caller;
}
