import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { databaseUrl } from './pg';

export const onPostgres = Boolean(process.env.DATABASE_URL);

/**
 * A fresh, migrated, empty database for one test file: in-memory PGlite by default, a new
 * PostgreSQL database copied from the migrated template when DATABASE_URL is set.
 * `close()` drops it.
 */
export async function freshDatabase(): Promise<DbHandle & { url?: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await openDatabase({ kind: 'pglite' });
    await migrateDatabase(handle);
    return handle;
  }
  const name = await freshPgDatabase(url);
  const dbUrl = databaseUrl(url, name);
  const handle = await openDatabase({ kind: 'postgres', url: dbUrl, poolMax: 4 });
  return {
    ...handle,
    url: dbUrl,
    close: async () => {
      await handle.close();
      await dropPgDatabase(url, name);
    },
  };
}

/**
 * Creates a PostgreSQL database and returns its name: migrated (a copy of the run's template), a copy
 * of another `template` (the seeded demo, tests/helpers/demo.ts), or empty (`migrated: false`).
 */
export async function freshPgDatabase(url: string, { migrated = true, template }: { migrated?: boolean; template?: string } = {}): Promise<string> {
  const name = `pingyi_t_${randomBytes(6).toString('hex')}`;
  const from = template ?? (migrated ? inject('pgTemplate') : null);
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(from ? `create database ${name} template ${from}` : `create database ${name}`);
  } finally {
    await admin.end();
  }
  return name;
}

export async function dropPgDatabase(url: string, name: string): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}
