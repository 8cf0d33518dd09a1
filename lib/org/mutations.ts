import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, staff, teachingAssignments, units } from '@/lib/db/schema';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { requireManager } from './queries';
import { applyRoster } from './roster/apply';
import { RosterImportError } from './roster/read';
import { SHEETS, type SheetKey } from './roster/sheets';
import * as s from './schemas';

const yesNo = (b: boolean | undefined) => (b === undefined ? '' : b ? '是' : '否');

/**
 * One row through the same checks and writes as a roster import, so a record created in the UI or
 * the API obeys exactly the rules of an uploaded file. Row issues come back as field errors.
 */
async function applyRow(db: Db, scope: Scope, actor: Actor, sheet: SheetKey, cells: Record<string, string>, fieldOf: Record<string, string> = {}) {
  try {
    return await applyRoster(db, scope, actor, { [sheet]: [{ line: 2, cells }] }, { source: 'api' });
  } catch (err) {
    if (!(err instanceof RosterImportError)) throw err;
    const fields: Record<string, FieldIssue[]> = {};
    for (const issue of err.issues!) {
      const col = SHEETS[sheet].columns.find((c) => c.header === issue.column);
      const field = col ? (fieldOf[col.key] ?? col.key) : '_';
      (fields[field] ??= []).push({ key: `import_${issue.code}`, params: issue.params });
    }
    throw new ValidationError(fields);
  }
}


async function unitName(db: Db, id: string) {
  const [u] = await db.select({ name: units.name }).from(units).where(eq(units.id, id));
  return u!.name;
}

/** Schools are the office's to create and change. */
export async function createSchool(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof s.createSchoolInput>) {
  requireRole(scope, ['office']);
  const input = parseInput(s.createSchoolInput, raw);
  const scopeIds = await unitIdsInScope(db, scope);
  const [dup] = await db.select({ id: units.id }).from(units).where(and(eq(units.name, input.name), eq(units.kind, 'school'), inArray(units.id, scopeIds)));
  if (dup) throw new ConflictError('already_exists');
  await applyRow(db, scope, actor, 'schools', { name: input.name, code: input.code ?? '', parent: input.parent ?? '' });
  const ids = await unitIdsInScope(db, scope);
  const [row] = await db.select().from(units).where(and(eq(units.name, input.name), eq(units.kind, 'school'), inArray(units.id, ids)));
  return row!;
}

async function scopedSchool(db: Db, scope: Scope, id: string) {
  requireRole(scope, ['office']);
  const [u] = await db.select().from(units).where(and(eq(units.id, id), eq(units.kind, 'school')));
  if (!u || !(await unitIdsInScope(db, scope)).includes(u.id)) throw new NotFoundError('unit');
  return u;
}

export async function updateSchool(db: Db, scope: Scope, actor: Actor, id: string, raw: z.input<typeof s.updateSchoolInput>) {
  const patch = parseInput(s.updateSchoolInput, raw);
  const u = await scopedSchool(db, scope, id);
  const parent = u.parentId ? await unitName(db, u.parentId) : '';
  await applyRow(db, scope, actor, 'schools', { name: u.name, code: patch.code ?? u.code ?? '', parent, active: yesNo(patch.active ?? u.active) });
  return (await db.select().from(units).where(eq(units.id, id)))[0]!;
}

export async function createClass(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof s.createClassInput>) {
  requireManager(scope);
  const input = parseInput(s.createClassInput, raw);
  const [dup] = await db
    .select({ id: classes.id })
    .from(classes)
    .innerJoin(units, eq(units.id, classes.schoolId))
    .where(and(eq(units.name, input.school), eq(classes.name, input.name), inArray(units.id, await unitIdsInScope(db, scope))));
  if (dup) throw new ConflictError('already_exists');
  await applyRow(db, scope, actor, 'classes', {
    school: input.school,
    name: input.name,
    grade: String(input.grade),
    expectedStudents: input.expectedStudents === undefined ? '' : String(input.expectedStudents),
    expectedParents: input.expectedParents === undefined ? '' : String(input.expectedParents),
  });
  const ids = await unitIdsInScope(db, scope);
  const [school] = await db.select().from(units).where(and(eq(units.name, input.school), inArray(units.id, ids)));
  return (await db.select().from(classes).where(and(eq(classes.schoolId, school!.id), eq(classes.name, input.name))))[0]!;
}

async function scopedClass(db: Db, scope: Scope, id: string) {
  requireManager(scope);
  const [c] = await db.select().from(classes).where(eq(classes.id, id));
  if (!c || !(await unitIdsInScope(db, scope)).includes(c.schoolId)) throw new NotFoundError('class');
  return c;
}

export async function updateClass(db: Db, scope: Scope, actor: Actor, id: string, raw: z.input<typeof s.updateClassInput>) {
  const patch = parseInput(s.updateClassInput, raw);
  const c = await scopedClass(db, scope, id);
  const next = { ...c, ...patch };
  await applyRow(db, scope, actor, 'classes', {
    school: await unitName(db, c.schoolId),
    name: c.name,
    grade: String(next.grade),
    expectedStudents: String(next.expectedStudents),
    expectedParents: String(next.expectedParents),
    active: yesNo(next.active),
  });
  return (await db.select().from(classes).where(eq(classes.id, id)))[0]!;
}

