import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { staff, units } from './org';
import { rounds } from './rounds';

/** 动员部署, 自查自纠, 整改提高, 总结验收 */
export const campaignPhaseKind = pgEnum('campaign_phase_kind', ['mobilise', 'self_check', 'rectify', 'review']);
export const CAMPAIGN_PHASE_KINDS = campaignPhaseKind.enumValues;

/** who owes a deliverable: each school (e.g. its 整改方案) or each staff member (e.g. their 书面总结) */
export const deliverableScope = pgEnum('deliverable_scope', ['school', 'person']);
export const DELIVERABLE_SCOPES = deliverableScope.enumValues;

/**
 * A 效能风暴行动 of a district or the county for a period. It groups the rounds named for it and
 * the complaints about its units filed within its dates.
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid().primaryKey().defaultRandom(),
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    title: text().notNull(),
    startsOn: date({ mode: 'string' }).notNull(),
    endsOn: date({ mode: 'string' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.unitId), check('campaigns_dates', sql`${t.endsOn} >= ${t.startsOn}`)],
);

export const campaignPhases = pgTable(
  'campaign_phases',
  {
    id: uuid().primaryKey().defaultRandom(),
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    kind: campaignPhaseKind().notNull(),
    startsOn: date({ mode: 'string' }).notNull(),
    endsOn: date({ mode: 'string' }).notNull(),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [uniqueIndex().on(t.campaignId, t.kind), check('campaign_phases_dates', sql`${t.endsOn} >= ${t.startsOn}`)],
);

export const campaignRounds = pgTable(
  'campaign_rounds',
  {
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    roundId: uuid()
      .notNull()
      .references(() => rounds.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.roundId] })],
);

/** Something each school or each person must hand in by a deadline (整改方案 7月18日, 书面总结 12月5日). */
export const campaignDeliverables = pgTable(
  'campaign_deliverables',
  {
    id: uuid().primaryKey().defaultRandom(),
    campaignId: uuid()
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    scope: deliverableScope().notNull(),
    title: text().notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index().on(t.campaignId)],
);

/** A school's or a person's deliverable as text; resubmitting replaces the text, the first submission time decides lateness. */
export const deliverableSubmissions = pgTable(
  'deliverable_submissions',
  {
    id: uuid().primaryKey().defaultRandom(),
    deliverableId: uuid()
      .notNull()
      .references(() => campaignDeliverables.id, { onDelete: 'cascade' }),
    /** the school (for a person: their unit) */
    unitId: uuid()
      .notNull()
      .references(() => units.id),
    /** set for a person's deliverable */
    staffId: uuid().references(() => staff.id),
    body: text().notNull(),
    submittedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    submittedBy: uuid().references(() => users.id),
  },
  (t) => [
    uniqueIndex('deliverable_submissions_owner').on(t.deliverableId, t.unitId, sql`coalesce(${t.staffId}, '00000000-0000-0000-0000-000000000000'::uuid)`),
    check('deliverable_submissions_length', sql`char_length(${t.body}) <= 20000`),
  ],
);

export type Campaign = typeof campaigns.$inferSelect;
export type CampaignPhase = typeof campaignPhases.$inferSelect;
export type CampaignDeliverable = typeof campaignDeliverables.$inferSelect;
export type DeliverableSubmission = typeof deliverableSubmissions.$inferSelect;
