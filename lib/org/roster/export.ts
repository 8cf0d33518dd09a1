import { and, asc, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { safeCell } from '@/lib/spreadsheet';
import { classes, staff, teachingAssignments, units } from '@/lib/db/schema';
import { SHEET_KEYS, SHEETS, type SheetKey } from './sheets';

export type Table = string[][];

const yesNo = (b: boolean) => (b ? '是' : '否');

/** The roster in the caller's scope as tables with Chinese headers, the same shape the import reads. */
export async function rosterTables(db: Db, scope: Scope): Promise<Partial<Record<SheetKey, Table>>> {
  const ids = await unitIdsInScope(db, scope);
  const scoped = await db.select().from(units).where(inArray(units.id, ids)).orderBy(asc(units.sortOrder), asc(units.name));
  const names = new Map(scoped.map((u) => [u.id, u.name]));
  const schools = scoped.filter((u) => u.kind === 'school');
  const schoolIds = schools.map((s) => s.id);
  const classRows = schoolIds.length
    ? await db.select().from(classes).where(inArray(classes.schoolId, schoolIds)).orderBy(asc(classes.grade), asc(classes.name))
    : [];
  const staffRows = await db.select().from(staff).where(inArray(staff.unitId, ids)).orderBy(asc(staff.staffNo));
  const assignmentRows = classRows.length
    ? await db
        .select({ a: teachingAssignments, staffNo: staff.staffNo, className: classes.name, schoolId: classes.schoolId })
        .from(teachingAssignments)
        .innerJoin(staff, eq(staff.id, teachingAssignments.staffId))
        .innerJoin(classes, and(eq(classes.id, teachingAssignments.classId), inArray(classes.schoolId, schoolIds)))
        .orderBy(asc(staff.staffNo), asc(classes.name), asc(teachingAssignments.subject))
    : [];
  const header = (k: SheetKey) => SHEETS[k].columns.map((c) => c.header);
  const tables: Partial<Record<SheetKey, Table>> = {
    schools: [header('schools'), ...schools.map((s) => [s.name, s.code ?? '', names.get(s.parentId ?? '') ?? '', yesNo(s.active)])],
    classes: [
      header('classes'),
      ...classRows.map((c) => [names.get(c.schoolId)!, c.name, String(c.grade), String(c.expectedStudents), String(c.expectedParents), yesNo(c.active)]),
    ],
    staff: [header('staff'), ...staffRows.map((s) => [s.staffNo, s.name, names.get(s.unitId) ?? '', s.position, s.subjects.join('、'), yesNo(s.active)])],
    assignments: [
      header('assignments'),
      ...assignmentRows.map((r) => [r.staffNo, names.get(r.schoolId)!, r.className, r.a.subject, r.a.schoolYear, yesNo(r.a.isHeadTeacher)]),
    ],
  };
  // only the office may import schools, so only its export carries them: everyone's export imports back
  if (scope.role !== 'office') delete tables.schools;
  return tables;
}

/** Empty sheets with one example row each: the downloadable import template. */
export function templateTables(): Record<SheetKey, Table> {
  return Object.fromEntries(SHEET_KEYS.map((k) => [k, [SHEETS[k].columns.map((c) => c.header), SHEETS[k].columns.map((c) => c.example)]])) as Record<
    SheetKey,
    Table
  >;
}

export async function toXlsx(tables: Partial<Record<SheetKey, Table>>): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Pingyi';
  for (const key of SHEET_KEYS) {
    const table = tables[key];
    if (!table) continue;
    const ws = wb.addWorksheet(SHEETS[key].names[0]);
    // every cell is written as a string: a value such as "=1+1" stays text, never a formula
    for (const row of table) ws.addRow(row);
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((col) => (col.width = 16));
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/**
 * CSV for Excel: UTF-8 with a BOM (so Excel detects the encoding), CRLF line ends, and a leading
 * apostrophe before any cell that starts like a formula (=, +, -, @, tab, CR) so opening it cannot
 * run anything. The import strips that apostrophe again.
 */
export function toCsv(table: Table): Uint8Array {
  const escape = (v: string) => {
    const safe = safeCell(v);
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return new TextEncoder().encode('\uFEFF' + table.map((r) => r.map(escape).join(',')).join('\r\n') + '\r\n');
}
