/**
 * Turns answer counts into results: per question, dimension, rater group and subject, with the
 * round's weights and suppression. Pure: the counts come from the count tables (or, to check them,
 * from the raw answers) through queries.ts.
 *
 * - An item is a question, or a row of a matrix. Its score is the trimmed mean of its valid scored
 *   answers (the published rule: drop the highest and lowest above 5 ratings), or the plain mean.
 * - A dimension's score is the mean of its items' scores; a group's score is the mean of all its
 *   items' scores (each item weighs the same, as on the paper forms), or the dimensions weighed
 *   by the round's dimension weights (德能勤绩廉 15/10/30/30/15).
 * - 满意率 pools the numerator answers over the valid answers of every item whose scale has them.
 * - The composite weighs the rater groups by the round's weights, renormalised over the groups
 *   that have data (and, for callers below the office, are not suppressed).
 * - 等次 votes (grade_vote questions) are qualitative: counted and shared, never in the score.
 */
import type { ScoredQuestion } from '@/lib/surveys/annotations';
import type { ScoringConfig } from './config';
import { questionStats } from './distribution';
import type { Summary } from './schemas';
import { intervalOf, round, weightedComposite, wilsonInterval } from './stats';

export interface CountRecord {
  formId: string;
  schoolId: string;
  subjectType?: string;
  subjectId?: string;
  question: string;
  row: string;
  value: string;
  dimension: string | null;
  score: number | null;
  excluded: boolean;
  n: number;
}

export interface GroupMeta {
  id: string;
  name: string;
  kind: string;
  weight: number;
}

export interface FormMeta {
  id: string;
  raterGroupId: string;
  questions: ScoredQuestion[];
}

export interface RoundMeta {
  threshold: number;
  commentThreshold: number;
  config: ScoringConfig;
  groups: GroupMeta[];
  forms: FormMeta[];
}

export interface View {
  /** suppress cells with fewer respondents than this (callers below the office); null: show all */
  suppressBelow: number | null;
  raterGroupId?: string;
  dimension?: string;
}

const FREE_TEXT = new Set(['text', 'comment', 'multipletext']);

interface ItemAcc {
  formId: string;
  question: string;
  row: string;
  dimension: string | null;
  rows: CountRecord[];
}

function questionOf(meta: RoundMeta, formId: string, name: string): ScoredQuestion | undefined {
  return meta.forms.find((f) => f.id === formId)?.questions.find((q) => q.name === name);
}

/** Whether a question's answers enter the figures (scores, 满意率): not a comment, vote or free text. */
export function isFigureItem(meta: RoundMeta, formId: string, name: string): boolean {
  const q = questionOf(meta, formId, name);
  return Boolean(q && !q.role && !FREE_TEXT.has(q.type));
}

/** The scale's numerator values, when the question's scale has any (else no 满意率). */
function numeratorOf(q: ScoredQuestion | undefined, config: ScoringConfig): string[] | null {
  const scale = new Set([...Object.keys(q?.scores ?? {}), ...(q?.choices ?? []).map((c) => c.value)]);
  const hit = config.satisfied.filter((v) => scale.has(v));
  return hit.length ? hit : null;
}

function groupItems(records: readonly CountRecord[]): Map<string, ItemAcc> {
  const items = new Map<string, ItemAcc>();
  for (const r of records) {
    if (!r.question) continue;
    const key = `${r.formId}\u0000${r.question}\u0000${r.row}`;
    let acc = items.get(key);
    if (!acc) items.set(key, (acc = { formId: r.formId, question: r.question, row: r.row, dimension: r.dimension, rows: [] }));
    acc.rows.push(r);
  }
  return items;
}

function respondentCount(records: readonly CountRecord[], value: string): number {
  return records.reduce((s, r) => s + (r.question === '' && r.value === value ? r.n : 0), 0);
}

const mean = (xs: number[]) => (xs.length ? round(xs.reduce((s, x) => s + x, 0) / xs.length) : null);

