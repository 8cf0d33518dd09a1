/**
 * xlsx downloads: the 考核登记表 of each staff member (one sheet each: components with value,
 * weight, source and n, composite, proposal, grade, sign-off and reason) and a summary of a unit.
 * Cells are written as values (strings stay text), so nothing in them can run as a formula.
 */
import ExcelJS from 'exceljs';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translate';
import { listAssessments } from './queries';

type Row = Awaited<ReturnType<typeof listAssessments>>['rows'][number];

function sheetName(taken: Set<string>, base: string): string {
  // Excel: at most 31 characters, none of : \ / ? * [ ], unique in the workbook
  const clean = base.replace(/[:\\/?*[\]]/g, ' ').slice(0, 28);
  let name = clean;
  for (let i = 2; taken.has(name); i++) name = `${clean}-${i}`;
  taken.add(name);
  return name;
}

export async function assessmentWorkbook(db: Db, scope: Scope, yearId: string, kind: 'summary' | 'register', locale: Locale, staffId?: string) {
  const { year, rows } = await listAssessments(db, scope, yearId);
  const t = translator(locale);
  const g = (x: string | null) => (x ? t(`assessment.grades.${x}`) : '');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pingyi';
  const taken = new Set<string>();
  if (kind === 'summary') {
    const ws = wb.addWorksheet(sheetName(taken, t('assessment.export.summarySheet')));
    ws.addRow([year.title]).font = { bold: true };
    // staff, then the graded units (学校目标责任制考核): each block with its own components
    for (const block of [rows.filter((r) => r.subject === 'staff'), rows.filter((r) => r.subject === 'unit')]) {
      if (!block.length) continue;
      if (block[0]!.subject === 'unit') ws.addRow([t('assessment.unitGraded')]).font = { bold: true };
      const components = block[0]!.a.components;
      ws.addRow([t('assessment.export.unit'), t('assessment.export.staffNo'), t('assessment.export.name'), t('assessment.export.position'), ...components.map((c) => `${c.name} (${c.weight}%)`), t('assessment.export.composite'), t('assessment.export.rank'), t('assessment.export.proposed'), t('assessment.export.grade'), t('assessment.export.reason')]).font = { bold: true };
      for (const r of block) {
        ws.addRow([r.unitName, r.staffNo, r.name, r.position, ...r.a.components.map((c) => (c.withheld ? t('assessment.withheld') : (c.value ?? ''))), r.a.compositeScore ?? '', r.a.rank ?? '', g(r.a.proposedGrade), g(r.a.grade), r.a.reason ?? '']);
      }
    }
    ws.columns.forEach((col) => (col.width = 14));
  } else {
    const picked = staffId ? rows.filter((r) => r.a.staffId === staffId) : rows;
    for (const r of picked) registerSheet(wb.addWorksheet(sheetName(taken, `${r.name}${r.staffNo}`)), year.title, r, t, g);
    if (!picked.length) wb.addWorksheet(t('assessment.export.registerSheet'));
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

function registerSheet(ws: ExcelJS.Worksheet, title: string, r: Row, t: ReturnType<typeof translator>, g: (x: string | null) => string) {
  ws.addRow([`${title} ${t('assessment.export.registerSheet')}`]).font = { bold: true, size: 14 };
  ws.addRow([t('assessment.export.name'), r.name, t('assessment.export.staffNo'), r.staffNo]);
  ws.addRow([t('assessment.export.unit'), r.unitName, t('assessment.export.position'), r.position]);
  ws.addRow([]);
  ws.addRow([t('assessment.export.component'), t('assessment.export.value'), t('assessment.export.weight'), t('assessment.export.source'), 'n']).font = { bold: true };
  for (const c of r.a.components) ws.addRow([c.name, c.withheld ? t('assessment.withheld') : (c.value ?? '—'), `${c.weight}%`, c.source, c.n ?? '—']);
  ws.addRow([]);
  ws.addRow([t('assessment.export.composite'), r.a.compositeScore ?? '—', t('assessment.export.rank'), r.a.rank ?? '—']);
  if (r.a.renormalised.length) ws.addRow([t('assessment.export.renormalised'), r.a.renormalised.join('、')]);
  ws.addRow([t('assessment.export.proposed'), g(r.a.proposedGrade), t('assessment.export.grade'), g(r.a.grade)]);
  ws.addRow([t('assessment.export.reason'), r.a.reason ?? '']);
  ws.addRow([t('assessment.export.signedBy'), r.a.signedByLabel ?? '', t('assessment.export.signedAt'), r.a.signedAt ? r.a.signedAt.toISOString() : '']);
  ws.columns.forEach((col) => (col.width = 18));
}
