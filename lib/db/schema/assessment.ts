import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgEnum, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staff, units } from './org';
import { users } from './auth';

export const assessmentGrade = pgEnum('assessment_grade', ['excellent', 'qualified', 'basically_qualified', 'unqualified']);
export const ASSESSMENT_GRADES = assessmentGrade.enumValues;
export type AssessmentGrade = (typeof ASSESSMENT_GRADES)[number];

/** draft → announced (公示 window) → locked (window over, no open objection); see lib/assessment/status.ts */
export const assessmentYearStatus = pgEnum('assessment_year_status', ['draft', 'announced', 'locked']);
export const ASSESSMENT_YEAR_STATUSES = assessmentYearStatus.enumValues;

export const componentKind = pgEnum('assessment_component_kind', ['democratic', 'student', 'parent', 'regular', 'other']);
export const COMPONENT_KINDS = componentKind.enumValues;

/**
 * Where a component's value comes from: the rounds' per-staff score or satisfaction, the staff
 * member's school's score or satisfaction in those rounds, or manual entries (平时考核 and the like).
 */
export const componentSource = pgEnum('assessment_component_source', [
  'round_score',
  'round_satisfaction',
  'school_score',
  'school_satisfaction',
  'entries',
  // units only: the unit's own appraisal as a ballot subject, and its 领导班子's
  'unit_score',
  'team_score',
]);
export const COMPONENT_SOURCES = componentSource.enumValues;

/**
 * Who a component grades: staff (年度考核 of each person) or units (学校目标责任制考核: each school
 * under the year's unit). A year may grade both; each group's weights sum to 100.
 */
export const componentSubject = pgEnum('assessment_component_subject', ['staff', 'unit']);
export const COMPONENT_SUBJECTS = componentSubject.enumValues;

/** The proposal rules of a year (lib/assessment/rules.ts reads them with defaults). */
export interface GradingRules {
  thresholds: { excellent: number; qualified: number; basicallyQualified: number };
  /** 优秀 at most this share of each unit's assessed staff (floor), 0 = no quota */
  excellentQuotaPercent: number | null;
  /** component key whose value breaks ties at the quota boundary (null: none) */
  tieBreakComponent: string | null;
  /** sanction text (警告, 记过 …) → the best grade it allows */
  sanctionCaps: Record<string, AssessmentGrade>;
  /** a component's satisfaction below `below` (0–1) caps the grade at `cap` */
  satisfactionFloor: { component: string; below: number; cap: AssessmentGrade } | null;
}

/** 年度考核 of one unit (a school, or a district and everyone under it) for one year. */
export const assessmentYears = pgTable(
  'assessment_years',
  {
    id: uuid().primaryKey().defaultRandom(),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    year: integer().notNull(),
    title: text().notNull(),
    rules: jsonb().$type<Partial<GradingRules>>().notNull().default({}),
    status: assessmentYearStatus().notNull().default('draft'),
    computedAt: timestamp({ withTimezone: true }),
    announcedAt: timestamp({ withTimezone: true }),
    announcementEndsAt: timestamp({ withTimezone: true }),
    lockedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex().on(t.unitId, t.year), check('assessment_years_year_range', sql`${t.year} between 2000 and 2100`)],
);

/** One weighted part of the annual score; the weights of a year sum to 100. */
export const assessmentComponents = pgTable(
  'assessment_components',
  {
    id: uuid().primaryKey().defaultRandom(),
    yearId: uuid()
      .notNull()
      .references(() => assessmentYears.id, { onDelete: 'cascade' }),
    /** short stable name used by rules and imports, e.g. democratic, regular */
    key: text().notNull(),
    kind: componentKind().notNull(),
    name: text().notNull(),
    weight: real().notNull(),
    source: componentSource().notNull(),
    appliesTo: componentSubject().notNull().default('staff'),
    /** rounds whose results feed a round_* or school_* component (their mean when several) */
    roundIds: jsonb().$type<string[]>().notNull().default([]),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [uniqueIndex().on(t.yearId, t.key), check('assessment_components_weight', sql`${t.weight} >= 0 and ${t.weight} <= 100`)],
);

/** 平时考核 and other manual entries: one score (and any sanction) per staff member or graded unit, component and period. */
export const regularAssessments = pgTable(
  'regular_assessments',
  {
    id: uuid().primaryKey().defaultRandom(),
    yearId: uuid()
      .notNull()
      .references(() => assessmentYears.id, { onDelete: 'cascade' }),
    componentId: uuid()
      .notNull()
      .references(() => assessmentComponents.id, { onDelete: 'cascade' }),
    staffId: uuid().references(() => staff.id),
    /** a graded unit's entry (学校目标责任制考核) instead of a person's */
    subjectUnitId: uuid().references(() => units.id),
    /** e.g. 第一季度, 2026-03 */
    period: text().notNull(),
    score: real(),
    /** 警告, 记过 …: caps the grade by the year's rules */
    sanction: text(),
    note: text().notNull().default(''),
    createdBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.componentId, t.staffId, t.period),
    uniqueIndex().on(t.componentId, t.subjectUnitId, t.period),
    index().on(t.yearId, t.staffId),
    check('regular_assessments_one_subject', sql`num_nonnulls(${t.staffId}, ${t.subjectUnitId}) = 1`),
  ],
);

