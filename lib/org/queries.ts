import { and, asc, count, eq, ilike, inArray, or } from 'drizzle-orm';
import { likePattern, offsetOf } from '@/lib/paging';
import { MANAGERS, requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, staff, teachingAssignments, units, users, type Unit } from '@/lib/db/schema';

export async function listUnits(db: Db, scope: Scope, filter: { kind?: Unit['kind'] } = {}): Promise<Unit[]> {
  const ids = await unitIdsInScope(db, scope);
  if (!ids.length) return [];
  return db
    .select()
    .from(units)
    .where(and(inArray(units.id, ids), filter.kind ? eq(units.kind, filter.kind) : undefined))
    .orderBy(asc(units.kind), asc(units.sortOrder), asc(units.name));
}

export async function getUnit(db: Db, id: string): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id));
  return row;
}

/** The district shown on the home page: the first district by name (a deployment usually has one per office). */
export async function primaryDistrict(db: Db): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.kind, 'district')).orderBy(asc(units.name)).limit(1);
  return row;
}

export async function districtCounts(db: Db, districtId: string) {
  const schools = await db.select({ id: units.id }).from(units).where(and(eq(units.parentId, districtId), eq(units.kind, 'school')));
  const ids = schools.map((s) => s.id);
  if (!ids.length) return { schools: 0, classes: 0, staff: 0 };
  const [c] = await db.select({ n: count() }).from(classes).where(and(inArray(classes.schoolId, ids), eq(classes.active, true)));
  const [s] = await db.select({ n: count() }).from(staff).where(and(inArray(staff.unitId, ids), eq(staff.active, true)));
  return { schools: ids.length, classes: c?.n ?? 0, staff: s?.n ?? 0 };
}

/** Rosters are managed by the office and school admins; others get 403. */
export const requireManager = (scope: Scope) => requireRole(scope, MANAGERS);

export async function listClasses(db: Db, scope: Scope, filter: { schoolId?: string; q?: string } = {}) {
  requireManager(scope);
  const ids = await unitIdsInScope(db, scope);
  return db
    .select({ c: classes, schoolName: units.name })
    .from(classes)
    .innerJoin(units, eq(units.id, classes.schoolId))
    .where(classFilter(ids, filter))
    .orderBy(asc(units.sortOrder), asc(units.name), asc(classes.grade), asc(classes.name), asc(classes.id));
}

function classFilter(ids: string[], filter: { schoolId?: string; q?: string }) {
  return and(
    inArray(classes.schoolId, ids),
    filter.schoolId ? eq(classes.schoolId, filter.schoolId) : undefined,
    filter.q ? or(ilike(classes.name, likePattern(filter.q)), ilike(units.name, likePattern(filter.q))) : undefined,
  );
}

/** One page of classes (q searches class and school names) and how many match in all. */
export async function pageClasses(db: Db, scope: Scope, filter: { schoolId?: string; q?: string; page: number; limit: number }) {
  requireManager(scope);
  const ids = await unitIdsInScope(db, scope);
  const [rows, [total]] = await Promise.all([
    db
      .select({ c: classes, schoolName: units.name })
      .from(classes)
      .innerJoin(units, eq(units.id, classes.schoolId))
      .where(classFilter(ids, filter))
      .orderBy(asc(units.sortOrder), asc(units.name), asc(classes.grade), asc(classes.name), asc(classes.id))
      .limit(filter.limit)
      .offset(offsetOf(filter)),
    db.select({ n: count() }).from(classes).innerJoin(units, eq(units.id, classes.schoolId)).where(classFilter(ids, filter)),
  ]);
  return { rows, total: Number(total!.n) };
}

type StaffFilter = { unitId?: string; q?: string; active?: boolean };

function staffFilter(ids: string[], filter: StaffFilter) {
  return and(
    inArray(staff.unitId, ids),
    filter.unitId ? eq(staff.unitId, filter.unitId) : undefined,
    filter.active === undefined ? undefined : eq(staff.active, filter.active),
    filter.q ? or(ilike(staff.name, likePattern(filter.q)), ilike(staff.staffNo, likePattern(filter.q))) : undefined,
  );
}

