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
