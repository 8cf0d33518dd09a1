/**
 * 平时考核 and other manual entries, from the UI and API (JSON) or an uploaded xlsx/CSV sheet. Both
 * go through the same row checks; any bad row refuses the whole batch with every problem listed
 * (sheet, row, column) and nothing is written, as with roster imports.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { inArray, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { regularAssessments, staff } from '@/lib/db/schema';
import { ValidationError, type FieldIssue, type FileIssue } from '@/lib/errors';
import { decodeText, MAX_IMPORT_BYTES, MAX_ROWS, RosterImportError } from '@/lib/org/roster/read';
import { readWorkbook } from '@/lib/workbook';
import { parseStaffNo, parseText } from '@/lib/org/roster/cells';
import { parseInput } from '@/lib/validation';
import { assertDraft } from './mutations';
import { visibleYear, yearComponents } from './queries';
import { entriesInput } from './schemas';

export const ENTRY_SHEET = '平时考核';
export const ENTRY_COLUMNS = [
  { key: 'staffNo', header: '工号', required: true, example: 'XD0001' },
  { key: 'name', header: '姓名', example: '张老师' },
  { key: 'component', header: '考核项目', example: 'regular' },
  { key: 'period', header: '考核期间', required: true, example: '第一季度' },
  { key: 'score', header: '得分', example: '92' },
  { key: 'sanction', header: '处分', example: '' },
  { key: 'note', header: '备注', example: '' },
] as const;
type ColumnKey = (typeof ENTRY_COLUMNS)[number]['key'];

interface RawEntry {
  line: number;
  cells: Partial<Record<ColumnKey, string>>;
}

interface CheckedEntry {
  staffId: string;
  componentId: string;
  period: string;
  score: number | null;
  sanction: string | null;
  note: string;
}

const headerOf = (key: ColumnKey) => ENTRY_COLUMNS.find((c) => c.key === key)!.header;

/** Checks every row against the year's components and the caller's staff; returns rows or issues. */
async function checkRows(db: Db, scope: Scope, yearId: string, raw: RawEntry[]) {
  const components = (await yearComponents(db, yearId)).filter((c) => c.source === 'entries' && c.appliesTo === 'staff');
  const mine = await unitIdsInScope(db, scope);
  const numbers = [...new Set(raw.map((r) => r.cells.staffNo ?? '').filter(Boolean))];
  const known = numbers.length ? await db.select().from(staff).where(inArray(staff.staffNo, numbers)) : [];
  const byNo = new Map(known.map((s) => [s.staffNo, s]));
  const issues: FileIssue[] = [];
  const out: CheckedEntry[] = [];
  const seen = new Map<string, number>();
  for (const r of raw) {
    const issue = (key: ColumnKey, code: string, params?: Record<string, string | number>) => issues.push({ sheet: ENTRY_SHEET, row: r.line, column: headerOf(key), code, params });
    const before = issues.length;
    const no = parseStaffNo(r.cells.staffNo ?? '');
    const person = no.ok ? byNo.get(no.value) : undefined;
    if (!r.cells.staffNo) issue('staffNo', 'required');
    else if (!no.ok) issue('staffNo', no.error, { value: r.cells.staffNo });
    else if (!person) issue('staffNo', 'unknown_staff', { value: no.value });
    else if (!mine.includes(person.unitId)) issue('staffNo', 'staff_no_elsewhere', { value: no.value });
    else if (r.cells.name && r.cells.name.trim() !== person.name) issue('name', 'name_mismatch', { value: r.cells.name });
    const wanted = (r.cells.component ?? '').trim();
    const component = wanted ? components.find((c) => c.key === wanted || c.name === wanted) : components[0];
    if (!component) issue('component', 'unknown_component', { value: wanted });
    const period = parseText(r.cells.period ?? '', 20);
    if (!r.cells.period) issue('period', 'required');
    else if (!period.ok) issue('period', period.error, period.params);
    const scoreText = (r.cells.score ?? '').trim();
    const score = scoreText === '' ? null : Number(scoreText);
    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 100)) issue('score', 'score_range', { value: scoreText });
    const sanction = (r.cells.sanction ?? '').trim() || null;
    if (sanction && sanction.length > 20) issue('sanction', 'too_long', { max: 20 });
    if (score === null && !sanction) issue('score', 'score_or_sanction');
    const note = parseText(r.cells.note ?? '', 200);
    if (!note.ok) issue('note', note.error, note.params);
    if (issues.length > before || !person || !component || !period.ok) continue;
    const key = `${component.id}|${person.id}|${period.value}`;
    if (seen.has(key)) {
      issue('period', 'duplicate', { value: `${person.staffNo} ${period.value}` });
      continue;
    }
    seen.set(key, r.line);
    out.push({ staffId: person.id, componentId: component.id, period: period.value, score, sanction, note: note.ok ? note.value : '' });
  }
  return { rows: out, issues };
}

