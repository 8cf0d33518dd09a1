import { boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { units } from './org';
import { users } from './auth';

export const templateKind = pgEnum('template_kind', [
  'parent', // 家长问卷
  'student', // 学生评教
  'appraisal', // 民主评议
  'satisfaction', // 满意度测评
  'self_inspection', // 六查六看自评
  'other',
]);

export const templates = pgTable(
  'templates',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** null for the built-in library shared by every district */
    unitId: uuid().references(() => units.id),
    kind: templateKind().notNull(),
    name: text().notNull(),
    description: text().notNull().default(''),
    /** stable key of a built-in template, so the library is installed once */
    builtInKey: text().unique(),
    archived: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.unitId)],
);

/** A SurveyJS definition with scoring annotations. Immutable once `lockedAt` is set (a round used it). */
export const templateVersions = pgTable(
  'template_versions',
  {
    id: uuid().primaryKey().defaultRandom(),
    templateId: uuid()
      .notNull()
      .references(() => templates.id),
    version: integer().notNull(),
    definition: jsonb().$type<Record<string, unknown>>().notNull(),
    note: text().notNull().default(''),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lockedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex().on(t.templateId, t.version)],
);

export type Template = typeof templates.$inferSelect;
export type NewTemplate = typeof templates.$inferInsert;
export type TemplateVersion = typeof templateVersions.$inferSelect;
export type NewTemplateVersion = typeof templateVersions.$inferInsert;
