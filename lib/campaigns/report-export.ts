/**
 * The campaign report as an xlsx workbook and an A4 PDF, in Simplified Chinese like the other
 * printed reports: the same figures as the JSON answer (campaignReport), suppressed cells as
 * 样本不足, shares as percentages with one decimal, changes in percentage points.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { A4, MM, newPdf } from '@/lib/pdf/document';
import { safeRow } from '@/lib/spreadsheet';
import type { Change } from './compare';
import type { CampaignReport } from './report';

export const SUPPRESSED_TEXT = '样本不足';
const LEDGER = { open: '未开始', in_progress: '整改中', done: '已完成', verified: '已销号', reopened: '重新整改' } as Record<string, string>;
const CATEGORY = { slack: '庸懒散慢', fees: '乱收费', corporal: '体罚', attitude: '服务态度', other: '其他' } as Record<string, string>;
const COMMITMENT = { pending: '待审核', approved: '已公开', rejected: '退回', reported: '已报告履诺', fulfilled: '已履诺', unfulfilled: '未履诺' } as Record<string, string>;
const DIRECTION = { improved: '提升', declined: '下降', unchanged: '无显著变化' } as Record<string, string>;
const METHOD = '满意率之差：Newcombe 混合得分区间（基于 Wilson 区间）；得分之差：Welch t 区间；均为 95% 置信区间。';

type Cell = string | number | null;
type Figure = NonNullable<CampaignReport['comparison']>['schools'][number]['before'];

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);
const num = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const points = (c: Change | null) => (c ? `${c.diff >= 0 ? '+' : ''}${(c.diff * 100).toFixed(1)}` : '—');
const pointsCi = (c: Change | null) => (c ? `[${(c.ci95[0] * 100).toFixed(1)}, ${(c.ci95[1] * 100).toFixed(1)}]` : '—');
const scoreDiff = (c: Change | null) => (c ? `${c.diff >= 0 ? '+' : ''}${c.diff.toFixed(2)}` : '—');
const scoreCi = (c: Change | null) => (c ? `[${c.ci95[0].toFixed(2)}, ${c.ci95[1].toFixed(2)}]` : '—');
const sat = (f: Figure) => (!f ? '—' : f.suppressed ? SUPPRESSED_TEXT : pct(f.satisfaction));
const n = (f: Figure) => (!f ? '—' : f.suppressed ? SUPPRESSED_TEXT : String(f.n));

/** The rows of each section, shared by the workbook and the PDF. */
function sections(r: CampaignReport) {
  const out: { title: string; columns: string[]; rows: Cell[][]; widths: number[] }[] = [];
  for (const p of r.participation) {
    const groups = [...new Set(p.schools.flatMap((s) => s.groups.map((g) => g.name)))];
    out.push({
      title: `回收率 · ${p.title}`,
      columns: ['学校', '回收', '应收', '回收率', ...groups],
      widths: [0.3, 0.1, 0.1, 0.12, ...groups.map(() => 0.38 / Math.max(groups.length, 1))],
      rows: [
        ...p.schools.map((s): Cell[] => [
          s.schoolName, s.responses, s.expected, pct(s.rate),
          ...groups.map((g) => {
            const x = s.groups.find((y) => y.name === g);
            return x ? `${x.responses}/${x.expected}` : '—';
          }),
        ]),
        ['合计', p.responses, p.expected, pct(p.rate), ...groups.map(() => '')],
      ],
    });
  }
  const c = r.comparison;
  if (c && c.baseline && c.followUp) {
    const cols = ['', `前 n`, `前满意率`, `后 n`, `后满意率`, '变化(百分点)', '95% 区间', '得分变化', '95% 区间', '结论'];
    const widths = [0.2, 0.06, 0.08, 0.06, 0.08, 0.1, 0.13, 0.08, 0.13, 0.08];
    const row = (label: string, x: (typeof c.schools)[number] | (typeof c.items)[number]): Cell[] => [
      label, n(x.before), sat(x.before), n(x.after), sat(x.after), points(x.satisfaction), pointsCi(x.satisfaction), scoreDiff(x.score), scoreCi(x.score), x.direction ? DIRECTION[x.direction]! : '—',
    ];
    out.push({ title: `满意度前后对比（各校）· ${c.baseline.title} → ${c.followUp.title}`, columns: ['学校', ...cols.slice(1)], widths, rows: c.schools.map((s) => row(s.schoolName, s)) });
    out.push({ title: '满意度前后对比（各题）', columns: ['题目', ...cols.slice(1)], widths, rows: c.items.map((i) => row(`${i.group} · ${i.title}`, i)) });
    out.push({
      title: '提升与下降的学校（95% 区间不含 0）',
      columns: ['', '学校'],
      widths: [0.2, 0.8],
      rows: [['提升', c.improved.join('、') || '—'], ['下降', c.declined.join('、') || '—']],
    });
  }
  const l = r.ledger;
  out.push({
    title: '整改台帐',
    columns: ['项目', '数量'],
    widths: [0.6, 0.4],
    rows: [...Object.entries(l.byStatus).map(([k, v]): Cell[] => [LEDGER[k] ?? k, v]), ['合计', l.total], ['已到期', l.due], ['按期完成', l.onTime], ['按期完成率', pct(l.onTimeRate)]],
  });
  const q = r.complaints;
  out.push({
    title: '效能投诉',
    columns: ['项目', '数量'],
    widths: [0.6, 0.4],
    rows: [...Object.entries(q.byCategory).map(([k, v]): Cell[] => [CATEGORY[k] ?? k, v]), ['合计', q.total], ['已办结', q.closed], ['办结用时中位数（工作日）', q.medianWorkingDays === null ? '—' : num(q.medianWorkingDays)]],
  });
  const m = r.commitments;
  out.push({
    title: '公开承诺',
    columns: ['状态', '数量'],
    widths: [0.6, 0.4],
    rows: [...Object.entries(m.byStatus).map(([k, v]): Cell[] => [COMMITMENT[k] ?? k, v]), ['合计', m.total], ['已履诺', m.fulfilled]],
  });
  if (r.accountability) out.push({ title: '效能问责', columns: ['措施', '人次'], widths: [0.6, 0.4], rows: [...r.accountability.byType.map((t): Cell[] => [t.name, t.count]), ['合计', r.accountability.total]] });
  return out;
}