async function writeEntries(db: Db, actor: Actor, yearId: string, unitId: string, rows: CheckedEntry[], via: string) {
  return db.transaction(async (tx) => {
    for (const row of rows) {
      await tx
        .insert(regularAssessments)
        .values({ yearId, ...row, createdBy: actor.type === 'user' ? actor.userId : null })
        .onConflictDoUpdate({
          target: [regularAssessments.componentId, regularAssessments.staffId, regularAssessments.period],
          set: { score: row.score, sanction: row.sanction, note: row.note, updatedAt: sql`now()` },
        });
    }
    await recordAudit(tx, actor, { action: 'assessment_entries.write', entityType: 'assessment_year', entityId: yearId, unitId, summary: { via, rows: rows.length } });
    return { written: rows.length };
  });
}

async function draftYearFor(db: Db, scope: Scope, yearId: string) {
  requireRole(scope, ['office', 'school_admin']);
  const { year, status } = await visibleYear(db, scope, yearId);
  assertDraft(status);
  return year;
}

/** Entries from the API or a UI form; errors are field errors by entry index. */
export async function recordEntries(db: Db, scope: Scope, actor: Actor, yearId: string, raw: z.input<typeof entriesInput>) {
  const year = await draftYearFor(db, scope, yearId);
  const input = parseInput(entriesInput, raw);
  const rawRows: RawEntry[] = input.entries.map((e, i) => ({
    line: i,
    cells: {
      staffNo: e.staff,
      component: e.component,
      period: e.period,
      score: e.score == null ? '' : String(e.score),
      sanction: e.sanction ?? '',
      note: e.note,
    },
  }));
  // an id instead of a 工号 is fine too
  const ids = rawRows.map((r) => r.cells.staffNo!).filter((s) => /^[0-9a-f-]{36}$/i.test(s));
  if (ids.length) {
    const found = await db.select({ id: staff.id, staffNo: staff.staffNo }).from(staff).where(inArray(staff.id, ids));
    const noOf = new Map(found.map((f) => [f.id, f.staffNo]));
    for (const r of rawRows) r.cells.staffNo = noOf.get(r.cells.staffNo!) ?? r.cells.staffNo;
  }
  const { rows, issues } = await checkRows(db, scope, yearId, rawRows);
  if (issues.length) {
    const field: Record<ColumnKey, string> = { staffNo: 'staff', name: 'staff', component: 'component', period: 'period', score: 'score', sanction: 'sanction', note: 'note' };
    const fields: Record<string, FieldIssue[]> = {};
    for (const i of issues) {
      const col = ENTRY_COLUMNS.find((c) => c.header === i.column)!.key;
      (fields[`entries.${i.row}.${field[col]}`] ??= []).push({ key: `import_${i.code}`, params: { value: '', ...i.params } });
    }
    throw new ValidationError(fields);
  }
  return writeEntries(db, actor, yearId, year.unitId, rows, 'api');
}

