import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { campaigns } from './campaigns';
import { complaints } from './complaints';
import { staff, units } from './org';
import { rounds } from './rounds';

/** 自查报告, 测评低分项或意见关键词, 效能投诉, 抽查, 效能监督岗, 其他 */
export const ledgerSource = pgEnum('ledger_source', ['self_inspection', 'round', 'complaint', 'spot_check', 'supervision', 'other']);
export const LEDGER_SOURCES = ledgerSource.enumValues;

/** open (待整改) → in_progress (整改中) → done (已完成) → verified (已销号), or reopened (重新整改) after done/verified. */
export const ledgerStatus = pgEnum('ledger_status', ['open', 'in_progress', 'done', 'verified', 'reopened']);
export const LEDGER_STATUSES = ledgerStatus.enumValues;

/**
 * An item of a school's 整改台帐: the problem, where it was found, the measure, the target, the
 * deadline and the responsible person, tracked until the office or a supervisor verifies (销号) it.
 */
export const ledgerItems = pgTable(
  'ledger_items',
  {
    id: uuid().primaryKey().defaultRandom(),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    campaignId: uuid().references(() => campaigns.id, { onDelete: 'set null' }),
    /** number within the school's ledger (序号) */
    seq: integer().notNull(),
    problem: text().notNull(),
    source: ledgerSource().notNull(),
    /** free text: the report, the round and item, the keyword … */
    sourceDetail: text(),
    complaintId: uuid().references(() => complaints.id, { onDelete: 'set null' }),
    /** for an item found in a round: the round and the question (item name), so 回头看 can show a later round's figure on it */
    sourceRoundId: uuid().references(() => rounds.id, { onDelete: 'set null' }),
    sourceQuestion: text(),
    measure: text().notNull(),
    target: text().notNull(),
    dueOn: date({ mode: 'string' }).notNull(),
    responsibleStaffId: uuid().references(() => staff.id, { onDelete: 'set null' }),
    status: ledgerStatus().notNull().default('open'),
    /** 整改效果: what the verifier found */
    effect: text(),
    doneAt: timestamp({ withTimezone: true }),
    verifiedAt: timestamp({ withTimezone: true }),
    createdByUserId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.unitId, t.seq),
    index().on(t.status, t.dueOn),
    index().on(t.complaintId),
    check('ledger_items_problem_length', sql`char_length(${t.problem}) <= 2000`),
  ],
);

/** Progress notes and the status changes of an item, in order. */
export const ledgerNotes = pgTable(
  'ledger_notes',
  {
    id: uuid().primaryKey().defaultRandom(),
    itemId: uuid()
      .notNull()
      .references(() => ledgerItems.id, { onDelete: 'cascade' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** the status the change led to; null for a plain progress note */
    status: ledgerStatus(),
    body: text(),
    actorUserId: uuid().references(() => users.id),
  },
  (t) => [index().on(t.itemId, t.at)],
);

export type LedgerItem = typeof ledgerItems.$inferSelect;