export async function reportWorkbook(r: CampaignReport): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pingyi';
  const used = new Set<string>();
  for (const s of sections(r)) {
    // sheet names: at most 31 characters, unique, none of []:*?/\
    let name = s.title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28);
    for (let i = 2; used.has(name); i++) name = `${name.slice(0, 26)}-${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow(safeRow(s.columns));
    // signed changes and plain figures are written as numbers (a text "+45.0" or "-62.5" would be escaped as a formula)
    for (const row of s.rows) ws.addRow(safeRow(row.map((c) => (typeof c === 'string' && /^[+-]?\d+(\.\d+)?$/.test(c) ? Number(c) : c))));
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((col, i) => (col.width = i === 0 ? 28 : 12));
  }
  const info = wb.addWorksheet('说明');
  info.addRow(safeRow([r.campaign.title, `${r.campaign.startsOn} – ${r.campaign.endsOn}`, r.campaign.unitName]));
  info.addRow([METHOD]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

const MARGIN = 18 * MM;
const WIDTH = A4.width - 2 * MARGIN;
const BOTTOM = A4.height - MARGIN;

export function reportPdf(r: CampaignReport): PDFKit.PDFDocument {
  const doc = newPdf({ title: `${r.campaign.title} 总结报告` });
  doc.fontSize(16).text(`${r.campaign.title} 总结报告`, MARGIN, MARGIN, { width: WIDTH });
  doc.fontSize(9).fillColor('#555').text(`${r.campaign.unitName} · ${r.campaign.startsOn} – ${r.campaign.endsOn} · ${METHOD}`, { width: WIDTH });
  doc.fillColor('#000');
  const rowHeight = 15;
  for (const s of sections(r)) {
    if (doc.y + 60 > BOTTOM) {
      doc.addPage();
      doc.y = MARGIN;
    }
    doc.moveDown(0.6).fontSize(12).text(s.title, MARGIN, doc.y, { width: WIDTH });
    doc.moveDown(0.3);
    const widths = s.widths.map((w) => w * WIDTH);
    const line = (cells: Cell[], size: number, color = '#000') => {
      if (doc.y + rowHeight > BOTTOM) {
        doc.addPage();
        doc.y = MARGIN;
      }
      const y = doc.y;
      let x = MARGIN;
      doc.fontSize(size);
      cells.forEach((c, i) => {
        const text = c === null ? '' : String(c);
        doc.fillColor(text === SUPPRESSED_TEXT ? '#8a1c14' : color).text(text, x + 2, y + 3, { width: widths[i]! - 4, align: i === 0 ? 'left' : 'right', lineBreak: false, height: rowHeight, ellipsis: true });
        x += widths[i]!;
      });
      doc.y = y + rowHeight;
    };
    line(s.columns, 7.5, '#333');
    doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + WIDTH, doc.y).lineWidth(0.5).strokeColor('#333').stroke();
    for (const row of s.rows) line(row, 8);
  }
  doc.fillColor('#000');
  doc.end();
  return doc;
}

/** The report as a download: xlsx or pdf. */
export async function reportDownload(r: CampaignReport, format: 'xlsx' | 'pdf'): Promise<Response> {
  const date = r.generatedAt.slice(0, 10);
  const name = `${r.campaign.title}-总结报告-${date}.${format}`;
  const headers = { 'content-disposition': `attachment; filename="campaign-report-${date}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`, 'cache-control': 'no-store' };
  if (format === 'pdf') return new Response(Readable.toWeb(reportPdf(r)) as ReadableStream<Uint8Array>, { headers: { ...headers, 'content-type': 'application/pdf' } });
  return new Response(Buffer.from(await reportWorkbook(r)), { headers: { ...headers, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
}
