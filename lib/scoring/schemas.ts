/**
 * The shapes of round results: the zod schemas validate the API's filters and describe its
 * responses in the OpenAPI document; the TypeScript types come from them.
 */
import { z } from 'zod';

const score = z.number().nullable();

export const resultsQuery = z
  .object({
    level: z.enum(['district', 'school', 'subject']).default('district'),
    /** for level=school */
    schoolId: z.uuid().optional(),
    /** for level=subject: a staff member or a unit that was rated */
    subjectId: z.uuid().optional(),
    raterGroupId: z.uuid().optional(),
    /** e.g. 服务水平: the score becomes that dimension's score */
    dimension: z.string().trim().min(1).max(40).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.level === 'school' && !v.schoolId) ctx.addIssue({ code: 'custom', path: ['schoolId'], message: 'required' });
    if (v.level === 'subject' && !v.subjectId) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: 'required' });
  });
export type ResultsQuery = z.output<typeof resultsQuery>;

export const questionStatsSchema = z.object({
  answered: z.number().int(),
  valid: z.number().int(),
  excluded: z.number().int(),
  distribution: z.record(z.string(), z.number().int()),
  mean: score,
  sd: score,
  median: score,
  trimmedMean: score,
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  satisfaction: score,
});

export const itemResultSchema = z.object({
  formId: z.uuid(),
  raterGroupId: z.uuid(),
  question: z.string(),
  row: z.string(),
  title: z.string(),
  dimension: z.string().nullable(),
  /** value → label, in scale order */
  choices: z.array(z.object({ value: z.string(), text: z.string() })),
  suppressed: z.boolean(),
  stats: questionStatsSchema.nullable(),
});

export const gradeVotesSchema = z.object({
  raterGroupId: z.uuid(),
  question: z.string(),
  suppressed: z.boolean(),
  votes: z.array(z.object({ value: z.string(), text: z.string(), count: z.number().int(), share: z.number() })).nullable(),
});

export const groupResultSchema = z.object({
  raterGroupId: z.uuid(),
  name: z.string(),
  kind: z.string(),
  weight: z.number(),
  /** null where the group is suppressed (below the office, a hidden cell carries no count) */
  respondents: z.number().int().nullable(),
  suppressed: z.boolean(),
  score,
  satisfaction: score,
  dimensions: z.record(z.string(), z.number().nullable()).nullable(),
});

const interval = z.tuple([z.number(), z.number()]).nullable();

export const summarySchema = z.object({
  key: z.string(),
  type: z.enum(['staff', 'unit', 'school', 'district']),
  name: z.string(),
  /** respondents behind the figure (below the office: of its published cells; null when suppressed) */
  respondents: z.number().int().nullable(),
  void: z.number().int().nullable(),
  flagged: z.number().int().nullable(),
  /** below the round's anonymity threshold for a caller below the office: no numbers at all */
  suppressed: z.boolean(),
  /** below the threshold, shown to the office only, marked */
  belowThreshold: z.boolean(),
  /** below the office: some answers behind it are held back (a small cell, or its complement) */
  withheld: z.boolean(),
  score,
  satisfaction: score,
  /**
   * 95% interval of the score: t over the respondents, with the standard deviation of the single
   * answers (at least that of the respondents' means, so the interval errs wide); null below 2
   */
  scoreCi95: interval,
  /** 95% Wilson interval of 满意率 with n = respondents; null without a figure */
  satisfactionCi95: interval,
  dimensions: z.record(z.string(), z.number().nullable()).nullable(),
  /** rater groups without valid data (or suppressed) left out, remaining weights renormalised */
  renormalised: z.boolean(),
  missingGroups: z.array(z.string()),
  groups: z.array(groupResultSchema),
});
export type Summary = z.output<typeof summarySchema>;

export const rankedSchema = summarySchema.extend({
  /** empirical-Bayes shrunk score and the rank by it (teachers within the school) */
  shrunk: z.number().nullable(),
  rank: z.number().int().nullable(),
});

export const keywordSchema = z.object({ word: z.string(), count: z.number().int() });

export const commentsSchema = z.object({
  suppressed: z.boolean(),
  total: z.number().int(),
  list: z.array(z.string()),
  keywords: z.array(keywordSchema),
});

export const roundResultsSchema = z
  .object({
    round: z.object({
      id: z.uuid(),
      title: z.string(),
      schoolYear: z.string(),
      term: z.number().int(),
      status: z.string(),
      anonymityThreshold: z.number().int(),
      commentThreshold: z.number().int(),
      trim: z.string(),
      dimensions: z.array(z.string()),
      raterGroups: z.array(z.object({ id: z.uuid(), name: z.string(), kind: z.string(), weight: z.number() })),
    }),
    level: z.enum(['district', 'school', 'subject']),
    district: summarySchema.nullable(),
    schools: z.array(summarySchema),
    school: summarySchema.nullable(),
    subjects: z.array(rankedSchema),
    shrinkage: z
      .object({ method: z.literal('empirical_bayes'), pooledMean: score, withinVariance: score, betweenVariance: score })
      .nullable(),
    subject: summarySchema.nullable(),
    /**
     * level=subject: the subject's figure in each part the caller reads (each school, and the
     * district part: ballots through links issued to no school, e.g. outside representatives);
     * `subject` pools them (each rater group over every part, the weights applied once)
     */
    parts: z.array(summarySchema),
    items: z.array(itemResultSchema),
    grades: z.array(gradeVotesSchema),
    comments: commentsSchema.nullable(),
  })
  .meta({ id: 'RoundResults' });
export type RoundResults = z.output<typeof roundResultsSchema>;
