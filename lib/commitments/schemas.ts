import { z } from 'zod';
import { COMMITMENT_STATUSES } from '@/lib/db/schema';
import { pageQuery } from '@/lib/paging';
import { optionalText } from '@/lib/validation';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

/**
 * A new 公开承诺. `kind` says whose it is: `personal` (the caller's own, as a staff member) or
 * `school` (the school's, by its school admin); left out it is the school's for a school admin and
 * the caller's own for everyone else.
 */
export const createCommitmentInput = z
  .object({
    kind: z.enum(['personal', 'school']).optional(),
    campaignId: z.uuid().optional(),
    /** 承诺事项 */
    body: text(4, 500),
    /** 时限 */
    dueOn: z.iso.date(),
  })
  .strict();

/** Editing a pending or returned commitment resubmits it for approval. */
export const editCommitmentInput = z
  .object({
    body: text(4, 500).optional(),
    dueOn: z.iso.date().optional(),
  })
  .strict()
  .refine((v) => v.body !== undefined || v.dueOn !== undefined, { path: ['body'], message: 'required' });

export const commitmentActionInput = z.discriminatedUnion('action', [
  /** 审核通过: pending → approved (published), by the office */
  z.object({ action: z.literal('approve') }).strict(),
  /** 退回: pending → rejected with the reason, by the office; the author edits and resubmits */
  z.object({ action: z.literal('reject'), reason: text(2, 1000) }).strict(),
  /** 报告履诺情况: approved → reported, by the author */
  z.object({ action: z.literal('report'), fulfilment: text(2, 2000) }).strict(),
  /**
   * 确认: reported → fulfilled or unfulfilled, by the office; an approved commitment past its
   * deadline that was never reported may be confirmed unfulfilled too (with the remark saying so)
   */
  z
    .object({ action: z.literal('confirm'), result: z.enum(['fulfilled', 'unfulfilled']), remark: optionalText(1000) })
    .strict()
    .refine((v) => v.result === 'fulfilled' || v.remark, { path: ['remark'], message: 'required' }),
]);
export type CommitmentAction = z.output<typeof commitmentActionInput>['action'];

export const commitmentListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  status: z.enum(COMMITMENT_STATUSES).optional(),
  kind: z.enum(['personal', 'school']).optional(),
  /** approved, past the deadline and not reported */
  overdue: z.enum(['1', 'true']).optional(),
  /** only the caller's own (their personal ones; a school admin's school ones) */
  mine: z.enum(['1', 'true']).optional(),
});
