import { z } from 'zod';
import { optionalText } from '@/lib/validation';
import { LEDGER_SOURCES, LEDGER_STATUSES } from '@/lib/db/schema';
import { pageQuery } from '@/lib/paging';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
/**
 * A new 整改台帐 item. `unitId` is the school (a school admin may leave it out: their own). With
 * `complaintId` the item is made from a complaint the caller may see: the source is `complaint` and
 * the school defaults to the one the complaint is about.
 */
export const createLedgerItemInput = z
  .object({
    unitId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
    complaintId: z.uuid().optional(),
    /** an item found in a round: the round, and the question (`question` or `question.row`) for 回头看 */
    sourceRoundId: z.uuid().optional(),
    sourceQuestion: optionalText(200),
    problem: text(2, 2000),
    source: z.enum(LEDGER_SOURCES).optional(),
    sourceDetail: optionalText(500),
    measure: text(2, 2000),
    target: text(2, 1000),
    dueOn: z.iso.date(),
    responsibleStaffId: z.uuid().optional(),
  })
  .strict()
  .refine((v) => v.complaintId || v.source || v.sourceRoundId, { path: ['source'], message: 'required' })
  .refine((v) => !v.sourceQuestion || v.sourceRoundId, { path: ['sourceRoundId'], message: 'required' })
  .refine((v) => !(v.sourceRoundId && v.complaintId), { path: ['sourceRoundId'], message: 'invalid' });

/** The next step of an item, or a progress note. */
export const ledgerActionInput = z.discriminatedUnion('action', [
  /** 开始整改: open or reopened → in_progress (the school or the office) */
  z.object({ action: z.literal('start'), note: optionalText(2000) }).strict(),
  /** 整改完成: in_progress → done, with what was done */
  z.object({ action: z.literal('done'), note: text(2, 2000) }).strict(),
  /** 销号: done → verified, by the office or a supervisor, with the effect found (整改效果) */
  z.object({ action: z.literal('verify'), effect: text(2, 1000) }).strict(),
  /** 重新整改: done or verified → reopened, by the office or a supervisor, with the reason */
  z.object({ action: z.literal('reopen'), reason: text(2, 1000) }).strict(),
  /** 整改进展: a progress note, status unchanged (not on a verified item) */
  z.object({ action: z.literal('note'), note: text(1, 2000) }).strict(),
]);
export type LedgerAction = z.output<typeof ledgerActionInput>['action'];

export const ledgerListQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
  status: z.enum(LEDGER_STATUSES).optional(),
  overdue: z.enum(['1', 'true']).optional(),
});

export const ledgerExportQuery = z.object({
  unitId: z.uuid().optional(),
  campaignId: z.uuid().optional(),
});