/** Reads the one sheet of an entries file (xlsx: the sheet named 平时考核 or the first; CSV in UTF-8 or GBK). */
async function readEntryFile(file: { name: string; bytes: Uint8Array }): Promise<{ rows: RawEntry[]; issues: FileIssue[] }> {
  const fileIssue = (code: string, params?: Record<string, string | number>): FileIssue => ({ sheet: '', row: 0, column: '', code, params });
  if (!file.bytes.length) return { rows: [], issues: [fileIssue('empty_file')] };
  if (file.bytes.length > MAX_IMPORT_BYTES) return { rows: [], issues: [fileIssue('file_too_large', { max: '20 MB' })] };
  let table: string[][] = [];
  if (file.bytes[0] === 0x50 && file.bytes[1] === 0x4b) {
    const read = await readWorkbook(file.bytes, { maxRows: MAX_ROWS });
    if ('issue' in read) return { rows: [], issues: [fileIssue(read.issue.code, 'params' in read.issue ? read.issue.params : undefined)] };
    const wb = read.workbook;
    const ws = wb.worksheets.find((w) => w.name.trim() === ENTRY_SHEET) ?? wb.worksheets[0];
    ws?.eachRow({ includeEmpty: true }, (row, n) => {
      table[n - 1] = (row.values as ExcelJS.CellValue[]).slice(1).map((v) => {
        if (v === null || v === undefined) return '';
        if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
        if (typeof v === 'object' && 'result' in v) return String(v.result ?? '');
        if (typeof v === 'object' && 'text' in v) return String(v.text);
        return String(v);
      });
    });
    for (let i = 0; i < table.length; i++) table[i] ??= [];
  } else if (file.name.toLowerCase().endsWith('.xlsx') || file.bytes.includes(0)) {
    return { rows: [], issues: [fileIssue('not_spreadsheet')] };
  } else {
    try {
      table = parseCsv(decodeText(file.bytes), { relax_column_count: true, bom: true, to: MAX_ROWS + 2 }) as string[][];
    } catch {
      return { rows: [], issues: [fileIssue('csv_malformed')] };
    }
  }
  const [header = [], ...body] = table;
  const issues: FileIssue[] = [];
  const keys = header.map((h) => ENTRY_COLUMNS.find((c) => c.header === h.trim() || c.key.toLowerCase() === h.trim().toLowerCase())?.key);
  header.forEach((h, i) => {
    if (h.trim() && !keys[i]) issues.push({ sheet: ENTRY_SHEET, row: 1, column: h, code: 'unknown_column' });
  });
  for (const c of ENTRY_COLUMNS) if ('required' in c && c.required && !keys.includes(c.key)) issues.push({ sheet: ENTRY_SHEET, row: 1, column: c.header, code: 'missing_column' });
  const rows: RawEntry[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => !c?.trim())) return;
    const record: Partial<Record<ColumnKey, string>> = {};
    keys.forEach((k, j) => {
      if (k) record[k] = (cells[j] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
    });
    rows.push({ line: i + 2, cells: record });
  });
  if (!issues.length && !rows.length) issues.push(fileIssue('empty_file'));
  return { rows, issues };
}

/** The whole file or nothing: every row is checked first; `dryRun` only checks. */
export async function importEntriesFile(db: Db, scope: Scope, actor: Actor, yearId: string, file: { name: string; bytes: Uint8Array }, { dryRun = false } = {}) {
  const year = await draftYearFor(db, scope, yearId);
  const read = await readEntryFile(file);
  if (read.issues.length) throw new RosterImportError(read.issues);
  const { rows, issues } = await checkRows(db, scope, yearId, read.rows);
  if (issues.length) throw new RosterImportError(issues);
  if (dryRun) return { written: 0, checked: rows.length };
  return { ...(await writeEntries(db, actor, yearId, year.unitId, rows, `import:${file.name}`)), checked: rows.length };
}
