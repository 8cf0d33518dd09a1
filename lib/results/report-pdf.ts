import { chartTable, differenceFromMean, formatInterval, formatValue, type ChartSpec } from '@/lib/charts/datasets';
import { A4, CJK, MM, newPdf } from '@/lib/pdf/document';
import type { RoundResults, Summary } from '@/lib/scoring/schemas';

/**
 * The school and teacher reports (and the district overview) as a PDF download beside the print
 * view: the figures as released to the caller (the same `getRoundResults` answer as the page and
 * the xlsx), each with its 95% interval and n, and the differences from the district mean as
 * diverging bars drawn in vector with their intervals, the table beneath. Suppressed cells read
 * 样本不足 and have no bar. Simplified Chinese, like the printed report.
 */
const SUPPRESSED = '样本不足';
const MARGIN = 18 * MM;
const WIDTH = A4.width - 2 * MARGIN;
const BOTTOM = A4.height - MARGIN;

type Doc = PDFKit.PDFDocument;

function ensureRoom(doc: Doc, height: number) {
  if (doc.y + height > BOTTOM) {
    doc.addPage();
    doc.y = MARGIN;
  }
}

function heading(doc: Doc, text: string) {
  ensureRoom(doc, 40);
  doc.moveDown(0.6).font(CJK).fontSize(13).fillColor('#000').text(text, MARGIN, doc.y, { width: WIDTH });
  doc.moveDown(0.3);
}

/** A table: the first column left, the others right-aligned; rows break across pages with their header. */
function table(doc: Doc, columns: string[], rows: string[][], widths: number[]) {
  const rowHeight = 16;
  const header = () => {
    doc.font(CJK).fontSize(8.5).fillColor('#333');
    let x = MARGIN;
    const y = doc.y;
    columns.forEach((c, i) => {
      doc.text(c, x + 2, y + 3, { width: widths[i]! - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, height: rowHeight });
      x += widths[i]!;
    });
    doc.moveTo(MARGIN, y + rowHeight).lineTo(MARGIN + WIDTH, y + rowHeight).lineWidth(0.6).strokeColor('#333').stroke();
    doc.y = y + rowHeight;
  };
  ensureRoom(doc, rowHeight * 2);
  header();
  for (const row of rows) {
    if (doc.y + rowHeight > BOTTOM) {
      doc.addPage();
      doc.y = MARGIN;
      header();
    }
    const y = doc.y;
    let x = MARGIN;
    doc.font(CJK).fontSize(9).fillColor('#000');
    row.forEach((cell, i) => {
      doc.fillColor(cell === SUPPRESSED ? '#8a1c14' : '#000').text(cell, x + 2, y + 3, { width: widths[i]! - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, height: rowHeight, ellipsis: true });
      x += widths[i]!;
    });
    doc.moveTo(MARGIN, y + rowHeight).lineTo(MARGIN + WIDTH, y + rowHeight).lineWidth(0.3).strokeColor('#bbb').stroke();
    doc.y = y + rowHeight;
  }
  doc.fillColor('#000');
}

/** Respondents, score and 满意率 with their 95% intervals, one row per summary. */
function summaryTable(doc: Doc, rows: { label: string; s: Summary | null }[]) {
  const w = [WIDTH * 0.28, WIDTH * 0.1, WIDTH * 0.1, WIDTH * 0.17, WIDTH * 0.13, WIDTH * 0.22];
  table(
    doc,
    ['', 'n', '得分', '95% 区间', '满意率', '95% 区间'],
    rows.map(({ label, s }) =>
      !s || s.suppressed
        ? [label, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED]
        : [label, String(s.respondents ?? '—'), formatValue(s.score, false) ?? '—', formatInterval(s.scoreCi95, false) ?? '—', formatValue(s.satisfaction, true) ?? '—', formatInterval(s.satisfactionCi95, true) ?? '—'],
    ),
    w,
  );
}

