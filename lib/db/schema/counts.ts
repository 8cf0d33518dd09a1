import { boolean, index, integer, pgTable, real, smallint, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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

/**
 * The round's places per school, form and class, summed over its live (not revoked) links, so
 * 回收率 reads a few rows per school instead of every one-time code issued (a county can issue
 * hundreds of thousands in one round). Kept by triggers on `links` (drizzle/0016_link_totals_triggers.sql), so every
 * statement that issues, re-sizes, uses, resets or deletes links keeps it exact, whichever code
 * runs it: inserts and deletes add or subtract at shard 0; a change to one link (a submission
 * taking its place) lands on a random shard, so parents of one class answering through their
 * separate codes rarely wait on the same row. Readers sum the shards. A class of NULL is the
 * school's codes and personal links that belong to no class.
 */
export const linkTotals = pgTable(
  'link_totals',
  {
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    formId: uuid().notNull(),
    schoolId: uuid().notNull(),
    classId: uuid(),
    shard: smallint().notNull(),
    /** live links */
    links: integer().notNull(),
    /** places: the sum of their capacities (a class link its class size, a code or personal link 1) */
    places: integer().notNull(),
    /** places taken */
    used: integer().notNull(),
  },
  (t) => [unique().on(t.roundId, t.schoolId, t.formId, t.classId, t.shard).nullsNotDistinct()],
);
