import { boolean, index, integer, pgTable, real, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { rounds } from './rounds';

/**
 * Pre-aggregated answer counts, kept exact in the submission statement, so results read a few
 * thousand counter rows instead of millions of answer facts. Each submission adds to one of a few
 * shards chosen at random, so parallel submissions for the same school rarely wait on the same
 * counter row; readers sum the shards.
 *
 * The empty question ('') counts responses: value 'valid', 'void' and 'flagged'.
 */
const countColumns = {
  roundId: uuid()
    .notNull()
    .references(() => rounds.id, { onDelete: 'cascade' }),
  formId: uuid().notNull(),
  schoolId: uuid().notNull(),
  question: text().notNull(),
  row: text().notNull(),
  value: text().notNull(),
  dimension: text(),
  score: real(),
  excluded: boolean().notNull(),
  shard: smallint().notNull(),
  n: integer().notNull(),
};

/** Counts per subject (a teacher, a school as the rated unit, a person on a ballot). */
export const subjectCounts = pgTable(
  'subject_counts',
  {
    ...countColumns,
    subjectType: text().notNull(),
    subjectId: uuid().notNull(),
  },
  (t) => [
    uniqueIndex().on(t.roundId, t.schoolId, t.subjectId, t.formId, t.question, t.row, t.value, t.shard),
    index().on(t.roundId, t.subjectId),
  ],
);

/** Counts per school over all its subjects: the district overview reads these. */
export const schoolCounts = pgTable('school_counts', countColumns, (t) => [
  uniqueIndex().on(t.roundId, t.schoolId, t.formId, t.question, t.row, t.value, t.shard),
]);
