/** Inputs of the annual assessment (年度考核), validated with zod by the API and by lib/ alike. */
import { z } from 'zod';
import { ASSESSMENT_GRADES, COMPONENT_KINDS, COMPONENT_SOURCES } from '@/lib/db/schema';

const grade = z.enum(ASSESSMENT_GRADES);
const score = z.number().min(0).max(100);

export const componentInput = z
  .object({
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,29}$/, { message: 'invalid' }),
    kind: z.enum(COMPONENT_KINDS),
    name: z.string().trim().min(1).max(30),
    weight: z.number().min(0).max(100),
    source: z.enum(COMPONENT_SOURCES),
    roundIds: z.array(z.uuid()).max(20).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.source !== 'entries' && !c.roundIds.length) ctx.addIssue({ code: 'custom', path: ['roundIds'], message: 'required' });
  });

export const rulesInput = z
  .object({
    thresholds: z.object({ excellent: score, qualified: score, basicallyQualified: score }).strict(),
    /** null: no quota */
    excellentQuotaPercent: z.number().min(0).max(100).nullable(),
    tieBreakComponent: z.string().max(30).nullable(),
    sanctionCaps: z.record(z.string().trim().min(1).max(20), grade),
    satisfactionFloor: z.object({ component: z.string().max(30), below: z.number().min(0).max(1), cap: grade }).strict().nullable(),
  })
  .partial()
  .strict()
  .superRefine((r, ctx) => {
    const t = r.thresholds;
    if (t && !(t.excellent >= t.qualified && t.qualified >= t.basicallyQualified)) ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'invalid' });
  });

function checkComponents(components: z.output<typeof componentInput>[] | undefined, ctx: z.RefinementCtx) {
  if (!components) return;
  const total = components.reduce((s, c) => s + c.weight, 0);
  if (Math.abs(total - 100) > 0.001) ctx.addIssue({ code: 'custom', path: ['components'], message: 'weights_not_100' });
  const keys = new Set<string>();
  components.forEach((c, i) => {
    if (keys.has(c.key)) ctx.addIssue({ code: 'custom', path: ['components', i, 'key'], message: 'invalid' });
    keys.add(c.key);
  });
}

export const createYearInput = z
  .object({
    /** the unit assessed: a school or a district (name or id) */
    unit: z.string().trim().min(1).max(60),
    year: z.number().int().min(2000).max(2100),
    title: z.string().trim().min(1).max(80),
    components: z.array(componentInput).min(1).max(12),
    rules: rulesInput.default({}),
  })
  .strict()
  .superRefine((v, ctx) => checkComponents(v.components, ctx));

export const updateYearInput = z
  .object({
    title: z.string().trim().min(1).max(80),
    components: z.array(componentInput).min(1).max(12),
    rules: rulesInput,
  })
  .partial()
  .strict()
  .superRefine((v, ctx) => checkComponents(v.components, ctx));

export const yearActionInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('compute') }).strict(),
  z
    .object({
      action: z.literal('announce'),
      /** working days (Mon–Fri, Asia/Shanghai); default 5 */
      workingDays: z.number().int().min(1).max(30).default(5),
      /** or an explicit end, e.g. to skip a statutory holiday */
      endsAt: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
]);

export const signInput = z
  .object({
    items: z
      .array(
        z
          .object({
            staffId: z.uuid(),
            grade,
            /** required whenever the grade differs from the proposal */
            reason: z.string().trim().max(500).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(2000),
  })
  .strict();

export const entryInput = z
  .object({
    /** 工号 or staff id */
    staff: z.string().trim().min(1).max(40),
    /** component key; default the year's first entries component */
    component: z.string().trim().max(30).optional(),
    period: z.string().trim().min(1).max(20),
    score: score.nullable().optional(),
    sanction: z.string().trim().min(1).max(20).nullable().optional(),
    note: z.string().trim().max(200).default(''),
  })
  .strict()
  .refine((e) => e.score != null || e.sanction != null, { path: ['score'], message: 'required' });

export const entriesInput = z.object({ entries: z.array(entryInput).min(1).max(2000) }).strict();

export const objectionInput = z
  .object({
    name: z.string().trim().min(1).max(30),
    contact: z.string().trim().min(3).max(60),
    /** the person the objection is about (from the list), optional */
    assessmentId: z.uuid().optional(),
    body: z.string().trim().min(5).max(2000),
  })
  .strict();

export const answerObjectionInput = z.object({ answer: z.string().trim().min(2).max(2000) }).strict();
