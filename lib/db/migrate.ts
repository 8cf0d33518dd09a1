import fs from 'node:fs';
import path from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DbHandle } from './client';

export function migrationsFolder(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'drizzle');
}

interface Journal {
  entries: { idx: number; tag: string; when: number }[];
}

export function migrationJournal(): Journal {
  return JSON.parse(fs.readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8')) as Journal;
}

/** An arbitrary constant: every instance takes this advisory lock before migrating or seeding. */
export const SETUP_LOCK_ID = 731_142_800;

/** Applies the committed migrations in `drizzle/`. Callers on PostgreSQL hold SETUP_LOCK_ID (see setup.ts). */
export async function migrateDatabase(handle: DbHandle): Promise<void> {
  const folder = { migrationsFolder: migrationsFolder() };
  if (handle.kind === 'pglite') await migratePglite(handle.db as unknown as PgliteDatabase, folder);
  else await migratePostgres(handle.db as unknown as PostgresJsDatabase, folder);
}

export interface MigrationStatus {
  applied: number;
  expected: number;
  current: boolean;
  latest: string | null;
}

export async function migrationStatus(handle: DbHandle): Promise<MigrationStatus> {
  const entries = migrationJournal().entries;
  const [exists] = await handle.exec(`select to_regclass('drizzle.__drizzle_migrations') is not null as ok`);
  let applied = 0;
  if (exists?.ok) {
    const [row] = await handle.exec(`select count(*)::int as n from drizzle.__drizzle_migrations`);
    applied = Number(row?.n ?? 0);
  }
  return {
    applied,
    expected: entries.length,
    current: applied === entries.length,
    latest: entries.at(-1)?.tag ?? null,
  };
}
