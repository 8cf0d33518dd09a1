/** Reading annual assessments, scoped by the caller's role and unit. */
import { and, asc, count, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { ancestorIds, requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { likePattern, offsetOf } from '@/lib/paging';
import {
  assessmentComponents,
  assessmentObjections,
  assessments,
  assessmentYears,
  regularAssessments,
  rounds,
  staff,
  units,
  type AssessmentYear,
} from '@/lib/db/schema';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { discloseAssessment } from '@/lib/scoring/disclosure';
import { effectiveYearStatus } from './status';

/**
 * Years the caller may see: those of units in its scope, and, for a school's admin or staff, the
 * years of the district above that covers them. Supervisors see none (grades are personal data).
 */
export async function visibleYearUnitIds(db: Db, scope: Scope): Promise<string[]> {
  requireRole(scope, ['office', 'school_admin', 'staff']);
  const down = await unitIdsInScope(db, scope);
  return [...new Set([...down, ...(scope.role === 'office' ? [] : await ancestorIds(db, scope.unitId))])];
}

export async function openObjectionCount(db: Db, yearId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(assessmentObjections).where(and(eq(assessmentObjections.yearId, yearId), eq(assessmentObjections.status, 'open')));
  return row?.n ?? 0;
}

/** The year with its effective status; a window that ended with no open objection is locked here, once. */
export async function loadYear(db: Db, yearId: string) {
  const [year] = await db.select().from(assessmentYears).where(eq(assessmentYears.id, yearId));
  if (!year) throw new NotFoundError('assessment_year');
  const open = await openObjectionCount(db, yearId);
  const status = effectiveYearStatus(year, open);
  if (status === 'locked' && year.status !== 'locked') {
    const [locked] = await db
      .update(assessmentYears)
      .set({ status: 'locked', lockedAt: year.announcementEndsAt && year.announcementEndsAt > new Date() ? new Date() : year.announcementEndsAt })
      .where(and(eq(assessmentYears.id, yearId), eq(assessmentYears.status, 'announced')))
      .returning();
    if (locked) return { year: locked, status, openObjections: open };
  }
  return { year, status, openObjections: open };
}

/** A year the caller may see, or 404 (its existence is not revealed). */
export async function visibleYear(db: Db, scope: Scope, yearId: string) {
  const loaded = await loadYear(db, yearId);
  if (!(await visibleYearUnitIds(db, scope)).includes(loaded.year.unitId)) throw new NotFoundError('assessment_year');
  return loaded;
}

/** A year the office manages (its unit in the office's scope), or 404. */
export async function managedYear(db: Db, scope: Scope, yearId: string) {
  requireRole(scope, ['office']);
  const loaded = await loadYear(db, yearId);
  if (!(await unitIdsInScope(db, scope)).includes(loaded.year.unitId)) throw new NotFoundError('assessment_year');
  return loaded;
}

export async function listYears(db: Db, scope: Scope) {
  const ids = await visibleYearUnitIds(db, scope);
  const rows = await db
    .select({ year: assessmentYears, unitName: units.name })
    .from(assessmentYears)
    .innerJoin(units, eq(units.id, assessmentYears.unitId))
    .where(inArray(assessmentYears.unitId, ids))
    .orderBy(sql`${assessmentYears.year} desc`, asc(units.name));
  const out = [];
  for (const r of rows) out.push({ ...r, status: (await loadYear(db, r.year.id)).status });
  return out;
}

export async function yearComponents(db: Db, yearId: string) {
  return db.select().from(assessmentComponents).where(eq(assessmentComponents.yearId, yearId)).orderBy(asc(assessmentComponents.sortOrder));
}

/** Staff assessed in a year: the active staff of the year's unit and every unit under it. */
export async function staffOfYear(db: Db, year: AssessmentYear) {
  const ids = await unitIdsInScope(db, { role: 'office', unitId: year.unitId });
  return db
    .select({ id: staff.id, staffNo: staff.staffNo, name: staff.name, position: staff.position, unitId: staff.unitId, unitName: units.name })
    .from(staff)
    .innerJoin(units, eq(units.id, staff.unitId))
    .where(and(inArray(staff.unitId, ids), eq(staff.active, true)))
    .orderBy(asc(units.name), asc(staff.staffNo));
}

/**
 * Units graded in a year (学校目标责任制考核): the active schools of the year's unit and under it,
 * each with its 领导班子 (an active unit of kind team under the school), if it has one.
 */
export async function unitsOfYear(db: Db, year: AssessmentYear) {
  const ids = await unitIdsInScope(db, { role: 'office', unitId: year.unitId });
  const rows = await db.select().from(units).where(and(inArray(units.id, ids), eq(units.active, true)));
  const teamOf = new Map(rows.filter((u) => u.kind === 'team' && u.parentId).map((u) => [u.parentId!, u.id]));
  return rows
    .filter((u) => u.kind === 'school')
    .sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'zh-CN'))
    .map((u) => ({ id: u.id, name: u.name, teamId: teamOf.get(u.id) ?? null }));
}