interface GroupFigures {
  score: number | null;
  satisfaction: number | null;
  dimensions: Record<string, number | null>;
  /** sum, sum of squares and count of the valid scored answers (for the pooled variance) */
  moments: [number, number, number];
}

function groupFigures(records: readonly CountRecord[], meta: RoundMeta, view: View): GroupFigures {
  const itemScores: number[] = [];
  const byDimension = new Map<string, number[]>();
  let yes = 0;
  let valid = 0;
  const moments: [number, number, number] = [0, 0, 0];
  for (const item of groupItems(records).values()) {
    const q = questionOf(meta, item.formId, item.question);
    if (!q || q.role || FREE_TEXT.has(q.type)) continue;
    if (view.dimension && item.dimension !== view.dimension) continue;
    for (const r of item.rows) {
      if (r.excluded || r.score === null) continue;
      moments[0] += r.score * r.n;
      moments[1] += r.score * r.score * r.n;
      moments[2] += r.n;
    }
    const numerator = numeratorOf(q, meta.config);
    if (numerator) {
      for (const r of item.rows) {
        if (r.excluded) continue;
        valid += r.n;
        if (numerator.includes(r.value)) yes += r.n;
      }
    }
    const stats = questionStats(item.rows, { trim: meta.config.trim, numerator: null });
    const itemScore = meta.config.itemScore === 'trimmed' ? stats.trimmedMean : stats.mean;
    if (itemScore === null) continue;
    itemScores.push(itemScore);
    if (item.dimension) {
      const list = byDimension.get(item.dimension) ?? [];
      list.push(itemScore);
      byDimension.set(item.dimension, list);
    }
  }
  const dimensions = Object.fromEntries([...byDimension.entries()].map(([d, xs]) => [d, mean(xs)]));
  const weights = meta.config.dimensionWeights;
  const score = weights
    ? weightedComposite(Object.entries(weights).map(([d, w]) => ({ name: d, weight: w, score: dimensions[d] ?? null }))).score
    : mean(itemScores);
  return {
    score,
    satisfaction: valid ? round(yes / valid) : null,
    dimensions,
    moments,
  };
}

export interface SummaryWithVariance extends Summary {
  /** sample variance of the valid scored answers, for shrinkage */
  variance: number | null;
}

/** The summary of one subject, school or the district from its counts. */
export function summarize(
  who: { key: string; type: Summary['type']; name: string },
  records: readonly CountRecord[],
  meta: RoundMeta,
  view: View,
): SummaryWithVariance {
  const groups = meta.groups.filter((g) => !view.raterGroupId || g.id === view.raterGroupId);
  const formGroup = new Map(meta.forms.map((f) => [f.id, f.raterGroupId]));
  const respondents = respondentCount(records, 'valid');
  const base = {
    ...who,
    respondents,
    void: respondentCount(records, 'void'),
    flagged: respondentCount(records, 'flagged'),
    belowThreshold: respondents < meta.threshold,
    withheld: false,
  };
  if (view.suppressBelow !== null && respondents < view.suppressBelow) {
    return { ...base, suppressed: true, score: null, satisfaction: null, scoreCi95: null, satisfactionCi95: null, dimensions: null, renormalised: false, missingGroups: [], groups: [], variance: null };
  }
  const moments: [number, number, number] = [0, 0, 0];
  const results = groups.map((g) => {
    const mine = records.filter((r) => formGroup.get(r.formId) === g.id);
    const n = respondentCount(mine, 'valid');
    const suppressed = view.suppressBelow !== null && n < view.suppressBelow;
    const figures = groupFigures(mine, meta, view);
    if (!suppressed) figures.moments.forEach((m, i) => (moments[i] = moments[i]! + m));
    return {
      raterGroupId: g.id,
      name: g.name,
      kind: g.kind,
      weight: g.weight,
      respondents: n,
      suppressed,
      score: suppressed ? null : figures.score,
      satisfaction: suppressed ? null : figures.satisfaction,
      dimensions: suppressed ? null : figures.dimensions,
    };
  });
  const composite = weightedComposite(results.map((g) => ({ name: g.name, weight: g.weight, score: g.score })));
  const satisfaction = weightedComposite(results.map((g) => ({ name: g.name, weight: g.weight, score: g.satisfaction })));
  const dimensionNames = [...new Set(results.flatMap((g) => Object.keys(g.dimensions ?? {})))];
  const dimensions = Object.fromEntries(
    dimensionNames.map((d) => [d, weightedComposite(results.map((g) => ({ name: g.name, weight: g.weight, score: g.dimensions?.[d] ?? null }))).score]),
  );
  const [sum, squares, count] = moments;
  const variance = count > 1 ? (squares - (sum * sum) / count) / (count - 1) : null;
  return {
    ...base,
    suppressed: false,
    score: composite.score,
    satisfaction: satisfaction.score,
    scoreCi95: composite.score !== null && variance !== null ? intervalOf(respondents, composite.score, Math.sqrt(Math.max(variance, 0))) : null,
    satisfactionCi95: satisfaction.score !== null ? wilsonInterval(satisfaction.score, respondents) : null,
    dimensions,
    renormalised: composite.renormalised,
    missingGroups: composite.missing,
    groups: results,
    variance,
  };
}

