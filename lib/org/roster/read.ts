import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DomainError, type FileIssue } from '@/lib/errors';
import { readWorkbook } from '@/lib/workbook';
import { columnFor, sheetByHeaders, sheetByName, type SheetDef, type SheetKey } from './sheets';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** above this many data rows in one sheet the file is refused (a county has ~10,000 staff) */
export const MAX_ROWS = 100_000;

/** row: the spreadsheet row number as the user sees it (header = 1); 0 for the file or sheet as a whole */
export type ImportIssue = FileIssue;

export interface RawRow {
  line: number;
  cells: Record<string, string>;
}

export type RawSheets = Partial<Record<SheetKey, RawRow[]>>;

/** The whole import is refused; every issue is listed. */
export class RosterImportError extends DomainError {
  constructor(issues: ImportIssue[]) {
    super('roster_invalid', { count: issues.length }, undefined, issues);
  }
}

const fileIssue = (code: string, params?: Record<string, string | number>): ImportIssue => ({ sheet: '', row: 0, column: '', code, params });

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : String(value.result);
    if ('error' in value) return '';
  }
  return String(value);
}

/** Turns a table (header row first) into raw rows keyed by column; unknown and missing columns are issues. */
function tableRows(sheet: SheetDef, sheetLabel: string, table: string[][], issues: ImportIssue[]): RawRow[] {
  const [header = [], ...body] = table;
  const keys = header.map((h) => columnFor(sheet, h)?.key);
  header.forEach((h, i) => {
    if (h.trim() && !keys[i]) issues.push({ sheet: sheetLabel, row: 1, column: h, code: 'unknown_column' });
  });
  for (const c of sheet.columns) {
    if (c.required && !keys.includes(c.key)) issues.push({ sheet: sheetLabel, row: 1, column: c.header, code: 'missing_column' });
  }
  if (body.length > MAX_ROWS) issues.push({ sheet: sheetLabel, row: 0, column: '', code: 'too_many_rows', params: { max: MAX_ROWS } });
  const rows: RawRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => !c?.trim())) return; // blank lines are not rows
    const record: Record<string, string> = {};
    keys.forEach((k, j) => {
      // an apostrophe before a formula-like start was added by our CSV export: drop it
      if (k) record[k] = (cells[j] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
    });
    rows.push({ line: i + 2, cells: record });
  });
  return rows;
}

async function readXlsx(bytes: Uint8Array, issues: ImportIssue[]): Promise<RawSheets> {
  const read = await readWorkbook(bytes, { maxRows: MAX_ROWS });
  if ('issue' in read) {
    issues.push(fileIssue(read.issue.code, 'params' in read.issue ? read.issue.params : undefined));
    return {};
  }
  const wb = read.workbook;
  const out: RawSheets = {};
  for (const ws of wb.worksheets) {
    const sheet = sheetByName(ws.name);
    if (!sheet) continue; // e.g. a 说明 (instructions) sheet
    const table: string[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const values = row.values as ExcelJS.CellValue[];
      table[n - 1] = values.slice(1).map(cellText);
    });
    for (let i = 0; i < table.length; i++) table[i] ??= [];
    out[sheet.key] = tableRows(sheet, ws.name, table, issues);
  }
  if (!Object.keys(out).length) issues.push(fileIssue('no_known_sheet'));
  return out;
}

/** UTF-8 (with or without BOM) when it decodes cleanly, else GB18030 (a superset of GBK), as Chinese Excel writes. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes), 'gb18030');
  }
}

function readCsv(bytes: Uint8Array, issues: ImportIssue[], sheetHint?: SheetKey): RawSheets {
  if (bytes.includes(0)) {
    issues.push(fileIssue('not_spreadsheet'));
    return {};
  }
  let table: string[][];
  try {
    // parsing stops past the row limit (header + MAX_ROWS + 1 is enough to say it is over)
    table = parseCsv(decodeText(bytes), { relax_column_count: true, skip_empty_lines: false, bom: true, to: MAX_ROWS + 2 }) as string[][];
  } catch {
    issues.push(fileIssue('csv_malformed'));
    return {};
  }
  const sheet = sheetHint ? sheetByName(sheetHint) : sheetByHeaders(table[0] ?? []);
  if (!sheet) {
    issues.push(fileIssue('no_known_sheet'));
    return {};
  }
  return { [sheet.key]: tableRows(sheet, sheet.names[0]!, table, issues) };
}

/**
 * Reads an uploaded roster: xlsx (worksheets named 学校/班级/教职工/任课) or one CSV sheet in UTF-8
 * or GBK. Throws RosterImportError listing every problem with the file itself.
 */
export async function readRosterFile(file: { name: string; bytes: Uint8Array }, sheetHint?: SheetKey): Promise<RawSheets> {
  const issues: ImportIssue[] = [];
  let sheets: RawSheets = {};
  if (file.bytes.length === 0) issues.push(fileIssue('empty_file'));
  else if (file.bytes.length > MAX_IMPORT_BYTES) issues.push(fileIssue('file_too_large', { max: '20 MB' }));
  else {
    const isZip = file.bytes[0] === 0x50 && file.bytes[1] === 0x4b;
    const lower = file.name.toLowerCase();
    if (isZip) sheets = await readXlsx(file.bytes, issues);
    else if (lower.endsWith('.xlsx') || lower.endsWith('.xls')) issues.push(fileIssue('not_spreadsheet'));
    else sheets = readCsv(file.bytes, issues, sheetHint);
  }
  if (!issues.length && Object.values(sheets).every((rows) => !rows?.length)) issues.push(fileIssue('empty_file'));
  if (issues.length) throw new RosterImportError(issues);
  return sheets;
}
