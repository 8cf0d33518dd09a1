/**
 * Moving from the embedded database to PostgreSQL: a backup of a PGlite database restored with
 * DATABASE_URL gives the same data and the same answer from every results API call.
 * (Needs a real PostgreSQL: runs with npm run test:pg.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiKey } from '@/lib/auth/users';
import { restoreBackup } from '@/lib/backup/restore';
import { runBackup } from '@/lib/backup/run';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { prepareDatabase } from '@/lib/db/setup';
import { dropPgDatabase, freshPgDatabase } from '../helpers/db';
import { databaseUrl } from '../helpers/pg';
import { resultsSnapshot } from '../helpers/results-snapshot';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-move-'));
let embedded: DbHandle;
let pgName: string;
let url: string;

beforeAll(async () => {
  embedded = await openDatabase({ kind: 'pglite', dataDir: path.join(work, 'pglite') });
  await migrateDatabase(embedded);
  await prepareDatabase(embedded, { seed: true });
  pgName = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
  url = databaseUrl(process.env.DATABASE_URL!, pgName);
}, 600_000);

afterAll(async () => {
  await embedded?.close();
  if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
  fs.rmSync(work, { recursive: true, force: true });
});

it('PGlite → backup → restore into PostgreSQL answers every results call the same', async () => {
  const { key } = await createApiKey(embedded.db, { type: 'cli', label: 'test' }, { name: 'move', role: 'office', unit: '巷道学区' });
  const before = await resultsSnapshot(embedded, key);
  expect(Object.keys(before).length).toBeGreaterThan(20);

  const file = path.join(work, 'move.sql.gz');
  const manifest = await runBackup(embedded, { out: file, trigger: 'cli' });
  expect(manifest.database).toBe('pglite');
  const summary = await restoreBackup(file, { kind: 'postgres', url });
  expect(summary.migrationsApplied).toBe(0);

  const pg = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  try {
    for (const [table, n] of Object.entries(manifest.tables)) {
      const [row] = await pg.exec(`select count(*)::int as n from ${table.split('.').map((p) => `"${p}"`).join('.')}`);
      expect([table, Number(row?.n)]).toEqual([table, n]);
    }
    expect(await resultsSnapshot(pg, key)).toEqual(before);
    // the sequences came along: a new audit entry gets the next id, not a duplicate
    await createApiKey(pg.db, { type: 'cli', label: 'test' }, { name: 'after-move', role: 'supervisor', unit: '巷道学区' });
  } finally {
    await pg.close();
  }
}, 600_000);
