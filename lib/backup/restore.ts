/**
 * Restores a backup into an empty database (a PGlite directory or a PostgreSQL database), then
 * migrates it as every start does. In order, before anything is written: the file's checksum,
 * a migration this code knows, an empty target. The dump then runs in ONE transaction that also
 * compares every table's row count with the manifest, so a failure or a mismatch leaves the target
 * as it was.
 */
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { openDatabase, type DbHandle } from '@/lib/db/client';
import { lockDataDir } from '@/lib/db/lock';
import { migrateDatabase, migrationJournal, migrationStatus, SETUP_LOCK_ID } from '@/lib/db/migrate';
import { countsSql } from './dump';
import { openBackup, verifyBackup, type Manifest } from './format';
import { SqlSplitter } from './sql-split';

export type RestoreTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/** A restore refused before writing anything (or rolled back); the message says why. */
export class RestoreRefusedError extends Error {
  readonly code = 'RESTORE_REFUSED';
}

/** Statements are sent in batches of about this many characters (one round trip each). */
const BATCH = 256 * 1024;

const NON_EMPTY_SQL = `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p', 'v', 'm', 'S') and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'`;

/** The statements of a transaction, run in order; `rows` reads inside it. */
interface Tx {
  run(sqlText: string): Promise<void>;
  rows<T>(sqlText: string): Promise<T[]>;
}

interface Target {
  rows<T>(sqlText: string): Promise<T[]>;
  transaction(fn: (tx: Tx) => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

function checkMigration(manifest: Manifest) {
  const known = migrationJournal().entries;
  if (manifest.migrations.latestWhen !== null && !known.some((e) => e.when === manifest.migrations.latestWhen)) {
    throw new RestoreRefusedError(
      `The backup was made by a newer version of Pingyi (its latest migration, ${manifest.migrations.latest ?? manifest.migrations.latestWhen}, is unknown to this code, whose latest is ${known.at(-1)?.tag}). Upgrade Pingyi first; nothing was restored.`,
    );
  }
}

async function openPglite(dataDir: string): Promise<Target> {
  fs.mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir);
  } catch (err) {
    release();
    throw err;
  }
  return {
    rows: async <T>(text: string) => (await pg.query<T>(text)).rows,
    transaction: (fn) =>
      pg.transaction(async (tx) => {
        await fn({ run: async (text) => void (await tx.exec(text)), rows: async <T>(text: string) => (await tx.query<T>(text)).rows });
      }),
    close: async () => {
      try {
        await pg.close();
      } finally {
        release();
      }
    },
  };
}

async function openPostgres(url: string): Promise<Target> {
  // one connection of its own: the dump's session settings (search_path '') die with it
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  return {
    rows: async <T>(text: string) => [...(await sql.unsafe(text))] as T[],
    transaction: async (fn) => {
      await sql.begin(async (tx) => {
        await fn({ run: async (text) => void (await tx.unsafe(text).simple()), rows: async <T>(text: string) => [...(await tx.unsafe(text))] as T[] });
      });
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** pg_dump writes `SET name = value` for settings of its own server; a target that lacks one (PostgreSQL 15 and transaction_timeout) skips it. */
function settingName(stmt: string): string | null {
  return /^SET\s+([a-z_.]+)\s*=/i.exec(stmt)?.[1]?.toLowerCase() ?? null;
}

async function runDump(tx: Tx, body: AsyncGenerator<Buffer>): Promise<number> {
  const settings = new Set((await tx.rows<{ name: string }>('select name from pg_settings')).map((r) => r.name));
  const splitter = new SqlSplitter();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let batch: string[] = [];
  let size = 0;
  let statements = 0;
  const flush = async () => {
    if (!batch.length) return;
    await tx.run(batch.join(';\n'));
    batch = [];
    size = 0;
  };
  const add = async (stmts: string[]) => {
    for (const stmt of stmts) {
      const setting = settingName(stmt);
      if (setting && !settings.has(setting)) continue;
      batch.push(stmt);
      size += stmt.length;
      statements++;
      if (size >= BATCH) await flush();
    }
  };
  for await (const chunk of body) await add(splitter.push(decoder.decode(chunk, { stream: true })));
  await add(splitter.push(decoder.decode()));
  await add(splitter.end());
  await flush();
  return statements;
}

async function checkCounts(tx: Tx, manifest: Manifest) {
  const expected = Object.keys(manifest.tables).sort();
  const present = (
    await tx.rows<{ name: string }>(
      `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p') and n.nspname in ('public', 'drizzle') order by 1`,
    )
  ).map((r) => r.name);
  const missing = expected.filter((t) => !present.includes(t));
  if (missing.length) throw new RestoreRefusedError(`After restoring, tables are missing: ${missing.join(', ')}. Rolled back; nothing was restored.`);
  const counts = await tx.rows<{ name: string; n: string | number }>(countsSql(expected));
  const wrong = counts.filter((c) => Number(c.n) !== manifest.tables[c.name]);
  if (wrong.length) {
    throw new RestoreRefusedError(
      `After restoring, row counts differ from the manifest: ${wrong.map((w) => `${w.name} ${w.n} (expected ${manifest.tables[w.name]})`).join(', ')}. Rolled back; nothing was restored.`,
    );
  }
}

export interface RestoreSummary {
  manifest: Manifest;
  statements: number;
  rows: number;
  migrationsApplied: number;
}

/** Restores `file` into the empty `target`; refuses (writing nothing) a damaged file, a newer schema or a non-empty target. */
export async function restoreBackup(file: string, target: RestoreTarget): Promise<RestoreSummary> {
  const manifest = await verifyBackup(file);
  checkMigration(manifest);

  // a PGlite directory this restore creates is removed again if the restore fails
  const created = target.kind === 'pglite' && (!fs.existsSync(target.dataDir) || fs.readdirSync(target.dataDir).length === 0);
  const db = target.kind === 'pglite' ? await openPglite(target.dataDir) : await openPostgres(target.url);
  let statements = 0;
  let restored = false;
  try {
    const [state] = await db.rows<{ n: number }>(NON_EMPTY_SQL);
    if (Number(state?.n) > 0) {
      const where = target.kind === 'pglite' ? `The data directory ${target.dataDir}` : 'The database DATABASE_URL names';
      throw new RestoreRefusedError(`${where} is not empty (${state?.n} tables, sequences or views). Restore only into an empty database; nothing was restored.`);
    }
    const { body } = await openBackup(file);
    await db.transaction(async (tx) => {
      statements = await runDump(tx, body);
      await checkCounts(tx, manifest);
    });
    restored = true;
  } finally {
    await db.close();
    if (!restored && created && target.kind === 'pglite') fs.rmSync(target.dataDir, { recursive: true, force: true });
  }

  // then the migrations this code has and the dump had not, as every start does
  const handle: DbHandle = await openDatabase(target.kind === 'pglite' ? { kind: 'pglite', dataDir: target.dataDir } : { kind: 'postgres', url: target.url, poolMax: 2 });
  try {
    const before = (await migrationStatus(handle)).applied;
    await handle.withLock(SETUP_LOCK_ID, () => migrateDatabase(handle));
    const after = (await migrationStatus(handle)).applied;
    return { manifest, statements, rows: Object.values(manifest.tables).reduce((a, b) => a + b, 0), migrationsApplied: after - before };
  } finally {
    await handle.close();
  }
}
