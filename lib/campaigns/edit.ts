/**
 * Editing a campaign (the office): title, dates, phases, linked rounds, deliverables, and the
 * rounds its report compares. Checked as a whole against the stored campaign, written in one
 * transaction, audited with the fields that changed; bad input changes nothing.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { campaignComparisons, campaignDeliverables, campaignPhases, campaignRounds, campaigns, deliverableSubmissions, rounds } from '@/lib/db/schema';
import { ConflictError, ForbiddenError, ValidationError, type FieldIssue } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { loadCampaign } from './campaigns';
import { updateCampaignInput } from './schemas';

export async function updateCampaign(db: Db, scope: Scope, actor: Actor, id: string, raw: z.input<typeof updateCampaignInput>) {
  if (scope.role !== 'office') throw new ForbiddenError('role_not_allowed');
  const input = parseInput(updateCampaignInput, raw);
  const { c } = await loadCampaign(db, scope, id);
  const inScope = await unitIdsInScope(db, scope);
  // an office beneath the campaign's unit (a district reading the county's campaign) does not edit it
  if (!inScope.includes(c.unitId)) throw new ForbiddenError('outside_scope');
  const startsOn = input.startsOn ?? c.startsOn;
  const endsOn = input.endsOn ?? c.endsOn;
  const fields: Record<string, FieldIssue[]> = {};
  const fail = (path: string, key: string) => (fields[path] ??= []).push({ key });
  if (endsOn < startsOn) fail(input.endsOn ? 'endsOn' : 'startsOn', 'closes_before_opens');
  const phases = input.phases ?? (await db.select().from(campaignPhases).where(eq(campaignPhases.campaignId, id)));
  const kinds = new Set<string>();
  phases.forEach((p, i) => {
    const at = input.phases ? `phases.${i}` : 'startsOn';
    if (p.endsOn < p.startsOn) fail(`${at}.endsOn`, 'closes_before_opens');
    if (p.startsOn < startsOn || p.endsOn > endsOn) fail(input.phases ? `${at}.startsOn` : 'startsOn', 'phase_outside_campaign');
    if (kinds.has(p.kind)) fail(`${at}.kind`, 'phase_duplicate');
    kinds.add(p.kind);
  });
  const wanted = [...new Set([...(input.roundIds ?? []), ...(input.comparison ? [input.comparison.baselineRoundId, input.comparison.followUpRoundId] : [])])];
  if (wanted.length) {
    const found = new Set((await db.select({ id: rounds.id }).from(rounds).where(and(inArray(rounds.id, wanted), inArray(rounds.unitId, inScope)))).map((r) => r.id));
    input.roundIds?.forEach((r, i) => !found.has(r) && fail(`roundIds.${i}`, 'invalid'));
    if (input.comparison && !found.has(input.comparison.baselineRoundId)) fail('comparison.baselineRoundId', 'invalid');
    if (input.comparison && !found.has(input.comparison.followUpRoundId)) fail('comparison.followUpRoundId', 'invalid');
  }
  const stored = await db.select().from(campaignDeliverables).where(eq(campaignDeliverables.campaignId, id));
  const handedIn = new Set(
    stored.length
      ? (await db.selectDistinct({ id: deliverableSubmissions.deliverableId }).from(deliverableSubmissions).where(inArray(deliverableSubmissions.deliverableId, stored.map((d) => d.id)))).map((r) => r.id)
      : [],
  );
  input.deliverables?.forEach((d, i) => {
    const old = d.id ? stored.find((s) => s.id === d.id) : undefined;
    if (d.id && !old) fail(`deliverables.${i}.id`, 'invalid');
    // who owes it cannot change under what was handed in
    if (old && old.scope !== d.scope && handedIn.has(old.id)) fail(`deliverables.${i}.scope`, 'deliverable_has_submissions');
  });
  if (Object.keys(fields).length) throw new ValidationError(fields);
  const removed = input.deliverables ? stored.filter((s) => !input.deliverables!.some((d) => d.id === s.id)) : [];
  if (removed.some((d) => handedIn.has(d.id))) throw new ConflictError('deliverable_has_submissions');

  await db.transaction(async (tx) => {
    if (input.title || input.startsOn || input.endsOn) await tx.update(campaigns).set({ title: input.title ?? c.title, startsOn, endsOn }).where(eq(campaigns.id, id));
    if (input.phases) {
      await tx.delete(campaignPhases).where(eq(campaignPhases.campaignId, id));
      if (input.phases.length) await tx.insert(campaignPhases).values(input.phases.map((p, i) => ({ campaignId: id, kind: p.kind, startsOn: p.startsOn, endsOn: p.endsOn, sortOrder: i })));
    }
    if (input.deliverables) {
      if (removed.length) await tx.delete(campaignDeliverables).where(inArray(campaignDeliverables.id, removed.map((d) => d.id)));
      for (const [i, d] of input.deliverables.entries()) {
        const values = { scope: d.scope, title: d.title, dueAt: new Date(d.dueAt), sortOrder: i };
        if (d.id) await tx.update(campaignDeliverables).set(values).where(eq(campaignDeliverables.id, d.id));
        else await tx.insert(campaignDeliverables).values({ campaignId: id, ...values });
      }
    }
    if (input.roundIds) {
      await tx.delete(campaignRounds).where(eq(campaignRounds.campaignId, id));
      if (input.roundIds.length) await tx.insert(campaignRounds).values([...new Set(input.roundIds)].map((roundId) => ({ campaignId: id, roundId })));
    }
    if (input.comparison === null) await tx.delete(campaignComparisons).where(eq(campaignComparisons.campaignId, id));
    else if (input.comparison)
      await tx
        .insert(campaignComparisons)
        .values({ campaignId: id, ...input.comparison })
        .onConflictDoUpdate({ target: campaignComparisons.campaignId, set: input.comparison });
    await recordAudit(tx, actor, {
      action: 'campaign.update',
      entityType: 'campaign',
      entityId: id,
      unitId: c.unitId,
      summary: { fields: Object.keys(input), removedDeliverables: removed.map((d) => d.title), comparison: input.comparison },
    });
  });
  return { id };
}
