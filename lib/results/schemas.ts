/** Inputs and answers of the results dashboard's own endpoints (exports, trends). */
import { z } from 'zod';

export const exportQuery = z
  .object({
    /** results: scores per subject and dimension at a level; raw: every valid answer (office only) */
    kind: z.enum(['results', 'raw']).default('results'),
    level: z.enum(['district', 'school', 'subject']).default('district'),
    schoolId: z.uuid().optional(),
    subjectId: z.uuid().optional(),
    raterGroupId: z.uuid().optional(),
    /** xlsx: the figures per subject and dimension; pdf: the report (kind=results only) */
    format: z.enum(['xlsx', 'pdf']).default('xlsx'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'results' && v.level === 'school' && !v.schoolId) ctx.addIssue({ code: 'custom', path: ['schoolId'], message: 'required' });
    if (v.kind === 'results' && v.level === 'subject' && !v.subjectId) ctx.addIssue({ code: 'custom', path: ['subjectId'], message: 'required' });
    if (v.kind === 'raw' && v.format === 'pdf') ctx.addIssue({ code: 'custom', path: ['format'], message: 'invalid' });
  });
export type ExportQuery = z.output<typeof exportQuery>;

export const trendsQuery = z
  .object({
    /** one school's line (with the district's); default: every school in scope */
    schoolId: z.uuid().optional(),
    /** one teacher (or rated unit) across rounds; a staff member may ask only for themself */
    subjectId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(40).default(12),
  })
  .strict();
export type TrendsQuery = z.output<typeof trendsQuery>;

const figure = z.object({ score: z.number().nullable(), satisfaction: z.number().nullable(), respondents: z.number().int().nullable(), suppressed: z.boolean() });

export const trendsSchema = z
  .object({
    rounds: z.array(
      z.object({
        id: z.uuid(),
        title: z.string(),
        schoolYear: z.string(),
        term: z.number().int(),
        closesAt: z.iso.datetime({ offset: true }),
        district: figure.nullable(),
        schools: z.array(figure.extend({ id: z.uuid(), name: z.string() })),
        subject: figure.extend({ id: z.uuid(), name: z.string() }).nullable(),
      }),
    ),
  })
  .meta({ id: 'ResultTrends' });
export type Trends = z.output<typeof trendsSchema>;
