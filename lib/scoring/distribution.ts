/**
 * Statistics of one question (or matrix row) computed from its answer counts rather than from a
 * list of ratings, so a cell with 10,000 answers costs as much as one with 10. Gives the same
 * figures as stats.ts on the expanded list (a property test checks that). Pure.
 */
import { intervalOf, round, trimCount, type TrimRule } from './stats';

export interface CountRow {
  value: string;
  score: number | null;
  excluded: boolean;
  n: number;
}

export interface QuestionStats {
  /** answers given, including excluded ones such as 不了解 */
  answered: number;
  /** answers that count: not excluded */
  valid: number;
  excluded: number;
  distribution: Record<string, number>;
  /** statistics of the scores of valid answers (null when the question is unscored) */
  mean: number | null;
  sd: number | null;
  median: number | null;
  trimmedMean: number | null;
  ci95: [number, number] | null;
  /** 满意率: numerator answers ÷ valid answers; null when the scale has no numerator value */
  satisfaction: number | null;
}

/** Score and count pairs of the scored valid answers, merged by score and sorted ascending. */
function scorePairs(rows: readonly CountRow[]): [number, number][] {
  const by = new Map<number, number>();
  for (const r of rows) if (!r.excluded && r.score !== null && r.n > 0) by.set(r.score, (by.get(r.score) ?? 0) + r.n);
  return [...by.entries()].sort((a, b) => a[0] - b[0]);
}

/** The k-th smallest score (0-based) of the expanded list. */
function kth(pairs: readonly [number, number][], k: number): number {
  let seen = 0;
  for (const [score, n] of pairs) {
    seen += n;
    if (k < seen) return score;
  }
  return pairs[pairs.length - 1]![0];
}

/** Sum of the scores from position `from` (inclusive) to `to` (exclusive) of the expanded list. */
function rangeSum(pairs: readonly [number, number][], from: number, to: number): number {
  let pos = 0;
  let sum = 0;
  for (const [score, n] of pairs) {
    const lo = Math.max(pos, from);
    const hi = Math.min(pos + n, to);
    if (hi > lo) sum += score * (hi - lo);
    pos += n;
  }
  return sum;
}

export function questionStats(rows: readonly CountRow[], options: { trim: TrimRule; numerator: readonly string[] | null }): QuestionStats {
  const distribution: Record<string, number> = {};
  let answered = 0;
  let excluded = 0;
  for (const r of rows) {
    if (r.n <= 0) continue;
    distribution[r.value] = (distribution[r.value] ?? 0) + r.n;
    answered += r.n;
    if (r.excluded) excluded += r.n;
  }
  const valid = answered - excluded;
  const pairs = scorePairs(rows);
  const n = pairs.reduce((s, [, c]) => s + c, 0);
  let mean: number | null = null;
  let sd: number | null = null;
  let median: number | null = null;
  let trimmed: number | null = null;
  let ci95: [number, number] | null = null;
  if (n > 0) {
    const m = pairs.reduce((s, [x, c]) => s + x * c, 0) / n;
    const s = n > 1 ? Math.sqrt(pairs.reduce((acc, [x, c]) => acc + c * (x - m) ** 2, 0) / (n - 1)) : null;
    mean = round(m);
    sd = s === null ? null : round(s);
    ci95 = intervalOf(n, m, s);
    median = n % 2 ? kth(pairs, (n - 1) / 2) : (kth(pairs, n / 2 - 1) + kth(pairs, n / 2)) / 2;
    const cut = trimCount(n, options.trim);
    const kept = n - 2 * cut;
    trimmed = round(kept > 0 ? rangeSum(pairs, cut, n - cut) / kept : m);
  }
  const satisfaction =
    options.numerator && valid > 0 ? round(options.numerator.reduce((s, v) => s + (distribution[v] ?? 0), 0) / valid) : null;
  return { answered, valid, excluded, distribution, mean, sd, median, trimmedMean: trimmed, ci95, satisfaction };
}
