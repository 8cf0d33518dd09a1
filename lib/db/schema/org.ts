import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * county bureau → district (学区) → school; an office is a non-school unit such as 学区办公室; a team
 * is a body appraised as a whole, such as a school's 领导班子 (a child of its school, with no staff).
 */
export const unitKind = pgEnum('unit_kind', ['county', 'district', 'school', 'office', 'team']);

export const units = pgTable(
  'units',
  {
    id: uuid().primaryKey().defaultRandom(),
    parentId: uuid().references((): AnyPgColumn => units.id),
    kind: unitKind().notNull(),
    name: text().notNull(),
    code: text(),
    sortOrder: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.parentId),
    uniqueIndex('units_parent_name_unique').on(sql`coalesce(${t.parentId}, '00000000-0000-0000-0000-000000000000'::uuid)`, t.name),
  ],
);

export const classes = pgTable(
  'classes',
  {
    id: uuid().primaryKey().defaultRandom(),
    schoolId: uuid()
      .notNull()
      .references(() => units.id),
    /** 1–6 primary, 7–9 middle, 10–12 high school */
    grade: integer().notNull(),
    name: text().notNull(),
    expectedStudents: integer().notNull().default(0),
    expectedParents: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex().on(t.schoolId, t.name),
    check('classes_grade_range', sql`${t.grade} between 1 and 12`),
    check('classes_expected_nonneg', sql`${t.expectedStudents} >= 0 and ${t.expectedParents} >= 0`),
  ],
);

export const staff = pgTable(
  'staff',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** the school or office the staff member belongs to */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    /** 工号, unique across the deployment: the key for roster imports */
    staffNo: text().notNull().unique(),
    name: text().notNull(),
    /** 校长 / 副校长 / 教师 / 班主任 / 工勤 … */
    position: text().notNull(),
    subjects: jsonb().$type<string[]>().notNull().default([]),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.unitId)],
);

export const teachingAssignments = pgTable(
  'teaching_assignments',
  {
    id: uuid().primaryKey().defaultRandom(),
    staffId: uuid()
      .notNull()
      .references(() => staff.id),
    classId: uuid()
      .notNull()
      .references(() => classes.id),
    subject: text().notNull(),
    /** e.g. 2026-2027 */
    schoolYear: text().notNull(),
    isHeadTeacher: boolean().notNull().default(false),
  },
  (t) => [uniqueIndex().on(t.staffId, t.classId, t.subject, t.schoolYear), index().on(t.classId, t.schoolYear)],
);

export type Unit = typeof units.$inferSelect;
export type NewUnit = typeof units.$inferInsert;
export type Class = typeof classes.$inferSelect;
export type NewClass = typeof classes.$inferInsert;
export type Staff = typeof staff.$inferSelect;
export type NewStaff = typeof staff.$inferInsert;
export type TeachingAssignment = typeof teachingAssignments.$inferSelect;
export type NewTeachingAssignment = typeof teachingAssignments.$inferInsert;
