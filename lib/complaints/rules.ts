import { eq, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import { rowsOf } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { complaintRules } from '@/lib/db/schema';
import { parseInput } from '@/lib/validation';
import { DEFAULT_STEP_DAYS } from './deadlines';
import { complaintRulesInput, type ComplaintStep } from './schemas';

/** The step periods that apply to a unit: those set on it or its nearest ancestor (a district or the county), else the defaults. */
export async function stepDaysFor(db: Db, unitId: string): Promise<Record<ComplaintStep, number>> {
  const rows = rowsOf<{ days: Record<string, number> | string }>(
    await db.execute(sql`
      with recursive up as (
        select id, parent_id, 0 as depth from units where id = ${unitId}
        union all
        select u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id
      )
      select r.days from up join complaint_rules r on r.unit_id = up.id order by up.depth limit 1`),
  );
  const days = rows[0]?.days;
  const parsed = typeof days === 'string' ? (JSON.parse(days) as Record<string, number>) : days;
  return { ...DEFAULT_STEP_DAYS, ...(parsed ?? {}) };
}

/** The office's own periods (its unit's, or inherited). */
export async function getComplaintRules(db: Db, scope: Scope) {
  return { unitId: scope.unitId, days: await stepDaysFor(db, scope.unitId) };
}

/** Sets the office's periods; complaints already in a step keep their deadline, later steps use the new periods. */
export async function setComplaintRules(db: Db, scope: Scope, actor: Actor, raw: unknown) {
  const input = parseInput(complaintRulesInput, raw);
  await db.transaction(async (tx) => {
    await tx
      .insert(complaintRules)
      .values({ unitId: scope.unitId, days: input.days })
      .onConflictDoUpdate({ target: complaintRules.unitId, set: { days: input.days, updatedAt: new Date() } });
    await recordAudit(tx, actor, { action: 'complaint_rules.update', entityType: 'unit', entityId: scope.unitId, unitId: scope.unitId, summary: { days: input.days } });
  });
  const [row] = await db.select().from(complaintRules).where(eq(complaintRules.unitId, scope.unitId));
  return { unitId: scope.unitId, days: { ...DEFAULT_STEP_DAYS, ...row!.days } };
}
