/**
 * The before/after arithmetic of the campaign report, pure (no database).
 *
 * - A share (满意率): the difference after − before of two independent proportions with Newcombe's
 *   hybrid score interval (Newcombe 1998, method 10), built from the Wilson interval of each share,
 *   the interval the results pages already give (lib/scoring/stats.ts wilsonInterval). Unlike the
 *   Wald interval it stays sensible at shares near 0 or 1 and on small n.
 * - A mean score: Welch's t interval for the difference of two means with unequal variances, the
 *   Welch–Satterthwaite degrees of freedom rounded down (so t errs large, the interval wide).
 * - Handling time: working days after the filing day up to and including the closing day
 *   (Monday–Friday in Asia/Shanghai, with the unit's calendar of holidays and worked weekends).
 */
import { round, t975, wilsonInterval } from '@/lib/scoring/stats';

export interface Change {
  diff: number;
  ci95: [number, number];
}

/** p2 − p1 with Newcombe's hybrid score (Wilson) 95% interval; null when either share has no respondents. */
export function shareChange(before: { p: number; n: number }, after: { p: number; n: number }): Change | null {
  const w1 = wilsonInterval(before.p, before.n);
  const w2 = wilsonInterval(after.p, after.n);
  if (!w1 || !w2) return null;
  const d = after.p - before.p;
  const lower = d - Math.sqrt((after.p - w2[0]) ** 2 + (w1[1] - before.p) ** 2);
  const upper = d + Math.sqrt((w2[1] - after.p) ** 2 + (before.p - w1[0]) ** 2);
  return { diff: round(d), ci95: [round(lower), round(upper)] };
}

/** m2 − m1 with Welch's 95% interval (v: sample variances); null below two answers on either side. */
export function meanChange(before: { mean: number; variance: number; n: number }, after: { mean: number; variance: number; n: number }): Change | null {
  if (before.n < 2 || after.n < 2) return null;
  const a = before.variance / before.n;
  const b = after.variance / after.n;
  const se = Math.sqrt(a + b);
  const d = after.mean - before.mean;
  if (se === 0) return { diff: round(d), ci95: [round(d), round(d)] };
  const df = (a + b) ** 2 / (a ** 2 / (before.n - 1) + b ** 2 / (after.n - 1));
  const t = t975(Math.max(1, Math.floor(df)));
  return { diff: round(d), ci95: [round(d - t * se), round(d + t * se)] };
}

/** improved / declined when the interval excludes 0, else unchanged. */
export function direction(c: Change | null): 'improved' | 'declined' | 'unchanged' | null {
  if (!c) return null;
  if (c.ci95[0] > 0) return 'improved';
  if (c.ci95[1] < 0) return 'declined';
  return 'unchanged';
}

