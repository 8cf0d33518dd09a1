import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per backup attempt, so every instance (and the health endpoint) knows when the last good
 * backup was made. A scheduled run first claims its slot here: the unique slot lets exactly one of
 * several instances on one PostgreSQL run it.
 */
export const backups = pgTable(
  'backups',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** schedule, api or cli */
    trigger: text().notNull(),
    /** the scheduled time this run belongs to (null for a backup asked for by hand) */
    slot: timestamp({ withTimezone: true }),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    ok: boolean(),
    /** file name (not the path) */
    file: text(),
    bytes: bigint({ mode: 'number' }),
    sha256: text(),
    error: text(),
  },
  (t) => [uniqueIndex().on(t.slot), index().on(t.ok, t.finishedAt)],
);

export type Backup = typeof backups.$inferSelect;
