import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { throttles } from '@/lib/db/schema';

export interface ThrottleRule {
  /** failures allowed within the window before the key is locked */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/**
 * 5 wrong passwords for one account from one address in 15 minutes lock that pair for 15 minutes:
 * the guesser is stopped, the owner elsewhere is not (an account-wide lock let anyone lock anyone out).
 */
export const PAIR_RULE: ThrottleRule = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** An address gets more room across accounts (a school's staff share one IP) before it is locked. */
export const ADDRESS_RULE: ThrottleRule = { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/**
 * Wrong passwords for one account from every address: past 10 in 15 minutes each attempt on the
 * account waits 2 seconds before it is checked (many addresses guessing together are slowed), but
 * the account is never locked, so its owner can always log in with the right password.
 */
export const ACCOUNT_SLOWDOWN = { afterFailures: 10, windowMs: 15 * 60_000, delayMs: 2_000 } as const;

/** Failures counted for a key in its current window (0 when the window is over). */
export async function recentFailures(db: Db, key: string, windowMs: number, now = new Date()): Promise<number> {
  const [row] = await db.select().from(throttles).where(eq(throttles.key, key));
  return row && row.windowStartedAt.getTime() >= now.getTime() - windowMs ? row.failures : 0;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Minutes left on a lock, or 0 when the key may try. Only reads: checking never slows anyone. */
export async function lockedMinutes(db: Db, key: string, now = new Date()): Promise<number> {
  const [row] = await db.select().from(throttles).where(eq(throttles.key, key));
  return minutesLeft(row?.lockedUntil ?? null, now);
}

/** Minutes left on a lock read elsewhere (a throttle's locked_until), or 0 when there is none. */
export function minutesLeft(lockedUntil: Date | null, now = new Date()): number {
  if (!lockedUntil || lockedUntil <= now) return 0;
  return Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000);
}

/**
 * Counts one failure for a key in a single upsert (safe under concurrency across instances):
 * a failure outside the window starts a new window; reaching the limit sets the lock.
 */
export async function recordFailure(db: Db, key: string, rule: ThrottleRule, now = new Date()): Promise<{ failures: number; lockedUntil: Date | null }> {
  // ISO strings with casts: a Date inside a raw sql`` fragment is not serialised by every driver
  const windowStart = sql`${new Date(now.getTime() - rule.windowMs).toISOString()}::timestamptz`;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const lockUntil = new Date(now.getTime() + rule.lockMs);
  const lockSql = sql`${lockUntil.toISOString()}::timestamptz`;
  const [row] = await db
    .insert(throttles)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: rule.maxFailures <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: throttles.key,
      set: {
        failures: sql`case when ${throttles.windowStartedAt} < ${windowStart} then 1 else ${throttles.failures} + 1 end`,
        windowStartedAt: sql`case when ${throttles.windowStartedAt} < ${windowStart} then ${nowSql} else ${throttles.windowStartedAt} end`,
        lockedUntil: sql`case when (case when ${throttles.windowStartedAt} < ${windowStart} then 1 else ${throttles.failures} + 1 end) >= ${rule.maxFailures}
          then ${lockSql} else ${throttles.lockedUntil} end`,
      },
    })
    .returning({ failures: throttles.failures, lockedUntil: throttles.lockedUntil });
  return row!;
}

/**
 * Counts an attempt before it is checked, so parallel attempts cannot all slip past the limit;
 * returns the minutes to wait when the key is (now) over it. Call forgiveAttempt on success.
 */
export async function countAttempt(db: Db, key: string, rule: ThrottleRule, now = new Date()): Promise<number> {
  const before = await lockedMinutes(db, key, now);
  if (before > 0) return before;
  const { failures, lockedUntil } = await recordFailure(db, key, rule, now);
  // the attempt that reaches the limit may still be checked; those after it wait
  if (failures > rule.maxFailures && lockedUntil && lockedUntil > now) return Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000);
  return 0;
}

/** Takes back one counted attempt that turned out to succeed. */
export async function forgiveAttempt(db: Db, key: string): Promise<void> {
  await db
    .update(throttles)
    .set({ failures: sql`greatest(${throttles.failures} - 1, 0)` })
    .where(eq(throttles.key, key));
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(throttles).where(eq(throttles.key, key));
}
