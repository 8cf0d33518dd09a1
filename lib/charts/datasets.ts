/**
 * Chart datasets from round results: pure functions (no React, no database) that turn the scoring
 * engine's summaries into what chart.js draws and the table printed beneath each chart. A
 * suppressed cell becomes null: no bar, and "样本不足" in the table, never a number.
 */
import type { RoundResults, Summary } from '@/lib/scoring/schemas';

export type ChartKind = 'bar' | 'line' | 'radar';

export interface ChartDataset {
  label: string;
  /** null: no value (suppressed or no data) */
  data: (number | null)[];
  /** a line drawn over bars (the district mean) */
  type?: 'bar' | 'line';
  /** true where the value is held back below the anonymity threshold */
  suppressed?: boolean[];
}

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  labels: string[];
  datasets: ChartDataset[];
  /** values are shares 0..1 shown as percentages */
  percent?: boolean;
  /** bars stacked to 100% */
  stacked?: boolean;
  horizontal?: boolean;
  /** axis maximum (100 for scores, 1 for shares) */
  max?: number;
  min?: number;
}

type Figure = 'satisfaction' | 'score';

const valueOf = (s: Pick<Summary, 'suppressed' | 'satisfaction' | 'score'> | null | undefined, figure: Figure) =>
  !s || s.suppressed ? null : s[figure];

/** 满意率 (or score) per school as bars, with the district figure as a flat line across them. */
export function bySchool(results: Pick<RoundResults, 'schools' | 'district'>, figure: Figure, labels: { title: string; series: string; mean: string }): ChartSpec {
  const schools = results.schools;
  const mean = valueOf(results.district, figure);
  return {
    kind: 'bar',
    title: labels.title,
    labels: schools.map((s) => s.name),
    datasets: [
      { label: labels.series, type: 'bar', data: schools.map((s) => valueOf(s, figure)), suppressed: schools.map((s) => s.suppressed) },
      { label: labels.mean, type: 'line', data: schools.map(() => mean) },
    ],
    percent: figure === 'satisfaction',
    max: figure === 'satisfaction' ? 1 : 100,
    min: 0,
  };
}

/** A radar of dimension scores: the subject against its school and the district. */
export function dimensionRadar(title: string, dimensions: string[], series: { label: string; summary: Pick<Summary, 'dimensions' | 'suppressed'> | null }[]): ChartSpec {
  return {
    kind: 'radar',
    title,
    labels: dimensions,
    datasets: series.map(({ label, summary }) => ({
      label,
      data: dimensions.map((d) => (!summary || summary.suppressed ? null : (summary.dimensions?.[d] ?? null))),
      suppressed: dimensions.map(() => Boolean(summary?.suppressed)),
    })),
    max: 100,
    min: 0,
  };
}

/** The dimensions that any of these summaries has a figure for, in the round's order. */
export function dimensionsOf(order: string[], summaries: (Pick<Summary, 'dimensions'> | null)[]): string[] {
  const present = new Set(summaries.flatMap((s) => Object.entries(s?.dimensions ?? {}).filter(([, v]) => v !== null).map(([k]) => k)));
  return order.filter((d) => present.has(d));
}

/**
 * Answer distributions as 100% stacked bars, one bar per item and one segment per answer (满意 /
 * 基本满意 / 不满意 / 不了解, or 非常符合 … 很不符合), each the share of that item's answers.
 */
export function distributionBars(title: string, items: RoundResults['items']): ChartSpec {
  const choices: { value: string; text: string }[] = [];
  for (const item of items) for (const c of item.choices) if (!choices.some((x) => x.value === c.value)) choices.push(c);
  return {
    kind: 'bar',
    title,
    labels: items.map((i) => i.title),
    datasets: choices.map((c) => ({
      label: c.text,
      data: items.map((i) => {
        if (i.suppressed || !i.stats) return null;
        const total = Object.values(i.stats.distribution).reduce((s, n) => s + n, 0);
        return total ? round3((i.stats.distribution[c.value] ?? 0) / total) : null;
      }),
      suppressed: items.map((i) => i.suppressed),
    })),
    percent: true,
    stacked: true,
    horizontal: true,
    max: 1,
    min: 0,
  };
}

/** 等次 vote shares (优秀 / 称职 / 基本称职 / 不称职) per rater group. */
export function gradeShares(title: string, grades: RoundResults['grades'], groupName: (id: string) => string): ChartSpec {
  const values: { value: string; text: string }[] = [];
  for (const g of grades) for (const v of g.votes ?? []) if (!values.some((x) => x.value === v.value)) values.push({ value: v.value, text: v.text });
  return {
    kind: 'bar',
    title,
    labels: grades.map((g) => groupName(g.raterGroupId)),
    datasets: values.map((v) => ({
      label: v.text,
      data: grades.map((g) => (g.suppressed ? null : (g.votes?.find((x) => x.value === v.value)?.share ?? 0))),
      suppressed: grades.map((g) => g.suppressed),
    })),
    percent: true,
    stacked: true,
    horizontal: true,
    max: 1,
    min: 0,
  };
}

export interface TrendPoint {
  /** e.g. 2025-2026 第二学期 */
  label: string;
  values: Record<string, number | null>;
}

/** One line per series (a school, the district, a teacher) across rounds, oldest first. */
export function trendLines(title: string, points: TrendPoint[], percent: boolean): ChartSpec {
  const names: string[] = [];
  for (const p of points) for (const k of Object.keys(p.values)) if (!names.includes(k)) names.push(k);
  return {
    kind: 'line',
    title,
    labels: points.map((p) => p.label),
    datasets: names.map((n) => ({ label: n, data: points.map((p) => p.values[n] ?? null) })),
    percent,
    max: percent ? 1 : 100,
    min: 0,
  };
}

/** Response rate per school: received over expected. */
export function responseRateBars(title: string, label: string, perSchool: { schoolName: string; received: number; expected: number }[]): ChartSpec {
  return {
    kind: 'bar',
    title,
    labels: perSchool.map((s) => s.schoolName),
    datasets: [{ label, type: 'bar', data: perSchool.map((s) => (s.expected > 0 ? round3(s.received / s.expected) : null)) }],
    percent: true,
    max: 1,
    min: 0,
  };
}

/** How a value is written in the table under a chart (and on the pages): 87.5% or 86.3. */
export function formatValue(v: number | null, percent: boolean | undefined): string | null {
  if (v === null || Number.isNaN(v)) return null;
  return percent ? `${(Math.round(v * 1000) / 10).toFixed(1)}%` : (Math.round(v * 10) / 10).toFixed(1);
}

/**
 * The table beneath a chart: one row per label, one column per dataset; a suppressed cell is
 * `{ suppressed: true }` and has no number.
 */
export function chartTable(spec: ChartSpec): { columns: string[]; rows: { label: string; cells: ({ text: string } | { suppressed: true } | { empty: true })[] }[] } {
  return {
    columns: spec.datasets.map((d) => d.label),
    rows: spec.labels.map((label, i) => ({
      label,
      cells: spec.datasets.map((d) => {
        if (d.suppressed?.[i]) return { suppressed: true as const };
        const text = formatValue(d.data[i] ?? null, spec.percent);
        return text === null ? { empty: true as const } : { text };
      }),
    })),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
