import { index, integer, jsonb, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staff, units } from './org';
import { users } from './auth';

export const assessmentGrade = pgEnum('assessment_grade', ['excellent', 'qualified', 'basically_qualified', 'unqualified']);
export const assessmentStatus = pgEnum('assessment_status', ['draft', 'proposed', 'signed', 'announced', 'final']);

/** 年度考核: one record per staff member and year; a human signs off every grade. */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid().primaryKey().defaultRandom(),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    staffId: uuid()
      .notNull()
      .references(() => staff.id),
    year: integer().notNull(),
    /** component name → { score, weight, source } */
    components: jsonb().$type<Record<string, { score: number | null; weight: number; source: string }>>().notNull().default({}),
    compositeScore: real(),
    proposedGrade: assessmentGrade(),
    grade: assessmentGrade(),
    overrideReason: text(),
    status: assessmentStatus().notNull().default('draft'),
    signedBy: uuid().references(() => users.id),
    signedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.staffId, t.year), index().on(t.unitId, t.year)],
);

/** 平时考核 entries (quarterly or monthly regular assessment), including sanctions such as 警告. */
export const regularAssessments = pgTable(
  'regular_assessments',
  {
    id: uuid().primaryKey().defaultRandom(),
    staffId: uuid()
      .notNull()
      .references(() => staff.id),
    year: integer().notNull(),
    period: text().notNull(),
    score: real(),
    sanction: text(),
    note: text().notNull().default(''),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.staffId, t.year)],
);

export type Assessment = typeof assessments.$inferSelect;
export type NewAssessment = typeof assessments.$inferInsert;
