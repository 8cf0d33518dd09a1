/**
 * 效能风暴行动 campaigns: a district's (or the county's) campaign with its phases, the rounds run for
 * it and the deliverables each school or person owes. Everyone in the campaign's units sees the
 * campaign itself; who sees which submissions is in deliverables.ts.
 */
import { shanghaiDay } from '@/lib/assessment/calendar';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { ancestorIds, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { campaignDeliverables, campaignPhases, campaignRounds, campaigns, complaints, rounds, units } from '@/lib/db/schema';
import { ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { createCampaignInput } from './schemas';

/** Campaigns that reach the caller: of their unit or above it, or (an office or supervisor) beneath it. */
async function reachable(db: Db, scope: Scope): Promise<string[]> {
  const ids = new Set(await ancestorIds(db, scope.unitId));
  if (scope.role === 'office' || scope.role === 'supervisor') for (const id of await unitIdsInScope(db, scope)) ids.add(id);
  return [...ids];
}

export { shanghaiDay };

export async function listCampaigns(db: Db, scope: Scope) {
  const rows = await db
    .select({ c: campaigns, unitName: units.name })
    .from(campaigns)
    .innerJoin(units, eq(units.id, campaigns.unitId))
    .where(inArray(campaigns.unitId, await reachable(db, scope)))
    .orderBy(sql`${campaigns.startsOn} desc`);
  return rows.map((r) => ({ id: r.c.id, unitId: r.c.unitId, unitName: r.unitName, title: r.c.title, startsOn: r.c.startsOn, endsOn: r.c.endsOn }));
}

export async function loadCampaign(db: Db, scope: Scope, id: string) {
  const [row] = await db.select({ c: campaigns, unitName: units.name }).from(campaigns).innerJoin(units, eq(units.id, campaigns.unitId)).where(eq(campaigns.id, id));
  if (!row || !(await reachable(db, scope)).includes(row.c.unitId)) throw new NotFoundError('campaign');
  return row;
}

/** The campaign with its phases (the current one marked), deliverables, rounds and complaint count. */
export async function getCampaign(db: Db, scope: Scope, id: string, now = new Date()) {
  const { c, unitName } = await loadCampaign(db, scope, id);
  const phases = await db.select().from(campaignPhases).where(eq(campaignPhases.campaignId, id)).orderBy(asc(campaignPhases.startsOn), asc(campaignPhases.sortOrder));
  const deliverables = await db.select().from(campaignDeliverables).where(eq(campaignDeliverables.campaignId, id)).orderBy(asc(campaignDeliverables.dueAt), asc(campaignDeliverables.sortOrder));
  const roundRows = await db
    .select({ id: rounds.id, title: rounds.title, status: rounds.status })
    .from(campaignRounds)
    .innerJoin(rounds, eq(rounds.id, campaignRounds.roundId))
    .where(eq(campaignRounds.campaignId, id))
    .orderBy(asc(rounds.opensAt));
  const today = shanghaiDay(now);
  return {
    id: c.id,
    unitId: c.unitId,
    unitName,
    title: c.title,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    phases: phases.map((p) => ({ id: p.id, kind: p.kind, startsOn: p.startsOn, endsOn: p.endsOn, current: p.startsOn <= today && today <= p.endsOn })),
    deliverables: deliverables.map((d) => ({ id: d.id, scope: d.scope, title: d.title, dueAt: d.dueAt.toISOString(), overdue: d.dueAt < now })),
    rounds: roundRows,
  };
}

export async function createCampaign(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof createCampaignInput>) {
  if (scope.role !== 'office') throw new ForbiddenError('role_not_allowed');
  const input = parseInput(createCampaignInput, raw);
  const inScope = await unitIdsInScope(db, scope);
  let unitId = scope.unitId;
  if (input.unit) {
    const found = await db.select({ id: units.id, kind: units.kind }).from(units).where(sql`${units.name} = ${input.unit} or ${units.id}::text = ${input.unit}`);
    const unit = found.find((u) => inScope.includes(u.id));
    // a unit outside the scope is as unknown as one that does not exist
    if (!unit) throw new ValidationError({ unit: [{ key: 'invalid' }] });
    unitId = unit.id;
  }
  const [unit] = await db.select({ kind: units.kind }).from(units).where(eq(units.id, unitId));
  if (unit!.kind !== 'district' && unit!.kind !== 'county') throw new ValidationError({ unit: [{ key: 'campaign_unit' }] });
  if (input.roundIds.length) {
    const found = await db.select({ id: rounds.id }).from(rounds).where(and(inArray(rounds.id, input.roundIds), inArray(rounds.unitId, inScope)));
    if (found.length !== new Set(input.roundIds).size) throw new ValidationError({ roundIds: [{ key: 'invalid' }] });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(campaigns).values({ unitId, title: input.title, startsOn: input.startsOn, endsOn: input.endsOn }).returning();
    if (input.phases.length) await tx.insert(campaignPhases).values(input.phases.map((p, i) => ({ campaignId: row!.id, kind: p.kind, startsOn: p.startsOn, endsOn: p.endsOn, sortOrder: i })));
    if (input.deliverables.length)
      await tx.insert(campaignDeliverables).values(input.deliverables.map((d, i) => ({ campaignId: row!.id, scope: d.scope, title: d.title, dueAt: new Date(d.dueAt), sortOrder: i })));
    if (input.roundIds.length) await tx.insert(campaignRounds).values([...new Set(input.roundIds)].map((roundId) => ({ campaignId: row!.id, roundId })));
    await recordAudit(tx, actor, { action: 'campaign.create', entityType: 'campaign', entityId: row!.id, unitId, summary: { title: input.title } });
    return { id: row!.id };
  });
}

/** Complaints about the campaign's units filed within its dates (Asia/Shanghai days), per unit: all, open, overdue. */
export async function campaignComplaints(db: Db, campaign: { unitId: string; startsOn: string; endsOn: string }, unitIds: string[], now = new Date()) {
  if (!unitIds.length) return new Map<string, { total: number; open: number; overdue: number }>();
  const from = new Date(`${campaign.startsOn}T00:00:00+08:00`);
  const to = new Date(new Date(`${campaign.endsOn}T00:00:00+08:00`).getTime() + 86_400_000);
  const rows = await db
    .select({
      unitId: complaints.unitId,
      total: sql<number>`count(*)::int`,
      open: sql<number>`(count(*) filter (where ${complaints.status} not in ('closed', 'declined')))::int`,
      overdue: sql<number>`(count(*) filter (where ${complaints.status} not in ('closed', 'declined') and ${complaints.stepDueAt} < ${now.toISOString()}::timestamptz))::int`,
    })
    .from(complaints)
    .where(and(inArray(complaints.unitId, unitIds), sql`${complaints.createdAt} >= ${from.toISOString()}::timestamptz`, sql`${complaints.createdAt} < ${to.toISOString()}::timestamptz`))
    .groupBy(complaints.unitId);
  return new Map(rows.map((r) => [r.unitId, { total: Number(r.total), open: Number(r.open), overdue: Number(r.overdue) }]));
}