export async function listStaff(db: Db, scope: Scope, filter: StaffFilter = {}) {
  requireManager(scope);
  const ids = await unitIdsInScope(db, scope);
  return db
    .select({ s: staff, unitName: units.name })
    .from(staff)
    .innerJoin(units, eq(units.id, staff.unitId))
    .where(staffFilter(ids, filter))
    .orderBy(asc(staff.staffNo))
    .limit(5000);
}

/** One page of staff (q searches name and 工号) and how many match in all. */
export async function pageStaff(db: Db, scope: Scope, filter: StaffFilter & { page: number; limit: number }) {
  requireManager(scope);
  const ids = await unitIdsInScope(db, scope);
  const [rows, [total]] = await Promise.all([
    db
      .select({ s: staff, unitName: units.name })
      .from(staff)
      .innerJoin(units, eq(units.id, staff.unitId))
      .where(staffFilter(ids, filter))
      .orderBy(asc(staff.staffNo), asc(staff.id))
      .limit(filter.limit)
      .offset(offsetOf(filter)),
    db.select({ n: count() }).from(staff).where(staffFilter(ids, filter)),
  ]);
  return { rows, total: Number(total!.n) };
}

/**
 * Teaching assignments in scope; with `page`, one page of them (q searches staff name and number,
 * class, school and subject) and how many match in all.
 */
export async function listAssignments(
  db: Db,
  scope: Scope,
  filter: { classId?: string; staffId?: string; schoolYear?: string; q?: string; page?: { page: number; limit: number } } = {},
) {
  requireManager(scope);
  const ids = await unitIdsInScope(db, scope);
  const like = filter.q ? likePattern(filter.q) : null;
  const where = and(
    inArray(classes.schoolId, ids),
    filter.classId ? eq(teachingAssignments.classId, filter.classId) : undefined,
    filter.staffId ? eq(teachingAssignments.staffId, filter.staffId) : undefined,
    filter.schoolYear ? eq(teachingAssignments.schoolYear, filter.schoolYear) : undefined,
    like ? or(ilike(staff.name, like), ilike(staff.staffNo, like), ilike(classes.name, like), ilike(units.name, like), ilike(teachingAssignments.subject, like)) : undefined,
  );
  const query = db
    .select({ a: teachingAssignments, staffNo: staff.staffNo, staffName: staff.name, className: classes.name, schoolName: units.name })
    .from(teachingAssignments)
    .innerJoin(staff, eq(staff.id, teachingAssignments.staffId))
    .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
    .innerJoin(units, eq(units.id, classes.schoolId))
    .where(where)
    // the id last: a stable order, so pages neither repeat nor skip a row
    .orderBy(asc(units.name), asc(classes.grade), asc(classes.name), asc(teachingAssignments.subject), asc(teachingAssignments.id));
  const rows = filter.page ? await query.limit(filter.page.limit).offset(offsetOf(filter.page)) : await query.limit(10000);
  const total = filter.page
    ? Number(
        (
          await db
            .select({ n: count() })
            .from(teachingAssignments)
            .innerJoin(staff, eq(staff.id, teachingAssignments.staffId))
            .innerJoin(classes, eq(classes.id, teachingAssignments.classId))
            .innerJoin(units, eq(units.id, classes.schoolId))
            .where(where)
        )[0]!.n,
      )
    : rows.length;
  return Object.assign(rows, { total });
}

/**
 * The logins of these staff records whose password the caller may reset (lib/auth/admin.ts
 * resetUserPassword): the office any, a school admin the staff logins. Staff id → user id.
 */
export async function resettableLogins(db: Db, scope: Scope, staffIds: string[]): Promise<Map<string, string>> {
  requireManager(scope);
  if (!staffIds.length) return new Map();
  const ids = await unitIdsInScope(db, scope);
  const rows = await db
    .select({ id: users.id, staffId: users.staffId, role: users.role })
    .from(users)
    .where(and(inArray(users.staffId, staffIds), inArray(users.unitId, ids)));
  return new Map(rows.filter((r) => scope.role === 'office' || r.role === 'staff').map((r) => [r.staffId!, r.id]));
}