/**
 * The assessments of a year the caller may read: the office every staff member and graded unit in
 * its units; a school's admin their staff and their own school's grade; a staff member only their
 * own, once the year is announced. With `page`, one page of them (q searches name, 工号 and unit)
 * and how many match in all. Every row passes the disclosure gate: below the office, a figure from
 * rounds not released to the caller's role or not published whole on the results pages is held
 * back, with the composite and rank.
 */
export async function listAssessments(db: Db, scope: Scope, yearId: string, filter: { q?: string; page?: { page: number; limit: number } } = {}) {
  const { year, status } = await visibleYear(db, scope, yearId);
  if (scope.role === 'staff' && status === 'draft') throw new ForbiddenError('not_released');
  const graded = alias(units, 'graded_unit');
  const like = filter.q ? likePattern(filter.q) : null;
  const where = and(
    eq(assessments.yearId, yearId),
    // staff read their own; a school admin reads their staff and their own school's grade as a unit
    scope.role === 'staff'
      ? scope.staffId ? eq(assessments.staffId, scope.staffId) : sql`false`
      : inArray(sql`coalesce(${assessments.subjectUnitId}, ${assessments.unitId})`, await unitIdsInScope(db, scope)),
    like ? or(ilike(staff.name, like), ilike(staff.staffNo, like), ilike(units.name, like), ilike(graded.name, like)) : undefined,
  );
  const query = db
    .select({ a: assessments, staffNo: staff.staffNo, staffName: staff.name, position: staff.position, unitName: units.name, gradedName: graded.name, gradedKind: graded.kind })
    .from(assessments)
    .leftJoin(staff, eq(staff.id, assessments.staffId))
    .leftJoin(graded, eq(graded.id, assessments.subjectUnitId))
    .innerJoin(units, eq(units.id, assessments.unitId))
    .where(where)
    // staff first (by unit, rank, 工号), then the graded units by rank
    .orderBy(sql`${assessments.subjectUnitId} is not null`, asc(units.name), asc(assessments.rank), asc(staff.staffNo), asc(graded.name), asc(assessments.id));
  const found = filter.page ? await query.limit(filter.page.limit).offset(offsetOf(filter.page)) : await query;
  const total = filter.page
    ? Number(
        (
          await db
            .select({ n: count() })
            .from(assessments)
            .leftJoin(staff, eq(staff.id, assessments.staffId))
            .leftJoin(graded, eq(graded.id, assessments.subjectUnitId))
            .innerJoin(units, eq(units.id, assessments.unitId))
            .where(where)
        )[0]!.n,
      )
    : found.length;
  // a graded unit reads as a row of its own: its name, no 工号, its kind as the position
  const mine = found.map(({ staffName, gradedName, gradedKind, ...r }) => ({
    ...r,
    subject: r.a.subjectUnitId ? ('unit' as const) : ('staff' as const),
    staffNo: r.staffNo ?? '',
    name: staffName ?? gradedName ?? '',
    position: r.position ?? gradedKind ?? '',
  }));
  const components = await yearComponents(db, yearId);
  const roundIds = [...new Set(components.flatMap((c) => c.roundIds))];
  const released = new Map(
    (roundIds.length ? await db.select({ id: rounds.id, releasedToSchoolsAt: rounds.releasedToSchoolsAt, releasedToStaffAt: rounds.releasedToStaffAt, pooledReleasedAt: rounds.pooledReleasedAt }).from(rounds).where(inArray(rounds.id, roundIds)) : []).map((r) => [r.id, r]),
  );
  return {
    year,
    status,
    total,
    rows: mine.map((r) => {
      const shown = discloseAssessment(r.a, scope.role, components, released);
      const hiddenKeys = new Set(shown.components.filter((c) => c.withheld).map((c) => c.key));
      // a satisfaction cap names the figure it read: not when that figure is held back
      const notes = r.a.notes.map((n) => (n.code === 'satisfaction_cap' && hiddenKeys.size ? { ...n, params: { ...n.params, satisfaction: '—' } } : n));
      return { ...r, a: { ...r.a, components: shown.components, compositeScore: shown.compositeScore, rank: shown.rank, notes }, withheld: shown.withheld };
    }),
  };
}

