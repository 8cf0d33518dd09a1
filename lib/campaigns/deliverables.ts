/**
 * What each school and person owes a campaign, and the overview per school: submitted on time,
 * late, missing (past the deadline) or pending (not yet due). A school admin submits their school's
 * deliverables; a person with a staff record submits their own. Submissions are read by the office
 * (every school in its scope) and a school admin (their school); a person reads their own.
 */
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { campaignDeliverables, deliverableSubmissions, staff, units } from '@/lib/db/schema';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { campaignComplaints, loadCampaign } from './campaigns';
import { submitDeliverableInput } from './schemas';

export type DeliverableState = 'submitted' | 'late' | 'missing' | 'pending';

/** The state of one owed item, pure. */
export function deliverableState(dueAt: Date, submittedAt: Date | null, now: Date): DeliverableState {
  if (submittedAt) return submittedAt <= dueAt ? 'submitted' : 'late';
  return now > dueAt ? 'missing' : 'pending';
}

async function loadDeliverable(db: Db, scope: Scope, campaignId: string, deliverableId: string) {
  const campaign = await loadCampaign(db, scope, campaignId);
  const [d] = await db.select().from(campaignDeliverables).where(and(eq(campaignDeliverables.id, deliverableId), eq(campaignDeliverables.campaignId, campaignId)));
  if (!d) throw new NotFoundError('deliverable');
  return { campaign: campaign.c, d };
}

/** The schools of the campaign the caller may see: all beneath its unit for the office and supervisor (within their scope), their own for a school admin. */
async function schoolsFor(db: Db, scope: Scope, campaignUnitId: string) {
  const beneath = await unitIdsInScope(db, { role: 'office', unitId: campaignUnitId });
  let ids = beneath;
  if (scope.role === 'school_admin') ids = beneath.includes(scope.unitId) ? [scope.unitId] : [];
  else if (scope.role === 'office' || scope.role === 'supervisor') {
    const mine = new Set(await unitIdsInScope(db, scope));
    ids = beneath.filter((id) => mine.has(id));
  } else throw new ForbiddenError('role_not_allowed');
  if (!ids.length) return [];
  return db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(inArray(units.id, ids), eq(units.kind, 'school'), eq(units.active, true)))
    .orderBy(asc(units.sortOrder), asc(units.name));
}

