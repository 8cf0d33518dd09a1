import { randomUUID } from 'node:crypto';
import { and, inArray, notInArray } from 'drizzle-orm';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, staff, teachingAssignments, units, type NewClass, type NewStaff, type NewTeachingAssignment, type NewUnit } from '@/lib/db/schema';
import { parseCount, parseGrade, parseSchoolYear, parseStaffNo, parseSubjects, parseText, parseYesNo, type Parsed } from './cells';
import type { ImportIssue, RawRow, RawSheets } from './read';
import { POSITIONS, SHEETS, type SheetKey } from './sheets';

export interface SheetSummary {
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
}

export interface RosterPlan {
  inserts: { units: NewUnit[]; classes: NewClass[]; staff: NewStaff[]; assignments: NewTeachingAssignment[] };
  updates: {
    units: { id: string; set: Partial<NewUnit> }[];
    classes: { id: string; set: Partial<NewClass> }[];
    staff: { id: string; set: Partial<NewStaff> }[];
    assignments: { id: string; set: Partial<NewTeachingAssignment> }[];
  };
  summary: Partial<Record<SheetKey, SheetSummary>>;
}

const CHUNK = 5000;
async function chunked<T, R>(items: T[], fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
  return out;
}

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The fields of `next` that differ from `current`, among those whose column the row actually has:
 * a file without an optional column leaves that field of existing records alone.
 */
function diff<T extends Record<string, unknown>>(current: T, next: Partial<T>, row?: RawRow, columnOf: Partial<Record<keyof T, string>> = {}): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(next) as [keyof T, T[keyof T]][]) {
    const col = columnOf[k] ?? (k as string);
    if (row && !(col in row.cells)) continue;
    if (!sameJson(current[k], v)) out[k] = v;
  }
  return out;
}

/**
 * Checks every row of every sheet against the file and the database before anything is written,
 * and returns either the complete list of issues or the plan of inserts and updates.
 * Keys: school = name within the district, class = school + class name, staff = 工号,
 * assignment = 工号 + class + subject + school year.
 */
