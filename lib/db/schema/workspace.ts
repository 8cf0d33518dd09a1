import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { staff, units } from './org';
import { roundForms, rounds } from './rounds';

/** draft → submitted → reviewed, or returned (with a remark) → submitted again */
export const selfReportStatus = pgEnum('self_report_status', ['draft', 'submitted', 'reviewed', 'returned']);
export const SELF_REPORT_STATUSES = selfReportStatus.enumValues;

/**
 * A staff member's 六查六看 self-inspection, kept as their named report: it is about oneself, so it
 * is not anonymous by nature. The scored part is also written as an ordinary response of the
 * round's self rater group when the report is submitted (`responseId`, no foreign key: sealing
 * rewrites responses and retention purges them), so a weighted self group enters the composite.
 */
export const selfReports = pgTable(
  'self_reports',
  {
    id: uuid().primaryKey().defaultRandom(),
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    formId: uuid()
      .notNull()
      .references(() => roundForms.id, { onDelete: 'cascade' }),
    staffId: uuid()
      .notNull()
      .references(() => staff.id),
    /** the staff member's unit when the report was started: the school admin of this unit reviews it */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    /** the SurveyJS answers of the self-inspection form */
    answers: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** 查找出的主要问题 */
    problems: text().notNull().default(''),
    /** 整改措施 */
    measures: text().notNull().default(''),
    /** 公开承诺 */
    commitments: text().notNull().default(''),
    status: selfReportStatus().notNull().default('draft'),
    /** the reviewer's remark when returned (or on review) */
    remark: text(),
    /** the response written on the last submission (its score counts in the round) */
    responseId: uuid(),
    submittedAt: timestamp({ withTimezone: true }),
    reviewedAt: timestamp({ withTimezone: true }),
    reviewedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.formId, t.staffId), index().on(t.roundId, t.unitId)],
);

export type SelfReport = typeof selfReports.$inferSelect;