export async function listEntries(db: Db, scope: Scope, yearId: string) {
  requireRole(scope, ['office', 'school_admin']);
  await visibleYear(db, scope, yearId);
  const mine = await unitIdsInScope(db, scope);
  return db
    .select({ e: regularAssessments, staffNo: staff.staffNo, name: staff.name, component: assessmentComponents.key })
    .from(regularAssessments)
    .innerJoin(staff, eq(staff.id, regularAssessments.staffId))
    .innerJoin(assessmentComponents, eq(assessmentComponents.id, regularAssessments.componentId))
    .where(and(eq(regularAssessments.yearId, yearId), inArray(staff.unitId, mine)))
    .orderBy(asc(staff.staffNo), asc(assessmentComponents.sortOrder), asc(regularAssessments.period));
}

export async function listObjections(db: Db, scope: Scope, yearId: string) {
  await managedYear(db, scope, yearId);
  return db
    .select({ o: assessmentObjections, staffName: staff.name })
    .from(assessmentObjections)
    .leftJoin(assessments, eq(assessments.id, assessmentObjections.assessmentId))
    .leftJoin(staff, eq(staff.id, assessments.staffId))
    .where(eq(assessmentObjections.yearId, yearId))
    .orderBy(asc(assessmentObjections.createdAt));
}

/** The public 公示 list: name, position and 等次 only, during the window. */
export async function publicAnnouncement(db: Db, yearId: string) {
  const { year, status } = await loadYear(db, yearId).catch(() => ({ year: null, status: null }));
  if (!year || status === 'draft') throw new NotFoundError('assessment_year');
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.id, year.unitId));
  const open = status === 'announced';
  const rows = open
    ? await db
        .select({ id: assessments.id, name: staff.name, position: staff.position, unitName: units.name, grade: assessments.grade })
        .from(assessments)
        .innerJoin(staff, eq(staff.id, assessments.staffId))
        .innerJoin(units, eq(units.id, assessments.unitId))
        .where(eq(assessments.yearId, yearId))
        .orderBy(asc(units.name), asc(staff.staffNo))
    : [];
  // the units' grades (学校目标责任制考核): the unit's name and 等次 only
  const unitRows = open
    ? await db
        .select({ id: assessments.id, name: units.name, grade: assessments.grade })
        .from(assessments)
        .innerJoin(units, eq(units.id, assessments.subjectUnitId))
        .where(eq(assessments.yearId, yearId))
        .orderBy(asc(units.sortOrder), asc(units.name))
    : [];
  return {
    title: year.title,
    unitName: unit?.name ?? '',
    year: year.year,
    open,
    announcedAt: year.announcedAt,
    endsAt: year.announcementEndsAt,
    list: rows.map((r) => ({ id: r.id, name: r.name, position: r.position, unit: r.unitName, grade: r.grade! })),
    units: unitRows.map((r) => ({ id: r.id, name: r.name, grade: r.grade! })),
  };
}