export async function planRoster(db: Db, scope: Scope, raw: RawSheets): Promise<{ plan: RosterPlan; issues: ImportIssue[] }> {
  const issues: ImportIssue[] = [];
  const plan: RosterPlan = {
    inserts: { units: [], classes: [], staff: [], assignments: [] },
    updates: { units: [], classes: [], staff: [], assignments: [] },
    summary: {},
  };
  const scopeIds = await unitIdsInScope(db, scope);
  const scopeUnits = await db.select().from(units).where(inArray(units.id, scopeIds));
  const byName = new Map<string, typeof scopeUnits>();
  for (const u of scopeUnits) byName.set(u.name, [...(byName.get(u.name) ?? []), u]);
  const scopeUnit = scopeUnits.find((u) => u.id === scope.unitId)!;

  for (const key of Object.keys(raw) as SheetKey[]) plan.summary[key] = { created: 0, updated: 0, unchanged: 0, deactivated: 0 };

  const sheetName = (key: SheetKey) => SHEETS[key].names[0]!;
  const headerOf = (key: SheetKey, col: string) => SHEETS[key].columns.find((c) => c.key === col)!.header;
  /** reads one cell through a parser; records an issue and returns undefined on failure */
  function cell<T>(key: SheetKey, row: RawRow, col: string, parse: (s: string) => Parsed<T>): T | undefined {
    const def = SHEETS[key].columns.find((c) => c.key === col)!;
    const value = row.cells[col] ?? '';
    if (def.required && value === '') {
      issues.push({ sheet: sheetName(key), row: row.line, column: def.header, code: 'required' });
      return undefined;
    }
    const r = parse(value);
    if (!r.ok) {
      issues.push({ sheet: sheetName(key), row: row.line, column: def.header, code: r.error, params: { value: value.slice(0, 40), ...r.params } });
      return undefined;
    }
    return r.value;
  }
  const issue = (key: SheetKey, row: RawRow, col: string, code: string, params: Record<string, string | number> = {}) =>
    issues.push({ sheet: sheetName(key), row: row.line, column: col ? headerOf(key, col) : '', code, params });
  /** resolves a unit name within the scope; `kinds` limits what it may be */
  function resolveUnit(name: string, kinds: string[], extra: Map<string, { id: string; kind: string }>) {
    const found = [...(byName.get(name) ?? []).filter((u) => kinds.includes(u.kind)), ...(extra.has(name) && kinds.includes(extra.get(name)!.kind) ? [extra.get(name)!] : [])];
    return found.length === 1 ? { id: found[0]!.id } : found.length > 1 ? ('ambiguous' as const) : undefined;
  }

  // ---- schools
  const newSchools = new Map<string, { id: string; kind: string }>();
  const seenSchools = new Set<string>();
  for (const row of raw.schools ?? []) {
    if (scope.role !== 'office') {
      issue('schools', row, '', 'not_allowed');
      continue;
    }
    const name = cell('schools', row, 'name', (s) => parseText(s, 60));
    const code = cell('schools', row, 'code', (s) => parseText(s, 20));
    const active = cell('schools', row, 'active', (s) => parseYesNo(s, true));
    const parentName = row.cells.parent ?? '';
    let parentId: string | undefined;
    if (parentName) {
      const p = resolveUnit(parentName, ['district', 'county'], new Map());
      if (p === 'ambiguous') issue('schools', row, 'parent', 'ambiguous_unit', { value: parentName });
      else if (!p) issue('schools', row, 'parent', 'unknown_unit', { value: parentName });
      else parentId = p.id;
    } else if (scopeUnit.kind === 'district') parentId = scopeUnit.id;
    else issue('schools', row, 'parent', 'required');
    if (name === undefined || code === undefined || active === undefined || !parentId) continue;
    if (seenSchools.has(name)) {
      issue('schools', row, 'name', 'duplicate', { value: name });
      continue;
    }
    seenSchools.add(name);
    const existing = scopeUnits.find((u) => u.kind === 'school' && u.name === name && u.parentId === parentId);
    const values = { code: code || null, active };
    if (existing) {
      const set = diff(existing, values, row);
      if (Object.keys(set).length) {
        plan.updates.units.push({ id: existing.id, set });
        plan.summary.schools!.updated++;
        if (existing.active && !active) plan.summary.schools!.deactivated++;
      } else plan.summary.schools!.unchanged++;
    } else {
      const id = randomUUID();
      plan.inserts.units.push({ id, kind: 'school', name, parentId, ...values });
      newSchools.set(name, { id, kind: 'school' });
      plan.summary.schools!.created++;
    }
  }

  // ---- classes
  const schoolIds = scopeUnits.filter((u) => u.kind === 'school').map((u) => u.id);
  const existingClasses = schoolIds.length ? await db.select().from(classes).where(inArray(classes.schoolId, schoolIds)) : [];
  const classByKey = new Map(existingClasses.map((c) => [`${c.schoolId}|${c.name}`, c.id]));
  const classRows = new Map(existingClasses.map((c) => [c.id, c]));
  const seenClasses = new Set<string>();
  for (const row of raw.classes ?? []) {
    const schoolName = cell('classes', row, 'school', (s) => parseText(s, 60));
    const name = cell('classes', row, 'name', (s) => parseText(s, 40));
    const grade = cell('classes', row, 'grade', parseGrade);
    const expectedStudents = cell('classes', row, 'expectedStudents', (s) => parseCount(s));
    const expectedParents = cell('classes', row, 'expectedParents', (s) => parseCount(s, expectedStudents ?? 0));
    const active = cell('classes', row, 'active', (s) => parseYesNo(s, true));
    if (schoolName === undefined) continue;
    const school = resolveUnit(schoolName, ['school'], newSchools);
    if (school === 'ambiguous') issue('classes', row, 'school', 'ambiguous_unit', { value: schoolName });
    else if (!school) issue('classes', row, 'school', 'unknown_school', { value: schoolName });
    if (!school || school === 'ambiguous' || name === undefined || grade === undefined || expectedStudents === undefined || expectedParents === undefined || active === undefined) continue;
    const key = `${school.id}|${name}`;
    if (seenClasses.has(key)) {
      issue('classes', row, 'name', 'duplicate', { value: `${schoolName} ${name}` });
      continue;
    }
    seenClasses.add(key);
    const values = { grade, expectedStudents, expectedParents, active };
    const existingId = classByKey.get(key);
    if (existingId) {
      const current = classRows.get(existingId)!;
      const set = diff(current, values, row);
      if (Object.keys(set).length) {
        plan.updates.classes.push({ id: existingId, set });
        plan.summary.classes!.updated++;
        if (current.active && !active) plan.summary.classes!.deactivated++;
      } else plan.summary.classes!.unchanged++;
    } else {
      const id = randomUUID();
      plan.inserts.classes.push({ id, schoolId: school.id, name, ...values });
      classByKey.set(key, id);
      plan.summary.classes!.created++;
    }
  }

  // ---- staff
  const staffRows = raw.staff ?? [];
  const fileStaffNos = [...new Set(staffRows.map((r) => r.cells.staffNo ?? '').filter(Boolean))];
  const existingStaff = await db.select().from(staff).where(inArray(staff.unitId, scopeIds));
  const staffByNo = new Map(existingStaff.map((s) => [s.staffNo, s]));
  const elsewhere = new Set(
    (
      await chunked(
        fileStaffNos.filter((n) => !staffByNo.has(n)),
        (chunk) => db.select({ staffNo: staff.staffNo }).from(staff).where(and(inArray(staff.staffNo, chunk), notInArray(staff.unitId, scopeIds))),
      )
    ).map((s) => s.staffNo),
  );
  const newStaff = new Map<string, string>();
  const seenStaff = new Set<string>();
  for (const row of staffRows) {
    const staffNo = cell('staff', row, 'staffNo', parseStaffNo);
    const name = cell('staff', row, 'name', (s) => parseText(s, 30));
    const unitName = cell('staff', row, 'unit', (s) => parseText(s, 60));
    const position = cell('staff', row, 'position', (s) =>
      (POSITIONS as readonly string[]).includes(s.trim()) ? { ok: true, value: s.trim() } : { ok: false, error: 'position', params: { allowed: POSITIONS.join('、') } },
    );
    const subjects = cell('staff', row, 'subjects', parseSubjects);
    const active = cell('staff', row, 'active', (s) => parseYesNo(s, true));
    let unitId: string | undefined;
    if (unitName !== undefined) {
      const u = resolveUnit(unitName, ['school', 'office', 'district'], newSchools);
      if (u === 'ambiguous') issue('staff', row, 'unit', 'ambiguous_unit', { value: unitName });
      else if (!u) issue('staff', row, 'unit', 'unknown_unit', { value: unitName });
      else unitId = u.id;
    }
    if (staffNo === undefined) continue;
    if (elsewhere.has(staffNo)) {
      issue('staff', row, 'staffNo', 'staff_no_elsewhere', { value: staffNo });
      continue;
    }
    if (seenStaff.has(staffNo)) {
      issue('staff', row, 'staffNo', 'duplicate', { value: staffNo });
      continue;
    }
    seenStaff.add(staffNo);
    if (name === undefined || !unitId || position === undefined || subjects === undefined || active === undefined) continue;
    const values = { name, unitId, position, subjects, active };
    const existing = staffByNo.get(staffNo);
    if (existing) {
      const set = diff(existing, values, row, { unitId: 'unit' });
      if (Object.keys(set).length) {
        plan.updates.staff.push({ id: existing.id, set });
        plan.summary.staff!.updated++;
        if (existing.active && !active) plan.summary.staff!.deactivated++;
      } else plan.summary.staff!.unchanged++;
    } else {
      const id = randomUUID();
      plan.inserts.staff.push({ id, staffNo, ...values });
      newStaff.set(staffNo, id);
      plan.summary.staff!.created++;
    }
  }

  // ---- teaching assignments
  const assignmentRows = raw.assignments ?? [];
  if (assignmentRows.length) {
    const classIds = [...classRows.keys()];
    const existingAssignments = classIds.length
      ? await chunked(classIds, (chunk) => db.select().from(teachingAssignments).where(inArray(teachingAssignments.classId, chunk)))
      : [];
    const assignmentByKey = new Map(existingAssignments.map((a) => [`${a.staffId}|${a.classId}|${a.subject}|${a.schoolYear}`, a]));
    const seen = new Set<string>();
    const heads = new Map<string, number>();
    for (const row of assignmentRows) {
      const staffNo = cell('assignments', row, 'staffNo', parseStaffNo);
      const schoolName = cell('assignments', row, 'school', (s) => parseText(s, 60));
      const className = cell('assignments', row, 'className', (s) => parseText(s, 40));
      const subject = cell('assignments', row, 'subject', (s) => parseText(s, 20));
      const schoolYear = cell('assignments', row, 'schoolYear', parseSchoolYear);
      const isHeadTeacher = cell('assignments', row, 'headTeacher', (s) => parseYesNo(s, false));
      let staffId: string | undefined;
      if (staffNo !== undefined) {
        staffId = staffByNo.get(staffNo)?.id ?? newStaff.get(staffNo);
        if (!staffId) issue('assignments', row, 'staffNo', 'unknown_staff', { value: staffNo });
      }
      let classId: string | undefined;
      if (schoolName !== undefined && className !== undefined) {
        const school = resolveUnit(schoolName, ['school'], newSchools);
        if (school === 'ambiguous') issue('assignments', row, 'school', 'ambiguous_unit', { value: schoolName });
        else if (!school) issue('assignments', row, 'school', 'unknown_school', { value: schoolName });
        else {
          classId = classByKey.get(`${school.id}|${className}`);
          if (!classId) issue('assignments', row, 'className', 'unknown_class', { value: `${schoolName} ${className}` });
        }
      }
      if (!staffId || !classId || subject === undefined || schoolYear === undefined || isHeadTeacher === undefined) continue;
      const key = `${staffId}|${classId}|${subject}|${schoolYear}`;
      if (seen.has(key)) {
        issue('assignments', row, 'subject', 'duplicate', { value: `${staffNo} ${className} ${subject}` });
        continue;
      }
      seen.add(key);
      if (isHeadTeacher) {
        const headKey = `${classId}|${schoolYear}`;
        if (heads.has(headKey)) {
          issue('assignments', row, 'headTeacher', 'two_head_teachers', { value: className!, other: heads.get(headKey)! });
          continue;
        }
        heads.set(headKey, row.line);
      }
      const existing = assignmentByKey.get(key);
      if (existing) {
        if ('headTeacher' in row.cells && existing.isHeadTeacher !== isHeadTeacher) {
          plan.updates.assignments.push({ id: existing.id, set: { isHeadTeacher } });
          plan.summary.assignments!.updated++;
        } else plan.summary.assignments!.unchanged++;
      } else {
        plan.inserts.assignments.push({ staffId, classId, subject, schoolYear, isHeadTeacher });
        plan.summary.assignments!.created++;
      }
    }
  }

  const order = (s: string) => ['学校', '班级', '教职工', '任课'].indexOf(s);
  issues.sort((a, b) => order(a.sheet) - order(b.sheet) || a.row - b.row);
  return { plan, issues };
}
