import type { Actor } from '@/lib/audit/log';
import type { Db } from '@/lib/db/client';
import { DomainError, ForbiddenError } from '@/lib/errors';
import { env } from '@/lib/env';
import { scopeFromBearer } from './api-keys';
import { assertPasswordSettled } from './password-rule';
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

/** The hosts a page of ours is served from: the request's own host and PINGYI_PUBLIC_URL's. */
function ownHosts(req: Request): string[] {
  const hosts = [req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? new URL(req.url).host];
  const configured = env().PINGYI_PUBLIC_URL;
  if (configured) hosts.push(new URL(configured).host);
  return hosts;
}

/**
 * CSRF protection for every state-changing request a browser could be made to send: its Origin
 * (or, failing that, Sec-Fetch-Site) must say it comes from one of our own pages. Another site
 * can make its visitors' browsers POST to us (a form, or fetch with a text/plain body needs no
 * CORS preflight), but it cannot forge their Origin. This covers the public endpoints too (login,
 * answering, objections): a login or a guessed code sent from strangers' browsers is refused
 * before it is counted. A request with an Authorization header is not checked: a browser sends one
 * cross-site only after a CORS preflight, which this app never grants, so it is automation.
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method) || req.headers.get('authorization')) return;
  const origin = req.headers.get('origin');
  if (origin) {
    let originHost: string | null = null;
    try {
      originHost = new URL(origin).host;
    } catch {
      // "null" (sandboxed frames, file: pages) and garbage are not our pages
    }
    if (originHost && ownHosts(req).includes(originHost)) return;
    throw new DomainError('forbidden', { reason: 'csrf' });
  }
  if (req.headers.get('sec-fetch-site') === 'same-origin') return;
  throw new DomainError('forbidden', { reason: 'csrf' });
}

/**
 * The API key or session of a request. A session whose initial or reset password is still to be
 * changed may only call the endpoints marked `beforePasswordChange` (the same rule pages follow).
 */
export async function callerFromRequest(db: Db, req: Request, opts: { beforePasswordChange?: boolean } = {}): Promise<Caller> {
  if (req.headers.get('authorization')) {
    const key = await scopeFromBearer(db, req.headers.get('authorization'));
    return { ...key, kind: 'api_key', apiKeyId: key.apiKeyId!, apiKeyName: key.apiKeyName };
  }
  const token = cookieValue(req.headers.get('cookie'), SESSION_COOKIE);
  if (!token) throw new DomainError('unauthenticated');
  const session = await sessionUser(db, token);
  if (!session) throw new DomainError('unauthenticated', { reason: 'session_expired' });
  assertSameOrigin(req);
  assertPasswordSettled(session, opts.beforePasswordChange === true);
  return { ...session.scope, kind: 'session', session, sessionToken: token };
}

/** Whether the browser reached us over https (directly or through a TLS-terminating proxy). */
function isHttps(req: Request): boolean {
  const forwarded = req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return (forwarded ?? new URL(req.url).protocol.replace(':', '')) === 'https';
}

/** The Set-Cookie value for a session: httpOnly, SameSite=Lax, and Secure whenever served over https. */
export function sessionCookie(req: Request, token: string | null, maxAgeSeconds: number): string {
  const parts = [
    `${SESSION_COOKIE}=${token ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${token ? maxAgeSeconds : 0}`,
  ];
  if (isHttps(req)) parts.push('Secure');
  return parts.join('; ');
}

export const CLIENT_HEADER = 'x-pingyi-client';

/**
 * The client address for throttling. The server (lib/cli/serve.ts) writes it from the socket, or
 * from the trusted proxies' X-Forwarded-For, over anything the client sent. Without it (a handler
 * called directly), the right-most X-Forwarded-For hop: the one the nearest proxy appended.
 */
export function clientAddress(headers: Headers): string {
  const set = headers.get(CLIENT_HEADER);
  if (set) return set;
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return hops.at(-1) ?? 'unknown';
}

export function requireSession(caller: Caller): Extract<Caller, { kind: 'session' }> {
  if (caller.kind !== 'session') throw new ForbiddenError('role_not_allowed');
  return caller;
}
