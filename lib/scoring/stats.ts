/**
 * Statistics for appraisal scores. Pure: no database, no React. Every function takes plain numbers
 * (scores already mapped from answers, excluded answers such as 不了解 already left out).
 */

export interface Summary {
  n: number;
  mean: number | null;
  sd: number | null;
  median: number | null;
  /** 95% confidence interval of the mean (t distribution), null below 2 ratings */
  ci95: [number, number] | null;
}

export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

export function mean(xs: readonly number[]): number | null {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null;
}

export function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Sample standard deviation (n − 1). */
export function sd(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  const m = mean(xs)!;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/**
 * Two-sided 97.5% quantiles of Student's t from tables up to 30 degrees of freedom; beyond, the
 * Cornish–Fisher expansion around z = 1.96 (t(60) = 2.0003, t(120) = 1.9799: within 0.0001 of the
 * tables), which tends to 1.96 as n grows.
 */
export function t975(df: number): number {
  if (df < T975.length) return T975[df]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

const T975 = [0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** The 95% interval of a mean from its n, mean and sample standard deviation. */
export function intervalOf(n: number, m: number, s: number | null): [number, number] | null {
  if (s === null || n < 2) return null;
  const half = (t975(n - 1) * s) / Math.sqrt(n);
  return [round(m - half), round(m + half)];
}

/**
 * The Wilson score interval of a share p out of n (95%: z = 1.96). Unlike p ± z·√(p(1−p)/n) it
 * stays inside 0..1 and is not zero-wide at p = 0 or 1, which matters for 满意率 near 100% on small n.
 */
export function wilsonInterval(p: number, n: number, z = 1.96): [number, number] | null {
  if (n < 1 || p < 0 || p > 1) return null;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}

export function ci95(xs: readonly number[]): [number, number] | null {
  return xs.length < 2 ? null : intervalOf(xs.length, mean(xs)!, sd(xs));
}

export function summarize(xs: readonly number[]): Summary {
  const m = mean(xs);
  const s = sd(xs);
  return { n: xs.length, mean: m === null ? null : round(m), sd: s === null ? null : round(s), median: median(xs), ci95: ci95(xs) };
}

/**
 * How a trimmed mean drops extremes: the published scheme drops one highest and one lowest score
 * when there are more than `above` ratings (else the plain mean); or a share from each end.
 */
export type TrimRule = { kind: 'extremes'; above: number } | { kind: 'percent'; percent: number } | { kind: 'none' };

export const PUBLISHED_TRIM: TrimRule = { kind: 'extremes', above: 5 };

/** How many ratings a trim rule drops from each end of n. */
export function trimCount(n: number, rule: TrimRule): number {
  if (rule.kind === 'extremes') return n > rule.above ? 1 : 0;
  if (rule.kind === 'percent') return Math.floor((n * rule.percent) / 100);
  return 0;
}

export function trimmedMean(xs: readonly number[], rule: TrimRule = PUBLISHED_TRIM): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const cut = trimCount(s.length, rule);
  const kept = s.slice(cut, s.length - cut);
  return round(mean(kept.length ? kept : s)!);
}

/**
 * 满意率: the share of valid answers whose value is in the numerator set (e.g. 满意 + 基本满意).
 * Excluded answers (不了解) are not valid and are counted by the caller, never here.
 */
export function satisfactionRate(values: readonly string[], numerator: readonly string[]): number | null {
  if (!values.length) return null;
  const yes = values.filter((v) => numerator.includes(v)).length;
  return round(yes / values.length);
}

export function distribution(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/**
 * A weighted composite of group scores. Groups without data drop out and the remaining weights are
 * renormalised; the result says which groups were missing so the page can say so.
 */
export function weightedComposite(groups: readonly { name: string; weight: number; score: number | null }[]): {
  score: number | null;
  renormalised: boolean;
  missing: string[];
} {
  const present = groups.filter((g) => g.score !== null && g.weight > 0);
  const missing = groups.filter((g) => g.score === null && g.weight > 0).map((g) => g.name);
  const total = present.reduce((s, g) => s + g.weight, 0);
  if (!total) return { score: null, renormalised: missing.length > 0, missing };
  const score = present.reduce((s, g) => s + g.score! * g.weight, 0) / total;
  return { score: round(score), renormalised: missing.length > 0, missing };
}

/** A ballot giving the same answer on every item (straight-lining): flagged, and void where the round says so. */
export function isStraightLined(values: readonly (string | number)[], minItems = 3): boolean {
  return values.length >= minItems && values.every((v) => v === values[0]);
}
