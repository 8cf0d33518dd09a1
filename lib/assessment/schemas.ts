/** Inputs of the annual assessment (年度考核), validated with zod by the API and by lib/ alike. */
import { z } from 'zod';
import { ASSESSMENT_GRADES, COMPONENT_KINDS, COMPONENT_SOURCES, COMPONENT_SUBJECTS } from '@/lib/db/schema';

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
    /** staff (年度考核, default) or units (学校目标责任制考核: the schools under the year's unit) */
    appliesTo: z.enum(COMPONENT_SUBJECTS).default('staff'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.source !== 'entries' && !c.roundIds.length) ctx.addIssue({ code: 'custom', path: ['roundIds'], message: 'required' });
    // a unit's own appraisal and its 领导班子's grade units; a person has neither
    if ((c.source === 'unit_score' || c.source === 'team_score') && c.appliesTo !== 'unit') ctx.addIssue({ code: 'custom', path: ['source'], message: 'unit_source' });
    if (c.source === 'round_score' || c.source === 'round_satisfaction') if (c.appliesTo === 'unit') ctx.addIssue({ code: 'custom', path: ['source'], message: 'staff_source' });
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
  // staff and units are graded separately: each group present has weights summing to 100
  for (const group of COMPONENT_SUBJECTS) {
    const list = components.filter((c) => c.appliesTo === group);
    const total = list.reduce((s, c) => s + c.weight, 0);
    if (list.length && Math.abs(total - 100) > 0.001) ctx.addIssue({ code: 'custom', path: ['components'], message: 'weights_not_100' });
  }
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
            /** the staff member graded, or */
            staffId: z.uuid().nullable().optional(),
            /** the unit graded (学校目标责任制考核) */
            unitId: z.uuid().nullable().optional(),
            grade,
            /** required whenever the grade differs from the proposal */
            reason: z.string().trim().max(500).optional(),
          })
          .strict()
          .refine((i) => Boolean(i.staffId) !== Boolean(i.unitId), { path: ['staffId'], message: 'one_subject' }),
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

/** Manual entries of graded units (a school's 目标责任制 items scored by the office). */
export const unitEntriesInput = z
  .object({
    entries: z
      .array(
        z
          .object({
            /** unit name or id */
            unit: z.string().trim().min(1).max(60),
            /** component key (a unit entries component); default the year's first */
            component: z.string().trim().max(30).optional(),
            period: z.string().trim().min(1).max(20),
            score,
            note: z.string().trim().max(200).default(''),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();

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
