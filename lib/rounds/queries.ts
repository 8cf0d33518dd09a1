import { and, desc, eq, exists, inArray, or, sql } from 'drizzle-orm';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, linkTotals, raterGroups, roundForms, roundUnits, rounds, schoolCounts, templates, templateVersions, units, type Round } from '@/lib/db/schema';
import { NotFoundError } from '@/lib/errors';
import { classProgress } from '@/lib/responses/respond';
import { sealIfClosed } from './seal';

export interface RoundSummary extends Round {
  responses: number;
  expected: number;
}

/**
 * Rounds run by a unit in the caller's scope or covering one, with the response count and the
 * number expected (class link capacities plus one per slip or personal link), counted only over
 * the schools the caller may see.
 */
export async function listRounds(
  db: Db,
  scope: Scope,
  filter: { status?: Round['status']; limit?: number } = {},
): Promise<RoundSummary[]> {
  const ids = await unitIdsInScope(db, scope);
  if (!ids.length) return [];
  const list = await db
    .select()
    .from(rounds)
    .where(
      and(
        filter.status ? eq(rounds.status, filter.status) : undefined,
        or(
          inArray(rounds.unitId, ids),
          exists(db.select({ one: sql`1` }).from(roundUnits).where(and(eq(roundUnits.roundId, rounds.id), inArray(roundUnits.unitId, ids)))),
        ),
      ),
    )
    .orderBy(desc(rounds.opensAt))
    .limit(filter.limit ?? 50);
  if (!list.length) return [];
  const rates = await responseRates(db, list.map((r) => r.id), ids);
  return list.map((r) => {
    const totals = rates.filter((x) => x.roundId === r.id);
    return {
      ...r,
      responses: totals.reduce((s, x) => s + x.responses, 0),
      expected: totals.reduce((s, x) => s + x.expected, 0),
    };
  });
}

export interface SchoolRate {
  roundId: string;
  schoolId: string;
  schoolName: string;
  responses: number;
  expected: number;
}

/** 回收率 per round and school. */
export async function responseRates(db: Db, roundIds: string[], schoolIds: string[]): Promise<SchoolRate[]> {
  if (!roundIds.length || !schoolIds.length) return [];
  // places from the link totals (a few rows per school, however many codes were issued)
  const expected = await db
    .select({
      roundId: linkTotals.roundId,
      schoolId: linkTotals.schoolId,
      schoolName: units.name,
      expected: sql<number>`sum(${linkTotals.places})::int`,
    })
    .from(linkTotals)
    .innerJoin(units, eq(units.id, linkTotals.schoolId))
    .where(and(inArray(linkTotals.roundId, roundIds), inArray(linkTotals.schoolId, schoolIds)))
    .groupBy(linkTotals.roundId, linkTotals.schoolId, units.name, units.sortOrder)
    .having(sql`sum(${linkTotals.links}) > 0`)
    .orderBy(units.sortOrder);
  // responses received, valid or void, from the count tables (exact, and a few rows per school
  // instead of a count over every response)
  const got = await db
    .select({ roundId: schoolCounts.roundId, schoolId: schoolCounts.schoolId, n: sql<number>`sum(${schoolCounts.n})::int` })
    .from(schoolCounts)
    .where(
      and(
        inArray(schoolCounts.roundId, roundIds),
        inArray(schoolCounts.schoolId, schoolIds),
        eq(schoolCounts.question, ''),
        inArray(schoolCounts.value, ['valid', 'void']),
      ),
    )
    .groupBy(schoolCounts.roundId, schoolCounts.schoolId);
  return expected.map((e) => ({
    ...e,
    expected: Number(e.expected),
    responses: Number(got.find((g) => g.roundId === e.roundId && g.schoolId === e.schoolId)?.n ?? 0),
  }));
}

/** A round the caller may see (run by or covering a unit in its scope) with its parts, or 404. */
export async function getRound(db: Db, scope: Scope, roundId: string) {
  // independent reads in parallel (a pool serves them at once; PGlite queues them)
  const [ids, [round], coveredRows, groups, forms, schools] = await Promise.all([
    unitIdsInScope(db, scope),
    db.select().from(rounds).where(eq(rounds.id, roundId)),
    db.select({ id: roundUnits.unitId }).from(roundUnits).where(eq(roundUnits.roundId, roundId)),
    db.select().from(raterGroups).where(eq(raterGroups.roundId, roundId)),
    db
      .select({ form: roundForms, templateName: templates.name, version: templateVersions.version })
      .from(roundForms)
      .innerJoin(templateVersions, eq(templateVersions.id, roundForms.templateVersionId))
      .innerJoin(templates, eq(templates.id, templateVersions.templateId))
      .where(eq(roundForms.roundId, roundId)),
    db.select({ unit: units }).from(units).innerJoin(roundUnits, eq(roundUnits.unitId, units.id)).where(eq(roundUnits.roundId, roundId)),
  ]);
  if (!round) throw new NotFoundError('round');
  const covered = coveredRows.map((r) => r.id);
  if (!ids.includes(round.unitId) && !covered.some((u) => ids.includes(u))) throw new NotFoundError('round');
  const visible = schools.map((s) => s.unit).filter((s) => ids.includes(s.id) || ids.includes(round.unitId));
  // a round whose window ended by itself is sealed the first time anyone opens it (an explicit
  // close seals at once; `pingyi seal` does it from cron for rounds nobody opens)
  await sealIfClosed(db, round);
  return { round, groups, forms, schools: visible, scopeIds: ids };
}

/** 回收率 of a round per class and school, received against expected, within the caller's scope. */
export async function roundProgress(db: Db, scope: Scope, roundId: string) {
  const { round, schools, scopeIds } = await getRound(db, scope, roundId);
  const visible = schools.map((s) => s.id).filter((id) => scopeIds.includes(id) || scopeIds.includes(round.unitId));
  const rows = await classProgress(db, roundId, visible);
  const classRows = rows.length
    ? await db.select().from(classes).where(inArray(classes.id, rows.map((r) => r.classId).filter((x): x is string => Boolean(x))))
    : [];
  const name = new Map(schools.map((s) => [s.id, s.name]));
  const perClass = rows.map((r) => ({
    schoolId: r.schoolId,
    schoolName: name.get(r.schoolId) ?? '',
    classId: r.classId,
    className: classRows.find((c) => c.id === r.classId)?.name ?? null,
    received: Number(r.received),
    expected: Number(r.expected),
  }));
  const perSchool = visible.map((id) => {
    const mine = perClass.filter((c) => c.schoolId === id);
    return { schoolId: id, schoolName: name.get(id) ?? '', received: mine.reduce((s, c) => s + c.received, 0), expected: mine.reduce((s, c) => s + c.expected, 0) };
  });
  const received = perSchool.reduce((s, x) => s + x.received, 0);
  const expected = perSchool.reduce((s, x) => s + x.expected, 0);
  return { roundId, received, expected, perSchool, perClass };
}
