/** The ledger as xlsx in the usual columns of a 整改台帐 (序号, 存在问题, 整改措施, 整改目标, 整改时限, 责任人, 整改进展, 整改效果, 是否销号). */
import ExcelJS from 'exceljs';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import type { Locale } from '@/lib/i18n/config';
import { translator } from '@/lib/i18n/translate';
import { safeRow } from '@/lib/spreadsheet';
import { ledgerRowsForExport } from './ledger';

export const LEDGER_COLUMNS = ['seq', 'problem', 'measure', 'target', 'dueOn', 'responsible', 'progress', 'effect', 'verified'] as const;

export async function ledgerWorkbook(db: Db, scope: Scope, q: { unitId?: string; campaignId?: string }, locale: Locale, now = new Date()) {
  const t = translator(locale);
  const rows = await ledgerRowsForExport(db, scope, q, now);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t('ledger.export.sheet'));
  const manySchools = new Set(rows.map((r) => r.unitId)).size > 1;
  const header = LEDGER_COLUMNS.map((c) => t(`ledger.export.${c}`));
  ws.addRow(manySchools ? [header[0], t('ledger.export.school'), ...header.slice(1)] : header);
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    // 整改进展: the dated notes, oldest first, plus the current status (and 已超期)
    const progress = [
      ...r.notes.filter((n) => n.body && n.status !== 'verified').map((n) => `${n.at.toISOString().slice(0, 10)} ${n.body}`),
      `${t(`ledger.statuses.${r.status}`)}${r.overdue ? `（${t('ledger.overdue')}）` : ''}`,
    ].join('\n');
    const cells = [r.seq, r.problem, r.measure, r.target, r.dueOn, r.responsibleName ?? '', progress, r.effect ?? '', r.status === 'verified' ? t('ledger.export.yes') : t('ledger.export.no')];
    ws.addRow(safeRow(manySchools ? [cells[0]!, r.unitName, ...cells.slice(1)] : cells));
  }
  ws.columns.forEach((col, i) => (col.width = i === 0 ? 6 : 22));
  ws.eachRow((row) => (row.alignment = { wrapText: true, vertical: 'top' }));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
