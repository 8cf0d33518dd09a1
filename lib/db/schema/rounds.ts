import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { classes, staff, units } from './org';
import { templateVersions } from './surveys';

export const roundStatus = pgEnum('round_status', ['draft', 'open', 'closed', 'released']);
export const ROUND_STATUSES = roundStatus.enumValues;

export const raterKind = pgEnum('rater_kind', ['parent', 'student', 'representative', 'colleague', 'leader', 'self']);
export const RATER_KINDS = raterKind.enumValues;

/** who a form is about: the school, each teacher of the respondent's class, each entry of a ballot list, oneself */
export const subjectMode = pgEnum('subject_mode', ['school', 'class_teachers', 'ballot', 'self']);

export const rounds = pgTable(
  'rounds',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** the district (or county) that runs the round */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    title: text().notNull(),
    schoolYear: text().notNull(),
    /** 1 = autumn term, 2 = spring term */
    term: integer().notNull(),
    status: roundStatus().notNull().default('draft'),
    testMode: boolean().notNull().default(false),
    opensAt: timestamp({ withTimezone: true }).notNull(),
    closesAt: timestamp({ withTimezone: true }).notNull(),
    anonymityThreshold: integer().notNull().default(5),
    commentThreshold: integer().notNull().default(10),
    /** scoring rules (trimming, 满意率 numerator, ballot void rules): see lib/scoring/config.ts */
    scoring: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** raw answers are purged after this time (PIPL: a retention period per round); null: the default, see lib/retention */
    retainUntil: timestamp({ withTimezone: true }),
    /** when the raw answers and comments were deleted at the end of the retention period (counts and results stay) */
    answersPurgedAt: timestamp({ withTimezone: true }),
    releasedToSchoolsAt: timestamp({ withTimezone: true }),
    releasedToStaffAt: timestamp({ withTimezone: true }),
    /**
     * When the office released the pooled figures to the schools: before it, a school admin never
     * reads (in the annual assessment) the pooled figure of a person rated mostly in other parts of
     * the round; after it, each school reads its own staff's pooled figures (lib/assessment/components.ts).
     */
    pooledReleasedAt: timestamp({ withTimezone: true }),
    /**
     * When the round's answers were sealed after it closed: responses and answer facts rewritten in
     * random order, links rewritten, counts merged (lib/rounds/seal.ts). A sealed round takes no
     * more answers and cannot be reopened.
     */
    sealedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.unitId, t.status),
    check('rounds_window', sql`${t.closesAt} > ${t.opensAt}`),
    check('rounds_term', sql`${t.term} in (1, 2)`),
  ],
);

/** The units (schools) a round covers. */
export const roundUnits = pgTable(
  'round_units',
  {
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
  },
  (t) => [uniqueIndex().on(t.roundId, t.unitId)],
);

export const raterGroups = pgTable(
  'rater_groups',
  {
    id: uuid().primaryKey().defaultRandom(),
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    kind: raterKind().notNull(),
    name: text().notNull(),
    /** percent; the groups of a round sum to 100 */
    weight: numeric({ precision: 5, scale: 2, mode: 'number' }).notNull(),
  },
  (t) => [index().on(t.roundId), check('rater_groups_weight', sql`${t.weight} >= 0 and ${t.weight} <= 100`)],
);

export const roundForms = pgTable(
  'round_forms',
  {
    id: uuid().primaryKey().defaultRandom(),
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    templateVersionId: uuid()
      .notNull()
      .references(() => templateVersions.id),
    raterGroupId: uuid()
      .notNull()
      .references(() => raterGroups.id),
    subjectMode: subjectMode().notNull(),
    title: text().notNull(),
  },
  (t) => [index().on(t.roundId)],
);

/** The people or units listed on a ballot form (民主评议 of several people on one sheet). */
export const ballotEntries = pgTable(
  'ballot_entries',
  {
    id: uuid().primaryKey().defaultRandom(),
    formId: uuid()
      .notNull()
      .references(() => roundForms.id, { onDelete: 'cascade' }),
    staffId: uuid().references(() => staff.id),
    unitId: uuid().references(() => units.id),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index().on(t.formId), check('ballot_entries_one_subject', sql`num_nonnulls(${t.staffId}, ${t.unitId}) = 1`)],
);

/**
 * A saved ballot list kept by an office (学区办公室): named, a staff member or unit per entry in
 * order; `@list:NAME` on a round's ballot expands to it when the round is created.
 */
export const ballotLists = pgTable(
  'ballot_lists',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** the office's district (or county): the lists of every unit in a caller's scope are theirs */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    name: text().notNull(),
    /** each entry a staff member or a unit, in the order typed */
    entries: jsonb().$type<({ staffId: string } | { unitId: string })[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.unitId, t.name)],
);

export type BallotList = typeof ballotLists.$inferSelect;

/**
 * class: a class link with a capacity; code: a one-time code on a slip; personal: a one-time link
 * printed for a named person; account: a staff login's own place in a form (answered from /me, no
 * token at all: its token hash is random and matches no token).
 */
export const linkKind = pgEnum('link_kind', ['class', 'code', 'personal', 'account']);

/**
 * A way in: a class link with a capacity, a one-time code on a slip, or a personal one-time link.
 * Only an HMAC of the token is stored. Completion is a counter with no timestamp, so a link can
 * never be joined to the response it admitted (responses do not reference links at all).
 */
export const links = pgTable(
  'links',
  {
    id: uuid().primaryKey().defaultRandom(),
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
    formId: uuid()
      .notNull()
      .references(() => roundForms.id, { onDelete: 'cascade' }),
    kind: linkKind().notNull(),
    tokenHash: text().notNull().unique(),
    /** the school the answers count for */
    schoolId: uuid()
      .notNull()
      .references(() => units.id),
    classId: uuid().references(() => classes.id),
    /** for a personal link: the staff member it was issued to (the representative or colleague) */
    issuedToStaffId: uuid().references(() => staff.id),
    /** a free label such as 党代表 for personal links and slip batches */
    label: text().notNull().default(''),
    /** slips made in one batch share a batch number so the office can reprint them */
    batch: integer().notNull().default(0),
    capacity: integer().notNull(),
    usedCount: integer().notNull().default(0),
    revoked: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.roundId, t.schoolId),
    index().on(t.formId),
    check('links_capacity', sql`${t.usedCount} >= 0 and ${t.usedCount} <= ${t.capacity}`),
  ],
);

export type Round = typeof rounds.$inferSelect;
export type NewRound = typeof rounds.$inferInsert;
export type RaterGroup = typeof raterGroups.$inferSelect;
export type NewRaterGroup = typeof raterGroups.$inferInsert;
export type RoundForm = typeof roundForms.$inferSelect;
export type NewRoundForm = typeof roundForms.$inferInsert;
export type Link = typeof links.$inferSelect;
export type NewLink = typeof links.$inferInsert;
