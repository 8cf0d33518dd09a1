/**
 * What 效能问责 records do to the annual assessment: a record that is not revoked, was decided in
 * the assessment's year (1 January to 31 December: an assessment year is a calendar year) and whose
 * kind carries a cap keeps the person's proposed grade at or below that cap (lib/assessment/rules.ts
 * notes it as `accountability_cap`, naming the measure). Entered once, no sanction entry needed.
 */
import { and, asc, eq, gte, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { accountabilityRecords, accountabilityTypes, type AssessmentGrade } from '@/lib/db/schema';

export interface MeasureCap {
  measure: string;
  decidedOn: string;
  cap: AssessmentGrade;
}

/** staffId → the capping measures of the year, in the order decided. */
export async function accountabilityCaps(db: Db, year: number, staffIds: readonly string[]): Promise<Map<string, MeasureCap[]>> {
  const out = new Map<string, MeasureCap[]>();
  if (!staffIds.length) return out;
  // a year's measures are few; the people of a county-wide year are many, so filter them here
  const wanted = new Set(staffIds);
  const rows = await db
    .select({ staffId: accountabilityRecords.staffId, measure: accountabilityTypes.name, decidedOn: accountabilityRecords.decidedOn, cap: accountabilityTypes.capGrade })
    .from(accountabilityRecords)
    .innerJoin(accountabilityTypes, eq(accountabilityTypes.id, accountabilityRecords.typeId))
    .where(
      and(
        isNull(accountabilityRecords.revokedAt),
        isNotNull(accountabilityTypes.capGrade),
        gte(accountabilityRecords.decidedOn, `${year}-01-01`),
        lte(accountabilityRecords.decidedOn, `${year}-12-31`),
      ),
    )
    .orderBy(asc(accountabilityRecords.decidedOn));
  for (const r of rows) if (wanted.has(r.staffId)) out.set(r.staffId, [...(out.get(r.staffId) ?? []), { measure: r.measure, decidedOn: r.decidedOn, cap: r.cap! }]);
  return out;
}
