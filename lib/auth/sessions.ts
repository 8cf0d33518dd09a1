import { and, eq, gt, ne } from 'drizzle-orm';
import { recordAudit } from '@/lib/audit/log';
import type { Db } from '@/lib/db/client';
import { sessions, units, users, type User } from '@/lib/db/schema';
import { DomainError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { changePasswordInput, loginInput, type ChangePasswordInput, type LoginInput } from './schemas';
import type { Scope } from './scope';
import { hashPassword, randomToken, sha256, verifyPassword } from './secrets';
import { ACCOUNT_SLOWDOWN, ADDRESS_RULE, clearFailures, countAttempt, forgiveAttempt, PAIR_RULE, recentFailures, recordFailure, sleep } from './throttle';

export const SESSION_COOKIE = 'pingyi_session';
export const SESSION_TTL_MS = 12 * 60 * 60_000;

// A hash to verify against when the username is unknown, so a missing account answers as slowly
// as a wrong password and usernames cannot be probed by timing.
let dummyHash: Promise<string> | undefined;

export interface SessionUser {
  user: Pick<User, 'id' | 'username' | 'displayName' | 'role' | 'unitId' | 'staffId' | 'mustChangePassword' | 'locale'>;
  unitName: string;
  scope: Scope;
}

/**
 * Checks a username and password and opens a session. Failures are counted in the database (so
 * every instance sees them) per account *and* address together, and per address: a locked pair or
 * address answers `rate_limited` before the password is checked. An account is never locked as a
 * whole, so strangers cannot lock its owner out; many failures on it only slow every attempt down.
 * Returns the session token for the cookie.
 */
export async function login(db: Db, raw: LoginInput, address: string): Promise<{ token: string; user: SessionUser }> {
  const input = parseInput(loginInput, raw);
  const account = input.username.toLowerCase();
  const pairKey = `login:pair:${account}|${address}`;
  const addressKey = `login:addr:${address}`;
  const accountKey = `login:user:${account}`;
  // attempts are counted before the password is checked, so parallel guesses cannot all get through
  const wait = Math.max(await countAttempt(db, pairKey, PAIR_RULE), await countAttempt(db, addressKey, ADDRESS_RULE));
  if (wait > 0) throw new DomainError('rate_limited', { minutes: wait });
  if ((await recentFailures(db, accountKey, ACCOUNT_SLOWDOWN.windowMs)) >= ACCOUNT_SLOWDOWN.afterFailures) await sleep(ACCOUNT_SLOWDOWN.delayMs);

  const [user] = await db.select().from(users).where(eq(users.username, input.username));
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await (dummyHash ??= hashPassword('not-a-password')), input.password), false);
  if (!user || !ok) {
    // counted, never locked (lockMs 0): it only decides the slowdown above
    await recordFailure(db, accountKey, { maxFailures: ACCOUNT_SLOWDOWN.afterFailures, windowMs: ACCOUNT_SLOWDOWN.windowMs, lockMs: 0 });
    throw new DomainError('unauthenticated', { reason: 'bad_credentials' });
  }
  // a success costs nobody anything: the pair starts afresh and the address gets its attempt back
  await clearFailures(db, pairKey);
  await forgiveAttempt(db, addressKey);
  if (user.disabled) throw new DomainError('forbidden', { reason: 'account_disabled' });

  const token = randomToken();
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({ id: sha256(token), userId: user.id, expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
    await recordAudit(tx, { type: 'user', userId: user.id }, { action: 'session.login', entityType: 'user', entityId: user.id, unitId: user.unitId, summary: { address } });
  });
  const session = await sessionUser(db, token);
  return { token, user: session! };
}

/** The user of a session cookie, or null when it is missing, unknown, expired or the user is disabled. */
export async function sessionUser(db: Db, token: string | undefined | null): Promise<SessionUser | null> {
  if (!token || token.length > 100) return null;
  const [row] = await db
    .select({ user: users, unitName: units.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(units, eq(units.id, users.unitId))
    .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, new Date()), eq(users.disabled, false)));
  if (!row) return null;
  const u = row.user;
  return {
    user: { id: u.id, username: u.username, displayName: u.displayName, role: u.role, unitId: u.unitId, staffId: u.staffId, mustChangePassword: u.mustChangePassword, locale: u.locale },
    unitName: row.unitName,
    scope: { role: u.role, unitId: u.unitId, staffId: u.staffId, userId: u.id },
  };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sha256(token)));
}

/** Ends every session of the user, this one included ("log out everywhere"). */
export async function logoutEverywhere(db: Db, userId: string): Promise<number> {
  const ended = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  await recordAudit(db, { type: 'user', userId }, { action: 'session.logout_all', entityType: 'user', entityId: userId, summary: { sessions: ended.length } });
  return ended.length;
}

/** Changes one's own password after checking the current one; other sessions are ended. */
export async function changePassword(db: Db, userId: string, currentToken: string | null, raw: ChangePasswordInput): Promise<void> {
  const input = parseInput(changePasswordInput, raw);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new DomainError('unauthenticated');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError('validation', {}, { currentPassword: [{ key: 'wrong_password' }] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false }).where(eq(users.id, userId));
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), currentToken ? ne(sessions.id, sha256(currentToken)) : undefined));
    await recordAudit(tx, { type: 'user', userId }, { action: 'user.change_password', entityType: 'user', entityId: userId, unitId: user.unitId });
  });
}