/** Per-item statistics of one subject: every scored or choice question and matrix row. */
export function itemResults(records: readonly CountRecord[], meta: RoundMeta, view: View) {
  const formGroup = new Map(meta.forms.map((f) => [f.id, f.raterGroupId]));
  const out = [];
  for (const item of groupItems(records).values()) {
    const q = questionOf(meta, item.formId, item.question);
    const groupId = formGroup.get(item.formId)!;
    if (!q || q.role || FREE_TEXT.has(q.type)) continue;
    if (view.raterGroupId && groupId !== view.raterGroupId) continue;
    if (view.dimension && item.dimension !== view.dimension) continue;
    const groupRespondents = respondentCount(
      records.filter((r) => formGroup.get(r.formId) === groupId),
      'valid',
    );
    const stats = questionStats(item.rows, { trim: meta.config.trim, numerator: numeratorOf(q, meta.config) });
    const suppressed = view.suppressBelow !== null && (groupRespondents < view.suppressBelow || stats.answered < view.suppressBelow);
    const rowText = q.rows?.find((r) => r.value === item.row)?.text;
    out.push({
      formId: item.formId,
      raterGroupId: groupId,
      question: item.question,
      row: item.row,
      title: rowText ? `${q.title ?? q.name} · ${rowText}` : (q.title ?? q.name),
      dimension: item.dimension,
      choices: q.choices ?? [],
      suppressed,
      stats: suppressed ? null : stats,
    });
  }
  return out;
}

/** 等次 vote counts and shares per rater group (valid ballots only). */
export function gradeVotes(records: readonly CountRecord[], meta: RoundMeta, view: View) {
  const formGroup = new Map(meta.forms.map((f) => [f.id, f.raterGroupId]));
  const out = [];
  for (const item of groupItems(records).values()) {
    const q = questionOf(meta, item.formId, item.question);
    const groupId = formGroup.get(item.formId)!;
    if (q?.role !== 'grade_vote') continue;
    if (view.raterGroupId && groupId !== view.raterGroupId) continue;
    const total = item.rows.reduce((s, r) => s + (r.excluded ? 0 : r.n), 0);
    const suppressed = view.suppressBelow !== null && total < view.suppressBelow;
    const scale = q.choices?.length ? q.choices : [...new Set(item.rows.map((r) => r.value))].map((v) => ({ value: v, text: v }));
    out.push({
      raterGroupId: groupId,
      question: item.question,
      suppressed,
      votes: suppressed
        ? null
        : scale.map((c) => {
            const count = item.rows.filter((r) => r.value === c.value).reduce((s, r) => s + r.n, 0);
            return { value: c.value, text: c.text, count, share: total ? round(count / total) : 0 };
          }),
    });
  }
  return out;
}