/** One row per school: each deliverable's state (school items) or counts (personal items), and the campaign's complaints. */
export async function campaignOverview(db: Db, scope: Scope, campaignId: string, now = new Date()) {
  const { c } = await loadCampaign(db, scope, campaignId);
  const schools = await schoolsFor(db, scope, c.unitId);
  const schoolIds = schools.map((s) => s.id);
  const deliverables = await db.select().from(campaignDeliverables).where(eq(campaignDeliverables.campaignId, campaignId)).orderBy(asc(campaignDeliverables.dueAt), asc(campaignDeliverables.sortOrder));
  const subs = schoolIds.length && deliverables.length
    ? await db
        .select({ deliverableId: deliverableSubmissions.deliverableId, unitId: deliverableSubmissions.unitId, staffId: deliverableSubmissions.staffId, submittedAt: deliverableSubmissions.submittedAt })
        .from(deliverableSubmissions)
        .where(and(inArray(deliverableSubmissions.deliverableId, deliverables.map((d) => d.id)), inArray(deliverableSubmissions.unitId, schoolIds)))
    : [];
  const staffCounts = schoolIds.length
    ? await db.select({ unitId: staff.unitId, n: count() }).from(staff).where(and(inArray(staff.unitId, schoolIds), eq(staff.active, true))).groupBy(staff.unitId)
    : [];
  const expected = new Map(staffCounts.map((r) => [r.unitId, Number(r.n)]));
  const complaintsBySchool = await campaignComplaints(db, c, schoolIds, now);
  const rows = schools.map((s) => ({
    schoolId: s.id,
    schoolName: s.name,
    deliverables: deliverables.map((d) => {
      const mine = subs.filter((x) => x.deliverableId === d.id && x.unitId === s.id);
      if (d.scope === 'school') {
        const sub = mine.find((x) => x.staffId === null);
        return { deliverableId: d.id, state: deliverableState(d.dueAt, sub?.submittedAt ?? null, now), submittedAt: sub?.submittedAt.toISOString() ?? null, counts: null };
      }
      const onTime = mine.filter((x) => x.staffId && x.submittedAt <= d.dueAt).length;
      const late = mine.filter((x) => x.staffId && x.submittedAt > d.dueAt).length;
      const owed = Math.max((expected.get(s.id) ?? 0) - onTime - late, 0);
      const counts = { expected: expected.get(s.id) ?? 0, submitted: onTime, late, missing: now > d.dueAt ? owed : 0, pending: now > d.dueAt ? 0 : owed };
      const state: DeliverableState = counts.missing > 0 ? 'missing' : counts.pending > 0 ? 'pending' : counts.late > 0 ? 'late' : 'submitted';
      return { deliverableId: d.id, state, submittedAt: null, counts };
    }),
    complaints: complaintsBySchool.get(s.id) ?? { total: 0, open: 0, overdue: 0 },
  }));
  const totals = Object.fromEntries(
    deliverables.map((d) => {
      const states = rows.map((r) => r.deliverables.find((x) => x.deliverableId === d.id)!);
      const sum = (k: 'submitted' | 'late' | 'missing' | 'pending') =>
        d.scope === 'school' ? states.filter((x) => x.state === k).length : states.reduce((n, x) => n + (x.counts?.[k] ?? 0), 0);
      return [d.id, { submitted: sum('submitted'), late: sum('late'), missing: sum('missing'), pending: sum('pending') }];
    }),
  );
  return {
    campaignId,
    deliverables: deliverables.map((d) => ({ id: d.id, scope: d.scope, title: d.title, dueAt: d.dueAt.toISOString(), overdue: d.dueAt < now, totals: totals[d.id]! })),
    schools: rows,
  };
}

/** What the caller owes: their school's items (a school admin) and their own (anyone with a staff record), with what they handed in. */
export async function myDeliverables(db: Db, scope: Scope, campaignId: string, now = new Date()) {
  const { c } = await loadCampaign(db, scope, campaignId);
  const beneath = await unitIdsInScope(db, { role: 'office', unitId: c.unitId });
  const deliverables = await db.select().from(campaignDeliverables).where(eq(campaignDeliverables.campaignId, campaignId)).orderBy(asc(campaignDeliverables.dueAt));
  const out = [];
  for (const d of deliverables) {
    const owner = await ownerOf(db, scope, d.scope, beneath).catch(() => null);
    if (!owner) continue;
    const [sub] = await db
      .select()
      .from(deliverableSubmissions)
      .where(and(eq(deliverableSubmissions.deliverableId, d.id), eq(deliverableSubmissions.unitId, owner.unitId), owner.staffId ? eq(deliverableSubmissions.staffId, owner.staffId) : sql`${deliverableSubmissions.staffId} is null`));
    out.push({
      id: d.id,
      scope: d.scope,
      title: d.title,
      dueAt: d.dueAt.toISOString(),
      state: deliverableState(d.dueAt, sub?.submittedAt ?? null, now),
      body: sub?.body ?? null,
      submittedAt: sub?.submittedAt.toISOString() ?? null,
    });
  }
  return out;
}

/** Who submits a deliverable for the caller: their school (a school admin) or themselves (a staff record). */
async function ownerOf(db: Db, scope: Scope, kind: 'school' | 'person', campaignUnits: string[]) {
  if (kind === 'school') {
    if (scope.role !== 'school_admin' || !campaignUnits.includes(scope.unitId)) throw new ForbiddenError('role_not_allowed');
    return { unitId: scope.unitId, staffId: null };
  }
  if (!scope.staffId) throw new ForbiddenError('no_staff_record');
  const [s] = await db.select({ unitId: staff.unitId }).from(staff).where(eq(staff.id, scope.staffId));
  if (!s || !campaignUnits.includes(s.unitId)) throw new ForbiddenError('outside_scope');
  return { unitId: s.unitId, staffId: scope.staffId };
}

