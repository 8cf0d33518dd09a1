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
import { useEffect, useRef } from 'react';
import { chartTable, formatValue, type ChartSpec } from '@/lib/charts/datasets';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, RadarController, RadialLinearScale, Filler, Legend, Tooltip);

// colour-blind-safe palette (Okabe–Ito), readable on a projector and in print
const COLORS = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

function config(spec: ChartSpec): ChartConfiguration {
  const percent = Boolean(spec.percent);
  const tick = (v: number | string) => (percent ? `${Math.round(Number(v) * 100)}%` : String(v));
  const datasets = spec.datasets.map((d, i) => {
    const color = COLORS[i % COLORS.length]!;
    const line = spec.kind === 'line' || d.type === 'line';
    return {
      label: d.label,
      data: d.data,
      ...(spec.kind === 'bar' && d.type ? { type: d.type } : {}),
      backgroundColor: spec.kind === 'radar' ? `${color}33` : color,
      borderColor: color,
      borderWidth: line || spec.kind === 'radar' ? 2 : 0,
      pointRadius: line ? (spec.kind === 'line' ? 3 : 0) : 3,
      fill: spec.kind === 'radar',
      spanGaps: true,
      order: line && spec.kind === 'bar' ? 0 : 1,
    };
  });
  const valueAxis = { min: spec.min, max: spec.max, stacked: spec.stacked, ticks: { callback: tick, font: { family: FONT } } };
  const categoryAxis = { stacked: spec.stacked, ticks: { font: { family: FONT }, autoSkip: false, maxRotation: 45 } };
  return {
    type: spec.kind,
    data: { labels: spec.labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      // the report is printed: no animation that a print could catch half-way
      animation: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      plugins: {
        legend: { position: 'bottom', labels: { font: { family: FONT, size: 13 } } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}：${formatValue(c.raw as number | null, percent) ?? '—'}` } },
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
    const chart = new Chart(canvas.current, config(spec));
    return () => chart.destroy();
  }, [spec]);
  const table = chartTable(spec);
  const rows = spec.horizontal ? Math.max(spec.labels.length, 3) : 0;
  return (
    <figure className="chart">
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
