import { z } from 'zod';
import { CAMPAIGN_PHASE_KINDS, DELIVERABLE_SCOPES } from '@/lib/db/schema';

const day = z.iso.date();

export const phaseInput = z.object({ kind: z.enum(CAMPAIGN_PHASE_KINDS), startsOn: day, endsOn: day }).strict();
export const deliverableInput = z
  .object({ scope: z.enum(DELIVERABLE_SCOPES), title: z.string().trim().min(2).max(60), dueAt: z.iso.datetime({ offset: true }) })
  .strict();

export const createCampaignInput = z
  .object({
    title: z.string().trim().min(2).max(80),
    /** the district or county the campaign belongs to (name or id); default the caller's unit */
    unit: z.string().trim().min(1).max(80).optional(),
    startsOn: day,
    endsOn: day,
    phases: z.array(phaseInput).max(4).default([]),
    deliverables: z.array(deliverableInput).max(20).default([]),
    roundIds: z.array(z.uuid()).max(50).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.endsOn < c.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'closes_before_opens' });
    const kinds = new Set<string>();
    c.phases.forEach((p, i) => {
      if (p.endsOn < p.startsOn) ctx.addIssue({ code: 'custom', path: ['phases', i, 'endsOn'], message: 'closes_before_opens' });
      if (p.startsOn < c.startsOn || p.endsOn > c.endsOn) ctx.addIssue({ code: 'custom', path: ['phases', i, 'startsOn'], message: 'phase_outside_campaign' });
      if (kinds.has(p.kind)) ctx.addIssue({ code: 'custom', path: ['phases', i, 'kind'], message: 'phase_duplicate' });
      kinds.add(p.kind);
    });
  });

/** A deliverable handed in as text (a school's 整改方案, a person's 书面总结). */
export const submitDeliverableInput = z.object({ body: z.string().trim().min(10).max(20000) }).strict();

/**
 * Editing a campaign: every field optional; a list given replaces the stored one. A deliverable
 * with an id is edited, one without is added, a stored one left out is removed (refused once
 * anything was handed in for it). `comparison` sets (or with null clears) the before/after rounds.
 */
export const updateCampaignInput = z
  .object({
    title: z.string().trim().min(2).max(80).optional(),
    startsOn: day.optional(),
    endsOn: day.optional(),
    phases: z.array(phaseInput).max(4).optional(),
    deliverables: z.array(deliverableInput.extend({ id: z.uuid().optional() }).strict()).max(20).optional(),
    roundIds: z.array(z.uuid()).max(50).optional(),
    comparison: z.object({ baselineRoundId: z.uuid(), followUpRoundId: z.uuid() }).strict().nullable().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.comparison && c.comparison.baselineRoundId === c.comparison.followUpRoundId)
      ctx.addIssue({ code: 'custom', path: ['comparison', 'followUpRoundId'], message: 'comparison_same_round' });
  });