/** Hands in (or revises) a deliverable as text; the first submission's time decides whether it was late. */
export async function submitDeliverable(db: Db, scope: Scope, actor: Actor, campaignId: string, deliverableId: string, raw: unknown, now = new Date()) {
  const { campaign, d } = await loadDeliverable(db, scope, campaignId, deliverableId);
  const input = parseInput(submitDeliverableInput, raw);
  const beneath = await unitIdsInScope(db, { role: 'office', unitId: campaign.unitId });
  const owner = await ownerOf(db, scope, d.scope, beneath);
  await db.transaction(async (tx) => {
    const by = actor.type === 'user' ? actor.userId : null;
    // the unique index is on an expression (a school's item has no staff id), which drizzle's
    // onConflict target cannot name: one statement, so concurrent submissions cannot collide
    await tx.execute(sql`
      insert into deliverable_submissions (deliverable_id, unit_id, staff_id, body, submitted_at, updated_at, submitted_by)
      values (${deliverableId}, ${owner.unitId}, ${owner.staffId}, ${input.body}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${by})
      on conflict (deliverable_id, unit_id, coalesce(staff_id, '00000000-0000-0000-0000-000000000000'::uuid))
      do update set body = excluded.body, updated_at = excluded.updated_at, submitted_by = excluded.submitted_by`);
    await recordAudit(tx, actor, { action: 'campaign_deliverable.submit', entityType: 'campaign_deliverable', entityId: deliverableId, unitId: owner.unitId, summary: { campaignId, staffId: owner.staffId } });
  });
  return { id: deliverableId, state: deliverableState(d.dueAt, (await mySubmittedAt(db, deliverableId, owner)) ?? null, now) };
}

async function mySubmittedAt(db: Db, deliverableId: string, owner: { unitId: string; staffId: string | null }) {
  const [row] = await db
    .select({ at: deliverableSubmissions.submittedAt })
    .from(deliverableSubmissions)
    .where(and(eq(deliverableSubmissions.deliverableId, deliverableId), eq(deliverableSubmissions.unitId, owner.unitId), owner.staffId ? eq(deliverableSubmissions.staffId, owner.staffId) : sql`${deliverableSubmissions.staffId} is null`));
  return row?.at;
}

/** The texts handed in for a deliverable: the office reads its schools', a school admin their school's. */
export async function listSubmissions(db: Db, scope: Scope, campaignId: string, deliverableId: string, now = new Date()) {
  const { campaign, d } = await loadDeliverable(db, scope, campaignId, deliverableId);
  if (scope.role !== 'office' && scope.role !== 'school_admin') throw new ForbiddenError('role_not_allowed');
  const schools = (await schoolsFor(db, scope, campaign.unitId)).map((s) => s.id);
  if (!schools.length) return { submissions: [] };
  const rows = await db
    .select({ s: deliverableSubmissions, unitName: units.name, staffName: staff.name })
    .from(deliverableSubmissions)
    .innerJoin(units, eq(units.id, deliverableSubmissions.unitId))
    .leftJoin(staff, eq(staff.id, deliverableSubmissions.staffId))
    .where(and(eq(deliverableSubmissions.deliverableId, deliverableId), inArray(deliverableSubmissions.unitId, schools)))
    .orderBy(asc(units.name), asc(staff.name));
  return {
    submissions: rows.map((r) => ({
      unitId: r.s.unitId,
      unitName: r.unitName,
      staffId: r.s.staffId,
      staffName: r.staffName,
      body: r.s.body,
      submittedAt: r.s.submittedAt.toISOString(),
      updatedAt: r.s.updatedAt.toISOString(),
      state: deliverableState(d.dueAt, r.s.submittedAt, now),
    })),
  };
}
