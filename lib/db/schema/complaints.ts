import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { staff, units } from './org';

/** 庸懒散慢, 乱收费, 体罚, 服务态度, 其他 */
export const complaintCategory = pgEnum('complaint_category', ['slack', 'fees', 'corporal', 'attitude', 'other']);
export const COMPLAINT_CATEGORIES = complaintCategory.enumValues;

/**
 * The hotline steps: received (待受理) → accepted (已受理, 待转办) or declined (不予受理, final) →
 * assigned (转办, 办理中) → replied (已答复, 待回访) → rated (已回访) → closed (办结).
 */
export const complaintStatus = pgEnum('complaint_status', ['received', 'declined', 'accepted', 'assigned', 'replied', 'rated', 'closed']);
export const COMPLAINT_STATUSES = complaintStatus.enumValues;

/** 满意 / 基本满意 / 不满意: the complainant's 回访 answer */
export const complaintRating = pgEnum('complaint_rating', ['satisfied', 'fair', 'unsatisfied']);
export const COMPLAINT_RATINGS = complaintRating.enumValues;

/**
 * An 效能投诉 from the public form. Only a hash of the tracking code is kept, so the table alone
 * does not let anyone read a complaint's status as the complainant. The complainant's name and
 * contact are optional (anonymous complaints are allowed) and are shown to the office only.
 */
export const complaints = pgTable(
  'complaints',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** sha-256 (hex) of the tracking code */
    trackingHash: text().notNull().unique(),
    /** the school or office the complaint is about (or where the named person works) */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    /** the person named by the complainant, as typed */
    personName: text(),
    /** the staff record the office matched the named person to when accepting */
    staffId: uuid().references(() => staff.id),
    category: complaintCategory().notNull(),
    body: text().notNull(),
    name: text(),
    contact: text(),
    status: complaintStatus().notNull().default('received'),
    /** when the current step must be done; null once the complaint is final */
    stepDueAt: timestamp({ withTimezone: true }),
    /** the unit the complaint was passed to for handling (转办) */
    handlingUnitId: uuid().references(() => units.id),
    declineReason: text(),
    reply: text(),
    rating: complaintRating(),
    ratingComment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.unitId), index().on(t.handlingUnitId), index().on(t.status, t.stepDueAt), check('complaints_body_length', sql`char_length(${t.body}) <= 2000`)],
);

/** The steps a complaint went through, with who took each (null: the complainant or the system) and whether it was late. */
export const complaintEvents = pgTable(
  'complaint_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    complaintId: uuid()
      .notNull()
      .references(() => complaints.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** the status the step led to */
    status: complaintStatus().notNull(),
    actorUserId: uuid().references(() => users.id),
    note: text(),
    /** the step was taken after its deadline */
    late: boolean().notNull().default(false),
  },
  (t) => [index().on(t.complaintId, t.at)],
);

/** Working days allowed per step, for the complaints of a district (or the county); defaults in lib/complaints/deadlines.ts. */
export const complaintRules = pgTable('complaint_rules', {
  unitId: uuid()
    .primaryKey()
    .references(() => units.id),
  days: jsonb().$type<Record<string, number>>().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Complaint = typeof complaints.$inferSelect;
export type NewComplaint = typeof complaints.$inferInsert;
export type ComplaintEvent = typeof complaintEvents.$inferSelect;
