import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { assessmentGrade } from './assessment';
import { users } from './auth';
import { campaigns } from './campaigns';
import { complaints } from './complaints';
import { ledgerItems } from './ledger';
import { staff, units } from './org';
import { rounds } from './rounds';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * pending (待审核) → approved (已公开) or rejected (退回, the author may edit and resubmit) →
 * reported (已报告履诺, after the person or school reports fulfilment) → fulfilled (已履诺) or
 * unfulfilled (未履诺), as the office confirms.
 */
export const commitmentStatus = pgEnum('commitment_status', ['pending', 'approved', 'rejected', 'reported', 'fulfilled', 'unfulfilled']);
export const COMMITMENT_STATUSES = commitmentStatus.enumValues;

/**
 * A 公开承诺 of a staff member (staffId set) or of a school (staffId null): what is promised and by
 * when. Published on the school's public page (/gongkai/{school}) once the office approves it.
 */
export const commitments = pgTable(
  'commitments',
  {
    id: uuid().primaryKey().defaultRandom(),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    staffId: uuid().references(() => staff.id, { onDelete: 'cascade' }),
    campaignId: uuid().references(() => campaigns.id, { onDelete: 'set null' }),
    /** 承诺事项 */
    body: text().notNull(),
    /** 时限 */
    dueOn: date({ mode: 'string' }).notNull(),
    status: commitmentStatus().notNull().default('pending'),
    /** the office's reason when returning it, or its remark when confirming fulfilment */
    remark: text(),
    /** 履诺情况, reported by the person or the school */
    fulfilment: text(),
    approvedAt: timestamp({ withTimezone: true }),
    reportedAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.unitId, t.status),
    index().on(t.staffId),
    check('commitments_body_length', sql`char_length(${t.body}) <= 500`),
    check('commitments_fulfilment_length', sql`char_length(${t.fulfilment}) <= 2000`),
  ],
);

/**
 * The kinds of 效能问责 measure a district (or the county) uses: 效能告诫, 诫勉谈话, 通报批评,
 * 降低考核等次 … A kind may cap the annual assessment grade of the year the measure was decided in,
 * so a measure is entered once and the assessment follows.
 */
export const accountabilityTypes = pgTable(
  'accountability_types',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** the district or county whose list it is */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    name: text().notNull(),
    /** the best annual grade a person with this measure in the year can get; null: no effect */
    capGrade: assessmentGrade(),
    sortOrder: integer().notNull().default(0),
    active: boolean().notNull().default(true),
  },
  (t) => [uniqueIndex().on(t.unitId, t.name)],
);

/** A 效能问责 record: a measure against a person with its reason and what it came from. Visible to the office and the person. */
export const accountabilityRecords = pgTable(
  'accountability_records',
  {
    id: uuid().primaryKey().defaultRandom(),
    staffId: uuid()
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    /** the person's unit when the measure was decided */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    typeId: uuid()
      .notNull()
      .references(() => accountabilityTypes.id),
    reason: text().notNull(),
    decidedOn: date({ mode: 'string' }).notNull(),
    complaintId: uuid().references(() => complaints.id, { onDelete: 'set null' }),
    ledgerItemId: uuid().references(() => ledgerItems.id, { onDelete: 'set null' }),
    campaignId: uuid().references(() => campaigns.id, { onDelete: 'set null' }),
    /** withdrawn records stay for the audit trail but no longer count */
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.staffId, t.decidedOn), index().on(t.unitId, t.decidedOn), check('accountability_reason_length', sql`char_length(${t.reason}) <= 2000`)],
);

/**
 * Evidence files of a ledger item (images re-encoded, PDF), kept in the database so that backups
 * cover them. Size-limited by lib/ledger/attachments.ts and by the check below.
 */
export const ledgerAttachments = pgTable(
  'ledger_attachments',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => ledgerItems.id, { onDelete: 'cascade' }),
    filename: text().notNull(),
    contentType: text().notNull(),
    size: integer().notNull(),
    /** sha-256 (hex) of the stored bytes */
    sha256: text().notNull(),
    bytes: bytea().notNull(),
    uploadedByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.itemId), check('ledger_attachments_size', sql`${t.size} > 0 and ${t.size} <= 5242880`)],
);

/**
 * The working-day calendar of a district or the county: statutory holidays (休) and the weekend days
 * worked in exchange (班), as the State Council announces them each year. Days not listed follow
 * Monday–Friday.
 */
export const calendarDays = pgTable(
  'calendar_days',
  {
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    day: date({ mode: 'string' }).notNull(),
    working: boolean().notNull(),
    name: text().notNull().default(''),
  },
  (t) => [primaryKey({ columns: [t.unitId, t.day] })],
);

/**
 * The rounds a campaign report compares: the baseline (before) and the follow-up (after, 回头看),
 * paired per school and per item.
 */
export const campaignComparisons = pgTable('campaign_comparisons', {
  campaignId: uuid()
    .primaryKey()
    .references(() => campaigns.id, { onDelete: 'cascade' }),
  baselineRoundId: uuid()
    .notNull()
    .references(() => rounds.id, { onDelete: 'cascade' }),
  followUpRoundId: uuid()
    .notNull()
    .references(() => rounds.id, { onDelete: 'cascade' }),
});

export type Commitment = typeof commitments.$inferSelect;
export type AccountabilityType = typeof accountabilityTypes.$inferSelect;
export type AccountabilityRecord = typeof accountabilityRecords.$inferSelect;
export type LedgerAttachment = typeof ledgerAttachments.$inferSelect;
export type CalendarDay = typeof calendarDays.$inferSelect;
