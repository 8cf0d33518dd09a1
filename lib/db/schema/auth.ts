import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staff, units } from './org';

export const role = pgEnum('role', ['office', 'school_admin', 'staff', 'supervisor']);
export const ROLES = role.enumValues;
export type Role = (typeof ROLES)[number];

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    username: text().notNull().unique(),
    /** argon2id PHC string */
    passwordHash: text().notNull(),
    displayName: text().notNull(),
    role: role().notNull(),
    /** the unit the role applies to: the district for office, the school for a school admin */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    /** the staff record (工号) this login belongs to; one account per staff member */
    staffId: uuid().references(() => staff.id),
    locale: text().notNull().default('zh-CN'),
    disabled: boolean().notNull().default(false),
    mustChangePassword: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.unitId), uniqueIndex('users_staff_id_unique').on(t.staffId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha-256 of the cookie token; the token itself is never stored */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.userId)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** sha-256 of the key; the key is shown once at creation */
    keyHash: text().notNull().unique(),
    /** first characters of the key, to recognise it in a list */
    prefix: text().notNull(),
    role: role().notNull(),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
);

/**
 * Failure counters for login and token guessing, kept in the database so every app instance
 * sees the same counts. Only failures are counted.
 */
export const throttles = pgTable('throttles', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  lockedUntil: timestamp({ withTimezone: true }),
});

/** Append-only record of every mutation by a user or API key. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id),
    actorApiKeyId: uuid().references(() => apiKeys.id),
    /** set for changes made from the operator CLI */
    actorLabel: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    unitId: uuid().references(() => units.id),
    summary: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index().on(t.at), index().on(t.entityType, t.entityId)],
);

/** Deployment-wide settings shared by every instance (for example the token HMAC secret). */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: text().notNull(),
});

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Session = typeof sessions.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
export type AuditEntry = typeof auditLog.$inferSelect;
