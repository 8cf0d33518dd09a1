import os from 'node:os';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';

export const machine = `${os.cpus().length} cpus, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}, node ${process.version}`;

/** One figure, in the format every benchmark prints: a JSON object on its own line. */
export function report(bench: string, kind: DbHandle['kind'], metric: string, value: number, unit: string, baseline: number | null, extra?: Record<string, unknown>) {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  console.log(
    JSON.stringify({
      bench,
      metric,
      value: round(value),
      unit,
      baseline: baseline === null ? null : round(baseline),
      ratio: baseline ? round(value / baseline) : null,
      db: kind,
      machine,
      ...extra,
    }),
  );
}

export async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, performance.now() - t0];
}

/**
 * A fresh migrated database for a benchmark: a new database on the PostgreSQL server of
 * DATABASE_URL (dropped afterwards), else in-memory PGlite.
 */
export async function benchDatabase(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const h = await openDatabase({ kind: 'pglite' });
    await migrateDatabase(h);
    return h;
  }
  const name = `pingyi_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const h = await openDatabase({ kind: 'postgres', url: u.toString(), poolMax: 4 });
  await migrateDatabase(h);
  return {
    ...h,
    close: async () => {
      await h.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Whether the server runs autovacuum. A CI machine may turn it off (this one does, in
 * /etc/postgresql/15/main/conf.d/90-ci.conf); a production server never should: without it the
 * counter rows every submission updates pile up dead versions and no table is ever analysed.
 */
export async function autovacuumOn(handle: DbHandle): Promise<boolean> {
  const [row] = await handle.exec(`select current_setting('autovacuum') as v`);
  return row?.v === 'on';
}

/**
 * What autovacuum would do in one pass at its default settings, for a long benchmark on a server
 * where it is off: VACUUM each table with more dead rows than 50 + 20% of its rows (or more rows
 * inserted since its last vacuum than 1,000 + 20%), ANALYZE each with more changes than 50 + 10%.
 * Returns the tables it vacuumed and analysed.
 */
export async function autovacuumPass(handle: DbHandle): Promise<{ vacuumed: string[]; analysed: string[] }> {
  const rows = (await handle.exec(`
    select relname as name,
      n_dead_tup > 50 + 0.2 * greatest(n_live_tup, 0) or n_ins_since_vacuum > 1000 + 0.2 * greatest(n_live_tup, 0) as vacuum,
      n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0) as analyse
    from pg_stat_user_tables where schemaname = 'public'`)) as { name: string; vacuum: boolean; analyse: boolean }[];
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const vacuumed = rows.filter((r) => r.vacuum).map((r) => r.name);
  const analysed = rows.filter((r) => r.analyse).map((r) => r.name);
  for (const name of vacuumed) await handle.exec(`vacuum ${analysed.includes(name) ? '(analyze) ' : ''}${quote(name)}`);
  for (const name of analysed.filter((n) => !vacuumed.includes(n))) await handle.exec(`analyze ${quote(name)}`);
  return { vacuumed, analysed };
}