export async function createStaff(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof s.createStaffInput>) {
  requireManager(scope);
  const input = parseInput(s.createStaffInput, raw);
  const [existing] = await db.select({ id: staff.id }).from(staff).where(eq(staff.staffNo, input.staffNo));
  if (existing) throw new ValidationError({ staffNo: [{ key: 'staff_no_taken' }] });
  await applyRow(db, scope, actor, 'staff', {
    staffNo: input.staffNo,
    name: input.name,
    unit: input.unit,
    position: input.position,
    subjects: (input.subjects ?? []).join('、'),
  });
  return (await db.select().from(staff).where(eq(staff.staffNo, input.staffNo)))[0]!;
}

async function scopedStaff(db: Db, scope: Scope, id: string) {
  requireManager(scope);
  const [row] = await db.select().from(staff).where(eq(staff.id, id));
  if (!row || !(await unitIdsInScope(db, scope)).includes(row.unitId)) throw new NotFoundError('staff');
  return row;
}

/** Staff are never deleted (answers and assessments refer to them): `active: false` deactivates. */
export async function updateStaff(db: Db, scope: Scope, actor: Actor, id: string, raw: z.input<typeof s.updateStaffInput>) {
  const patch = parseInput(s.updateStaffInput, raw);
  const row = await scopedStaff(db, scope, id);
  await applyRow(db, scope, actor, 'staff', {
    staffNo: row.staffNo,
    name: patch.name ?? row.name,
    unit: patch.unit ?? (await unitName(db, row.unitId)),
    position: patch.position ?? row.position,
    subjects: (patch.subjects ?? row.subjects).join('、'),
    active: yesNo(patch.active ?? row.active),
  });
  return (await db.select().from(staff).where(eq(staff.id, id)))[0]!;
}

export async function createAssignment(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof s.createAssignmentInput>) {
  requireManager(scope);
  const input = parseInput(s.createAssignmentInput, raw);
  const [dup] = await db
    .select({ id: teachingAssignments.id })
    .from(teachingAssignments)
    .innerJoin(staff, eq(staff.id, teachingAssignments.staffId))
    .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
    .innerJoin(units, eq(units.id, classes.schoolId))
    .where(
      and(
        eq(staff.staffNo, input.staffNo),
        eq(units.name, input.school),
        eq(classes.name, input.className),
        eq(teachingAssignments.subject, input.subject),
        eq(teachingAssignments.schoolYear, input.schoolYear),
      ),
    );
  if (dup) throw new ConflictError('already_exists');
  await applyRow(db, scope, actor, 'assignments', {
    staffNo: input.staffNo,
    school: input.school,
    className: input.className,
    subject: input.subject,
    schoolYear: input.schoolYear,
    headTeacher: yesNo(input.headTeacher),
  });
  const [row] = await db
    .select({ a: teachingAssignments })
    .from(teachingAssignments)
    .innerJoin(staff, eq(staff.id, teachingAssignments.staffId))
    .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
    .where(
      and(
        eq(staff.staffNo, input.staffNo),
        eq(classes.name, input.className),
        eq(teachingAssignments.subject, input.subject),
        eq(teachingAssignments.schoolYear, input.schoolYear),
      ),
    );
  return row!.a;
}

async function scopedAssignment(db: Db, scope: Scope, id: string) {
  requireManager(scope);
  const [row] = await db
    .select({ a: teachingAssignments, schoolId: classes.schoolId })
    .from(teachingAssignments)
    .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
    .where(eq(teachingAssignments.id, id));
  if (!row || !(await unitIdsInScope(db, scope)).includes(row.schoolId)) throw new NotFoundError('assignment');
  return row.a;
}

export async function updateAssignment(db: Db, scope: Scope, actor: Actor, id: string, raw: z.input<typeof s.updateAssignmentInput>) {
  const patch = parseInput(s.updateAssignmentInput, raw);
  const a = await scopedAssignment(db, scope, id);
  const [st] = await db.select().from(staff).where(eq(staff.id, a.staffId));
  const [cl] = await db.select().from(classes).where(eq(classes.id, a.classId));
  await applyRow(db, scope, actor, 'assignments', {
    staffNo: st!.staffNo,
    school: await unitName(db, cl!.schoolId),
    className: cl!.name,
    subject: a.subject,
    schoolYear: a.schoolYear,
    headTeacher: yesNo(patch.headTeacher),
  });
  return (await db.select().from(teachingAssignments).where(eq(teachingAssignments.id, id)))[0]!;
}

/** Assignments carry no answers, so a wrong one can be removed outright. */
export async function deleteAssignment(db: Db, scope: Scope, actor: Actor, id: string): Promise<void> {
  const a = await scopedAssignment(db, scope, id);
  const [cl] = await db.select({ schoolId: classes.schoolId }).from(classes).where(eq(classes.id, a.classId));
  await db.transaction(async (tx) => {
    await tx.delete(teachingAssignments).where(eq(teachingAssignments.id, id));
    await recordAudit(tx, actor, { action: 'assignment.delete', entityType: 'teaching_assignment', entityId: id, unitId: cl!.schoolId, summary: { before: a } });
  });
}
