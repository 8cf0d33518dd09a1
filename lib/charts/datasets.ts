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
  /** the 95% interval of each value, drawn as an error bar and written in the table */
  errors?: ([number, number] | null)[];
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
  /** respondents behind each label, written beside it on the chart and in the table */
  n?: (number | null)[];
  /** differences from a reference: bars above it and below it in two colours, the axis centred on 0 */
  diverging?: boolean;
  /** values written with a sign (+2.3, −1.5) */
  signed?: boolean;
  /** table headings of the interval and n columns */
  columns?: { interval: string; n: string };
}

export interface FigureLabels {
  title: string;
  series: string;
  mean: string;
  interval: string;
  n: string;
}

type Figure = 'satisfaction' | 'score';

const valueOf = (s: Pick<Summary, 'suppressed' | 'satisfaction' | 'score'> | null | undefined, figure: Figure) =>
  !s || s.suppressed ? null : s[figure];

const intervalOf = (s: Pick<Summary, 'suppressed' | 'scoreCi95' | 'satisfactionCi95'> | null | undefined, figure: Figure) =>
  !s || s.suppressed ? null : figure === 'satisfaction' ? s.satisfactionCi95 : s.scoreCi95;

type Ranked = Pick<Summary, 'name' | 'suppressed' | 'respondents' | 'satisfaction' | 'score' | 'scoreCi95' | 'satisfactionCi95'>;

/** Highest first; suppressed cells and cells without a figure last, in their given order. */
export function sortByFigure<S extends Ranked>(rows: readonly S[], figure: Figure): S[] {
  return rows
    .map((row, i) => ({ row, i, v: valueOf(row, figure) }))
    .sort((a, b) => (a.v === null ? (b.v === null ? a.i - b.i : 1) : b.v === null ? -1 : b.v - a.v || a.i - b.i))
    .map((x) => x.row);
}

/**
 * 满意率 (or score) per school as bars, highest first, each with its 95% interval as an error bar
 * and n beside its name, and the district figure as a flat line across them.
 */
export function bySchool(results: { schools: readonly Ranked[]; district: Ranked | null }, figure: Figure, labels: FigureLabels): ChartSpec {
  const schools = sortByFigure(results.schools, figure);
  const mean = valueOf(results.district, figure);
  return {
    kind: 'bar',
    title: labels.title,
    labels: schools.map((s) => s.name),
    n: schools.map((s) => (s.suppressed ? null : s.respondents)),
    datasets: [
      {
        label: labels.series,
        type: 'bar',
        data: schools.map((s) => valueOf(s, figure)),
        suppressed: schools.map((s) => s.suppressed),
        errors: schools.map((s) => intervalOf(s, figure)),
      },
      { label: labels.mean, type: 'line', data: schools.map(() => mean) },
    ],
    percent: figure === 'satisfaction',
    max: figure === 'satisfaction' ? 1 : 100,
    min: 0,
    columns: { interval: labels.interval, n: labels.n },
  };
}

/**
 * Each school's (or teacher's) difference from the reference (the district mean), highest first,
 * as diverging horizontal bars with the 95% interval of the figure shifted by the same amount: a
 * bar whose interval crosses 0 is not told apart from the mean. Shares are in percentage points.
 * The differences that chart bars at 89% on a 0–100% axis hide are what this one shows.
 */
export function differenceFromMean(rows: readonly Ranked[], reference: Ranked | null, figure: Figure, labels: FigureLabels): ChartSpec {
  const sorted = sortByFigure(rows, figure);
  const mean = valueOf(reference, figure);
  const scale = figure === 'satisfaction' ? 100 : 1;
  const diff = (v: number | null) => (v === null || mean === null ? null : round3((v - mean) * scale));
  return {
    kind: 'bar',
    title: labels.title,
    labels: sorted.map((s) => s.name),
    n: sorted.map((s) => (s.suppressed ? null : s.respondents)),
    datasets: [
      {
        label: labels.series,
        type: 'bar',
        data: sorted.map((s) => diff(valueOf(s, figure))),
        suppressed: sorted.map((s) => s.suppressed),
        errors: sorted.map((s) => {
          const ci = intervalOf(s, figure);
          return ci && mean !== null ? [diff(ci[0])!, diff(ci[1])!] : null;
        }),
      },
    ],
    horizontal: true,
    diverging: true,
    signed: true,
    columns: { interval: labels.interval, n: labels.n },
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

/** How a value is written in the table under a chart (and on the pages): 87.5% or 86.3 (+2.1 signed). */
export function formatValue(v: number | null, percent: boolean | undefined, signed = false): string | null {
  if (v === null || Number.isNaN(v)) return null;
  const text = percent ? `${(Math.round(v * 1000) / 10).toFixed(1)}%` : (Math.round(v * 10) / 10).toFixed(1);
  if (!signed) return text;
  if (/^-?0\.0%?$/.test(text)) return text.replace(/^-/, '');
  return v > 0 ? `+${text}` : text.replace(/^-/, '−');
}

/** A 95% interval as the table writes it: 84.2–91.0, or 81.3%–92.4%. */
export function formatInterval(ci: [number, number] | null | undefined, percent: boolean | undefined, signed = false): string | null {
  if (!ci) return null;
  return `${formatValue(ci[0], percent, signed)} – ${formatValue(ci[1], percent, signed)}`;
}

type Cell = { text: string } | { suppressed: true } | { empty: true };

/**
 * The table beneath a chart: one row per label, one column per dataset (followed by its 95%
 * interval where it has one) and n last where the chart has it; a suppressed cell is
 * `{ suppressed: true }` and has no number.
 */
export function chartTable(spec: ChartSpec): { columns: string[]; rows: { label: string; cells: Cell[] }[] } {
  const columns: string[] = [];
  for (const d of spec.datasets) {
    columns.push(d.label);
    if (d.errors) columns.push(spec.columns?.interval ?? '95% CI');
  }
  if (spec.n) columns.push(spec.columns?.n ?? 'n');
  const text = (t: string | null): Cell => (t === null ? { empty: true } : { text: t });
  return {
    columns,
    rows: spec.labels.map((label, i) => {
      const cells: Cell[] = [];
      for (const d of spec.datasets) {
        const hidden = Boolean(d.suppressed?.[i]);
        cells.push(hidden ? { suppressed: true } : text(formatValue(d.data[i] ?? null, spec.percent, spec.signed)));
        if (d.errors) cells.push(hidden ? { suppressed: true } : text(formatInterval(d.errors[i], spec.percent, spec.signed)));
      }
      if (spec.n) cells.push(spec.datasets[0]?.suppressed?.[i] ? { suppressed: true } : text(spec.n[i] === null || spec.n[i] === undefined ? null : String(spec.n[i])));
      return { label, cells };
    }),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