/** Diverging horizontal bars around 0 with interval whiskers, names and n on the left. */
function divergingBars(doc: Doc, spec: ChartSpec) {
  const data = spec.datasets[0]!;
  const rowH = 14;
  const labelW = WIDTH * 0.32;
  const plotX = MARGIN + labelW;
  const plotW = WIDTH - labelW;
  const reach = Math.max(1, ...data.data.map((v, i) => Math.max(Math.abs(v ?? 0), ...(data.errors?.[i] ?? [0]).map(Math.abs))));
  const scale = plotW / 2 / (reach * 1.1);
  const zero = plotX + plotW / 2;
  const height = rowH * spec.labels.length + 18;
  ensureRoom(doc, Math.min(height, 200));
  let y = doc.y;
  const axis = (top: number, bottom: number) => doc.moveTo(zero, top).lineTo(zero, bottom).lineWidth(0.8).strokeColor('#333').stroke();
  let top = y;
  spec.labels.forEach((label, i) => {
    if (y + rowH > BOTTOM) {
      axis(top, y);
      doc.addPage();
      y = top = MARGIN;
    }
    const n = spec.n?.[i];
    const name = data.suppressed?.[i] ? `${label}（${SUPPRESSED}）` : n === null || n === undefined ? label : `${label}（n=${n}）`;
    doc.font(CJK).fontSize(8).fillColor('#000').text(name, MARGIN, y + 3, { width: labelW - 6, align: 'right', lineBreak: false, height: rowH, ellipsis: true });
    const v = data.data[i];
    if (v !== null && v !== undefined && !data.suppressed?.[i]) {
      const x0 = v >= 0 ? zero : zero + v * scale;
      doc.rect(x0, y + 3, Math.abs(v) * scale, rowH - 6).fill(v >= 0 ? '#0072B2' : '#D55E00');
      const ci = data.errors?.[i];
      if (ci) {
        const [a, b] = [zero + ci[0] * scale, zero + ci[1] * scale];
        const mid = y + rowH / 2;
        doc.moveTo(a, mid).lineTo(b, mid).moveTo(a, mid - 3).lineTo(a, mid + 3).moveTo(b, mid - 3).lineTo(b, mid + 3).lineWidth(0.8).strokeColor('#222').stroke();
      }
    }
    y += rowH;
  });
  axis(top, y);
  doc.font(CJK).fontSize(7).fillColor('#555');
  for (const t of [-reach, 0, reach]) {
    const label = formatValue(Math.round(t * 10) / 10, false, true)!;
    doc.text(label, zero + t * scale - 20, y + 2, { width: 40, align: 'center', lineBreak: false });
  }
  doc.fillColor('#000');
  doc.y = y + 14;
}

function chartWithTable(doc: Doc, spec: ChartSpec) {
  heading(doc, spec.title);
  divergingBars(doc, spec);
  const t = chartTable(spec);
  const w = [WIDTH * 0.4, WIDTH * 0.2, WIDTH * 0.28, WIDTH * 0.12];
  table(doc, ['', ...t.columns], t.rows.map((r) => [r.label, ...r.cells.map((c) => ('suppressed' in c ? SUPPRESSED : 'empty' in c ? '—' : c.text))]), w);
}

const LABELS = { mean: '学区平均', interval: '95% 区间', n: '人数', series: '与学区平均之差' };

/** The report of a results answer at its level, as a stream. */
export function resultsPdf(results: RoundResults): PDFKit.PDFDocument {
  const r = results.round;
  const who = results.level === 'school' ? results.school?.name : results.level === 'subject' ? results.subject?.name : '学区';
  const title = `${r.title} · ${who ?? ''}`;
  const doc = newPdf({ title });
  doc.y = MARGIN;
  doc.font(CJK).fontSize(16).text(title, MARGIN, MARGIN, { width: WIDTH });
  doc.fontSize(9).fillColor('#555').text(`${r.schoolYear} 第${r.term}学期 · ${r.raterGroups.map((g) => `${g.name} ${g.weight}%`).join(' · ')} · 95% 区间：满意率 Wilson，得分 t`, { width: WIDTH });
  doc.fillColor('#000');
  if (results.level === 'subject') {
    heading(doc, '本人与学校、学区');
    summaryTable(doc, [
      { label: results.subject?.name ?? '', s: results.subject },
      { label: results.school?.name ?? '学校', s: results.school },
      { label: '学区', s: results.district },
    ]);
  } else if (results.level === 'school') {
    heading(doc, '学校与学区');
    summaryTable(doc, [
      { label: results.school?.name ?? '', s: results.school },
      { label: '学区', s: results.district },
    ]);
    const subjects = results.subjects.filter((s) => s.key !== results.school?.key);
    if (subjects.length) chartWithTable(doc, differenceFromMean(subjects, results.district, 'score', { ...LABELS, title: '教师得分与学区平均之差（95% 区间）' }));
  } else {
    heading(doc, '学区与各校');
    summaryTable(doc, [{ label: '学区', s: results.district }, ...results.schools.map((s) => ({ label: s.name, s }))]);
    chartWithTable(doc, differenceFromMean(results.schools, results.district, 'satisfaction', { ...LABELS, title: '各校满意率与学区平均之差（百分点，95% 区间）' }));
    chartWithTable(doc, differenceFromMean(results.schools, results.district, 'score', { ...LABELS, title: '各校得分与学区平均之差（95% 区间）' }));
  }
  doc.end();
  return doc;
}
