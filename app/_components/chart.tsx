'use client';

/**
 * One chart.js chart with its data as a real table beneath (for screen readers, for copying, and
 * as the figures a printed report keeps). Only the controllers and elements we draw are
 * registered, so the bundle carries bar, line and radar and nothing else.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  RadarController,
  RadialLinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { BarWithErrorBar, BarWithErrorBarsController } from 'chartjs-chart-error-bars';
import { useEffect, useRef } from 'react';
import { chartTable, formatInterval, formatValue, type ChartSpec } from '@/lib/charts/datasets';

Chart.register(BarController, BarElement, BarWithErrorBarsController, BarWithErrorBar, CategoryScale, LinearScale, LineController, LineElement, PointElement, RadarController, RadialLinearScale, Filler, Legend, Tooltip);

// colour-blind-safe palette (Okabe–Ito), readable on a projector and in print
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

/** A category's name on the chart: n beside it, or the suppression mark instead of a bar. */
function axisLabel(spec: ChartSpec, i: number, suppressedText: string): string {
  const name = spec.labels[i]!;
  if (spec.datasets[0]?.suppressed?.[i]) return `${name}（${suppressedText}）`;
  const n = spec.n?.[i];
  return n === null || n === undefined ? name : `${name}（n=${n}）`;
}

function config(spec: ChartSpec, suppressedText: string): ChartConfiguration {
  const percent = Boolean(spec.percent);
  const tick = (v: number | string) => (percent ? `${Math.round(Number(v) * 100)}%` : spec.signed && Number(v) > 0 ? `+${v}` : String(v));
  const errorBars = spec.kind === 'bar' && spec.datasets.some((d) => d.errors);
  const labels = spec.n || spec.datasets[0]?.suppressed ? spec.labels.map((_, i) => axisLabel(spec, i, suppressedText)) : spec.labels;
  const [indexKey, valueKey] = spec.horizontal ? ['y', 'x'] : ['x', 'y'];
  const datasets = spec.datasets.map((d, i) => {
    const color = COLORS[i % COLORS.length]!;
    const line = spec.kind === 'line' || d.type === 'line';
    // with error bars, a value is a point { x: category, y: value, yMin, yMax } (x and y swapped when horizontal)
    const data =
      errorBars && !line
        ? d.data.map((v, j) => {
            const ci = d.errors?.[j];
            return v === null ? null : { [indexKey]: labels[j], [valueKey]: v, [`${valueKey}Min`]: ci ? ci[0] : v, [`${valueKey}Max`]: ci ? ci[1] : v };
          })
        : d.data;
    // diverging: above the reference in blue, below in vermillion (Okabe–Ito, safe for colour blindness)
    const background = spec.diverging ? d.data.map((v) => ((v ?? 0) >= 0 ? COLORS[0]! : COLORS[3]!)) : spec.kind === 'radar' ? `${color}33` : color;
    return {
      label: d.label,
      data,
      ...(spec.kind === 'bar' && d.type ? { type: line ? 'line' : errorBars ? 'barWithErrorBars' : d.type } : {}),
      backgroundColor: background,
      borderColor: spec.diverging ? background : color,
      borderWidth: line || spec.kind === 'radar' ? 2 : 0,
      pointRadius: line ? (spec.kind === 'line' ? 3 : 0) : 3,
      fill: spec.kind === 'radar',
      spanGaps: true,
      order: line && spec.kind === 'bar' ? 0 : 1,
      ...(errorBars && !line ? { errorBarColor: '#222', errorBarWhiskerColor: '#222', errorBarLineWidth: 1.5, errorBarWhiskerLineWidth: 1.5, errorBarWhiskerRatio: 0.3 } : {}),
    };
  });
  // a diverging axis is centred on 0, wide enough for every interval
  const reach = spec.diverging ? Math.max(1, ...spec.datasets.flatMap((d) => d.data.map((v, j) => Math.max(Math.abs(v ?? 0), ...(d.errors?.[j] ?? [0]).map(Math.abs))))) : 0;
  const bounds = spec.diverging ? { min: -Math.ceil(reach * 1.1), max: Math.ceil(reach * 1.1) } : { min: spec.min, max: spec.max };
  const valueAxis = {
    ...bounds,
    stacked: spec.stacked,
    ticks: { callback: tick, font: { family: FONT } },
    ...(spec.diverging ? { grid: { color: (c: { tick: { value: number } }) => (c.tick.value === 0 ? '#333' : 'rgba(0,0,0,0.1)'), lineWidth: (c: { tick: { value: number } }) => (c.tick.value === 0 ? 1.5 : 1) } } : {}),
  };
  const categoryAxis = { stacked: spec.stacked, ticks: { font: { family: FONT }, autoSkip: false, maxRotation: 45 } };
  const interval = (i: number, j: number) => formatInterval(spec.datasets[i]?.errors?.[j], percent, spec.signed);
  return {
    type: errorBars ? 'barWithErrorBars' : spec.kind,
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // the report is printed: no animation that a print could catch half-way
      animation: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      plugins: {
        legend: { display: !spec.diverging, position: 'bottom', labels: { font: { family: FONT, size: 13 } } },
        tooltip: {
          callbacks: {
            label: (c) => {
              const v = spec.datasets[c.datasetIndex]?.data[c.dataIndex] ?? null;
              const ci = interval(c.datasetIndex, c.dataIndex);
              return `${c.dataset.label}：${formatValue(v, percent, spec.signed) ?? '—'}${ci ? `（95%：${ci}）` : ''}`;
            },
          },
        },
      },
      scales:
        spec.kind === 'radar'
          ? { r: { min: spec.min, max: spec.max, pointLabels: { font: { family: FONT, size: 13 } }, ticks: { backdropColor: 'transparent' } } }
          : spec.horizontal
            ? { x: valueAxis, y: categoryAxis }
            : { x: categoryAxis, y: valueAxis },
    },
  } as ChartConfiguration;
}

export function ChartView({ spec, suppressedText, height = 320 }: { spec: ChartSpec; suppressedText: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config(spec, suppressedText));
    return () => chart.destroy();
  }, [spec, suppressedText]);
  const table = chartTable(spec);
  const rows = spec.horizontal ? Math.max(spec.labels.length, 3) : 0;
  return (
    // the figure scrolls when its table is wider than a phone: focusable, so the keyboard can scroll it
    // (axe scrollable-region-focusable)
    <figure className="chart" tabIndex={0} aria-label={spec.title}>
      <figcaption>{spec.title}</figcaption>
      <div className="chart-canvas" style={{ height: spec.horizontal ? Math.max(height, rows * 36 + 80) : height }}>
        <canvas ref={canvas} role="img" aria-label={spec.title} data-chart={spec.kind} />
      </div>
      <table className="chart-table">
        <thead>
          <tr>
            <th scope="col" />
            {table.columns.map((c) => (
              <th key={c} scope="col" className="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={`${r.label}-${i}`}>
              <th scope="row">{r.label}</th>
              {r.cells.map((c, j) => (
                <td key={j} className="num">
                  {'suppressed' in c ? <span className="suppressed">{suppressedText}</span> : 'empty' in c ? '—' : c.text}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
