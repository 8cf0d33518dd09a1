import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/lib/db/client';
import { migrateDatabase, migrationStatus } from '@/lib/db/migrate';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle.close());

describe('migrations', () => {
  it('are current on a fresh database and idempotent', async () => {
    const before = await migrationStatus(handle);
    expect(before.current).toBe(true);
    expect(before.applied).toBeGreaterThan(0);
    await migrateDatabase(handle);
    expect(await migrationStatus(handle)).toEqual(before);
  });
});

describe('anonymity by design', () => {
  it('a response row references no link or code, and holds no address, agent or exact time', async () => {
    const columns = (await handle.exec(
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = 'responses' order by ordinal_position`,
    )).map((r) => String(r.column_name));
    expect(columns).toEqual([
      'id',
      'round_id',
      'form_id',
      'rater_group_id',
      'school_id',
      'class_id',
      'idempotency_key',
      'status',
      'void_reason',
      'data',
      // a ballot-quality flag (straight_line, same_grade): about the answers, not the respondent
      'flag',
    ]);
    // the count tables hold sums only: no response id, no link, no time
    for (const table of ['subject_counts', 'school_counts']) {
      const cols = (await handle.exec(`select column_name, data_type from information_schema.columns where table_name = '${table}'`)).map((r) => `${r.column_name}:${r.data_type}`);
      expect(cols.length).toBeGreaterThan(0);
      expect(cols.filter((c) => /response|link|timestamp|date|time/.test(c))).toEqual([]);
    }
    const fks = await handle.exec(`
      select ccu.table_name as target from information_schema.table_constraints tc
      join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name
      where tc.table_name in ('responses', 'answer_facts') and tc.constraint_type = 'FOREIGN KEY'`);
    expect(fks.map((r) => r.target)).not.toContain('links');
  });

  it('links record completion as a counter with no timestamp of use', async () => {
    const columns = (await handle.exec(
      `select column_name, data_type from information_schema.columns where table_name = 'links'`,
    )).map((r) => `${r.column_name}:${r.data_type}`);
    const timestamps = columns.filter((c) => c.includes('timestamp'));
    expect(timestamps).toEqual(['created_at:timestamp with time zone']);
    expect(columns).toContain('used_count:integer');
    expect(columns.some((c) => c.startsWith('token:'))).toBe(false);
  });

  it('the database itself refuses a link used beyond its capacity', async () => {
    await expect(
      handle.exec(`insert into links (round_id, form_id, kind, token_hash, school_id, capacity, used_count)
        values (gen_random_uuid(), gen_random_uuid(), 'class', 'x', gen_random_uuid(), 1, 2)`),
    ).rejects.toThrow();
  });
});