export interface ComponentValue {
  key: string;
  name: string;
  kind: string;
  weight: number;
  /** 0–100, null when there is no data (the weight is then shared out among the others) */
  value: number | null;
  /** satisfaction 0–1 where the source has one */
  satisfaction: number | null;
  /** e.g. "2026 第一季度测评" or "平时考核 4 条" */
  source: string;
  /** respondents or entries behind the value */
  n: number;
  /**
   * a round figure that was published whole below the office when computed (no cell behind it
   * under the threshold): only then may school admins and staff read it (lib/scoring/disclosure.ts)
   */
  disclosable?: boolean;
  /**
   * the figure is pooled mostly from other parts of the round than the person's own school (a
   * teacher rated mostly by another school, a leader rated across the district): a school admin
   * reads it only once the office has released the pooled figures of its rounds (`rounds.pooledReleasedAt`)
   */
  elsewhere?: boolean;
}

export interface ProposalNote {
  code: 'no_score' | 'sanction_cap' | 'accountability_cap' | 'satisfaction_cap' | 'quota' | 'quota_tie' | 'tie_broken';
  params?: Record<string, string | number>;
}

/** 年度考核 of one staff member, or the 目标责任制考核 of one unit: computed proposal, then a human's signed grade. */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid().primaryKey().defaultRandom(),
    yearId: uuid()
      .notNull()
      .references(() => assessmentYears.id, { onDelete: 'cascade' }),
    staffId: uuid().references(() => staff.id),
    /** the graded unit (a school) when this is a unit's assessment */
    subjectUnitId: uuid().references(() => units.id),
    /** the staff member's unit when computed (a graded unit's: the year's unit): the 优秀 quota is per unit */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    components: jsonb().$type<ComponentValue[]>().notNull().default([]),
    compositeScore: real(),
    renormalised: jsonb().$type<string[]>().notNull().default([]),
    rank: integer(),
    proposedGrade: assessmentGrade(),
    notes: jsonb().$type<ProposalNote[]>().notNull().default([]),
    grade: assessmentGrade(),
    reason: text(),
    signedBy: uuid().references(() => users.id),
    signedByLabel: text(),
    signedAt: timestamp({ withTimezone: true }),
    computedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.yearId, t.staffId),
    uniqueIndex().on(t.yearId, t.subjectUnitId),
    index().on(t.unitId),
    check('assessments_one_subject', sql`num_nonnulls(${t.staffId}, ${t.subjectUnitId}) = 1`),
  ],
);

export const objectionStatus = pgEnum('objection_status', ['open', 'answered']);

/** 异议 raised on the public 公示 page: named, with a contact; the office answers. */
export const assessmentObjections = pgTable(
  'assessment_objections',
  {
    id: uuid().primaryKey().defaultRandom(),
    yearId: uuid()
      .notNull()
      .references(() => assessmentYears.id, { onDelete: 'cascade' }),
    /** the person the objection is about, when named from the list */
    assessmentId: uuid().references(() => assessments.id),
    name: text().notNull(),
    contact: text().notNull(),
    body: text().notNull(),
    status: objectionStatus().notNull().default('open'),
    answer: text(),
    answeredBy: uuid().references(() => users.id),
    answeredAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.yearId, t.status)],
);

export type AssessmentYear = typeof assessmentYears.$inferSelect;
export type NewAssessmentYear = typeof assessmentYears.$inferInsert;
export type AssessmentComponent = typeof assessmentComponents.$inferSelect;
export type RegularAssessment = typeof regularAssessments.$inferSelect;
export type Assessment = typeof assessments.$inferSelect;
export type NewAssessment = typeof assessments.$inferInsert;
export type AssessmentObjection = typeof assessmentObjections.$inferSelect;
