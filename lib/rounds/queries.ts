import { and, desc, eq, exists, inArray, or, sql } from 'drizzle-orm';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { links, responses, roundUnits, rounds, units, type Round } from '@/lib/db/schema';

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
  const expected = await db
    .select({
      roundId: links.roundId,
      schoolId: links.schoolId,
      schoolName: units.name,
      expected: sql<number>`sum(case when ${links.kind} = 'class' then ${links.capacity} else 1 end)::int`,
    })
    .from(links)
    .innerJoin(units, eq(units.id, links.schoolId))
    .where(and(inArray(links.roundId, roundIds), inArray(links.schoolId, schoolIds), eq(links.revoked, false)))
    .groupBy(links.roundId, links.schoolId, units.name, units.sortOrder)
    .orderBy(units.sortOrder);
  const got = await db
    .select({ roundId: responses.roundId, schoolId: responses.schoolId, n: sql<number>`count(*)::int` })
    .from(responses)
    .where(and(inArray(responses.roundId, roundIds), inArray(responses.schoolId, schoolIds)))
    .groupBy(responses.roundId, responses.schoolId);
  return expected.map((e) => ({
    ...e,
    expected: Number(e.expected),
    responses: Number(got.find((g) => g.roundId === e.roundId && g.schoolId === e.schoolId)?.n ?? 0),
  }));
}
