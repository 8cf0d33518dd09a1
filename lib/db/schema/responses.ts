import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, real, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { classes, staff, units } from './org';
import { raterGroups, roundForms, rounds } from './rounds';

export const responseStatus = pgEnum('response_status', ['valid', 'void']);

/**
 * One submitted questionnaire. Anonymous by design: a random id, no link or code reference,
 * no IP address, no user agent, and no time of submission.
 */
export const responses = pgTable(
  'responses',
  {
    id: uuid().primaryKey().defaultRandom(),
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    formId: uuid()
      .notNull()
      .references(() => roundForms.id, { onDelete: 'cascade' }),
    raterGroupId: uuid()
      .notNull()
      .references(() => raterGroups.id),
    schoolId: uuid()
      .notNull()
      .references(() => units.id),
    /** the respondent's class (for parents and students); the breakdown unit, never a person */
    classId: uuid().references(() => classes.id),
    /** random key chosen by the answering page: a retried submission is accepted once */
    idempotencyKey: text().notNull(),
    status: responseStatus().notNull().default('valid'),
    voidReason: text(),
    /** a ballot-quality flag such as straight_line or same_grade (kept or void per the round's rules) */
    flag: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    // no submission time or date at all: the round's window is the only time a response has, so
    // nothing dates a response against a link's use (see lib/rounds/seal.ts for the system columns)
  },
  (t) => [uniqueIndex().on(t.roundId, t.idempotencyKey), index().on(t.roundId, t.schoolId, t.classId)],
);

export const subjectType = pgEnum('subject_type', ['staff', 'unit']);

/**
 * One row per scored answer, derived from `responses.data` at submission, so aggregation is plain
 * SQL over narrow rows. A subject is either a staff member or a unit (school / office).
 */
export const answerFacts = pgTable(
  'answer_facts',
  {
    responseId: uuid()
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    roundId: uuid().notNull(),
    formId: uuid().notNull(),
    raterGroupId: uuid().notNull(),
    schoolId: uuid().notNull(),
    classId: uuid(),
    subjectType: subjectType().notNull(),
    subjectStaffId: uuid().references(() => staff.id),
    subjectUnitId: uuid().references(() => units.id),
    /** question name, and for a matrix the row value */
    question: text().notNull(),
    row: text().notNull().default(''),
    dimension: text(),
    value: text().notNull(),
    /** score from the template's value→score map; null for unscored answers */
    score: real(),
    /** answers such as 不了解 that never count as valid */
    excluded: boolean().notNull().default(false),
    /** position in a ballot list, so a straight-lined ballot can be detected */
    itemIndex: integer().notNull().default(0),
  },
  (t) => [
    index().on(t.roundId, t.subjectType, t.subjectStaffId, t.question),
    index().on(t.roundId, t.schoolId, t.question),
    index().on(t.responseId),
    check('answer_facts_subject', sql`num_nonnulls(${t.subjectStaffId}, ${t.subjectUnitId}) = 1`),
  ],
);

export type Response = typeof responses.$inferSelect;
export type NewResponse = typeof responses.$inferInsert;
export type AnswerFact = typeof answerFacts.$inferSelect;
export type NewAnswerFact = typeof answerFacts.$inferInsert;
