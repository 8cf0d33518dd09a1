import { z } from 'zod';
import { RATER_KINDS } from '@/lib/db/schema';
import { scoringConfig } from '@/lib/scoring/config';

const isoDate = z.iso.datetime({ offset: true });

export const raterGroupInput = z.object({
  kind: z.enum(RATER_KINDS),
  name: z.string().trim().min(1).max(30),
  /** percent of the composite score */
  weight: z.number().min(0).max(100),
});

export const formInput = z.object({
  templateId: z.uuid(),
  /** defaults to the template's latest version */
  version: z.number().int().min(1).optional(),
  /** index into raterGroups */
  raterGroup: z.number().int().min(0),
  subjectMode: z.enum(['school', 'class_teachers', 'ballot', 'self']),
  title: z.string().trim().min(1).max(60).optional(),
  /** for ballot forms: staff numbers (工号) and/or unit names on the ballot */
  ballot: z.array(z.string().trim().min(1).max(60)).max(500).optional(),
});

export const createRoundInput = z
  .object({
    title: z.string().trim().min(1).max(80),
    schoolYear: z.string().regex(/^\d{4}-\d{4}$/, { message: 'school_year' }),
    term: z.union([z.literal(1), z.literal(2)]),
    /** schools (names or ids); default: every active school of the office's district */
    units: z.array(z.string().trim().min(1)).max(500).optional(),
    opensAt: isoDate,
    closesAt: isoDate,
    anonymityThreshold: z.number().int().min(1).max(100).default(5),
    commentThreshold: z.number().int().min(1).max(100).default(10),
    /** trimming, 满意率 numerator, ballot void rules; omitted keys take the published defaults */
    scoring: scoringConfig.optional(),
    testMode: z.boolean().default(false),
    /** when the raw answers are deleted (default: the end of the school year after next, see lib/retention) */
    retainUntil: isoDate.optional(),
    raterGroups: z.array(raterGroupInput).min(1).max(10),
    forms: z.array(formInput).min(1).max(20),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (Date.parse(v.closesAt) <= Date.parse(v.opensAt)) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: 'closes_before_opens' });
    if (v.retainUntil && Date.parse(v.retainUntil) <= Date.parse(v.closesAt)) ctx.addIssue({ code: 'custom', path: ['retainUntil'], message: 'retain_before_close' });
    const total = v.raterGroups.reduce((s, g) => s + g.weight, 0);
    if (Math.abs(total - 100) > 0.001) ctx.addIssue({ code: 'custom', path: ['raterGroups'], message: 'weights_not_100' });
    v.forms.forEach((f, i) => {
      if (f.raterGroup >= v.raterGroups.length) ctx.addIssue({ code: 'custom', path: ['forms', i, 'raterGroup'], message: 'invalid' });
      if (f.subjectMode === 'ballot' && !f.ballot?.length) ctx.addIssue({ code: 'custom', path: ['forms', i, 'ballot'], message: 'required' });
    });
  });
export type CreateRoundInput = z.input<typeof createRoundInput>;

/** What a draft round may change (its forms and groups are set at creation: make a new draft to change them). */
export const updateRoundInput = z
  .object({
    title: z.string().trim().min(1).max(80),
    opensAt: isoDate,
    closesAt: isoDate,
    anonymityThreshold: z.number().int().min(1).max(100),
    commentThreshold: z.number().int().min(1).max(100),
    scoring: scoringConfig,
    testMode: z.boolean(),
  })
  .partial()
  .strict();

export const roundActionInput = z
  .object({
    /**
     * release_pooled / withhold_pooled: whether school admins read, in the annual assessment, the
     * pooled figure of their staff rated mostly in other schools (lib/scoring/disclosure.ts)
     */
    action: z.enum(['open', 'close', 'extend', 'release_schools', 'release_staff', 'release_pooled', 'withhold_pooled', 'wipe_test_answers']),
    closesAt: isoDate.optional(),
  })
  .strict()
  .refine((v) => v.action !== 'extend' || v.closesAt, { path: ['closesAt'], message: 'required' });

export const issueLinksInput = z
  .object({
    kind: z.enum(['class', 'code', 'personal']),
    formId: z.uuid(),
    /** codes: how many slips per class (or for the school when classId is omitted) */
    count: z.number().int().min(1).max(2000).optional(),
    schoolId: z.uuid().optional(),
    classId: z.uuid().optional(),
    /** personal links: staff numbers of the representatives or colleagues, or free labels */
    people: z.array(z.string().trim().min(1).max(60)).max(1000).optional(),
    label: z.string().trim().max(40).optional(),
  })
  .strict();

export const submitInput = z
  .object({
    /** a random key the answering page keeps with its draft: a retried submission is accepted once */
    idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, { message: 'invalid' }),
    /** subject key (school, self, or a staff/unit id) → the answers about that subject */
    answers: z.record(z.string().max(64), z.record(z.string(), z.unknown())),
  })
  .strict();
