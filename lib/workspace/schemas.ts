import { z } from 'zod';
import { SELF_REPORT_STATUSES } from '@/lib/db/schema';

const text = (max: number) => z.string().trim().max(max);

/** Saving (a draft) or submitting one's self-inspection report. */
export const saveReportInput = z
  .object({
    /** the SurveyJS answers of the self-inspection form (problems and measures are its named questions) */
    answers: z.record(z.string(), z.unknown()).default({}),
    /** 公开承诺 */
    commitments: text(1000).default(''),
    /** false: keep as a draft; true: submit it for review (every required answer is checked) */
    submit: z.boolean().default(false),
  })
  .strict();

export const reviewReportInput = z
  .object({
    action: z.enum(['review', 'return']),
    /** required when returning: what to change */
    remark: text(500).optional(),
  })
  .strict()
  .refine((v) => v.action !== 'return' || (v.remark && v.remark.length > 0), { path: ['remark'], message: 'required' });

export const listReportsQuery = z.object({
  roundId: z.uuid().optional(),
  status: z.enum(SELF_REPORT_STATUSES).optional(),
});
