/**
 * A consistent dump of the whole database with its manifest.
 *
 * PGlite: pglite-tools' pg_dump (WebAssembly) talks to the server's own PGlite instance. It runs
 * while this module holds both of PGlite's locks (the transaction lock and the query lock), so no
 * request's transaction is open underneath it and none starts until it is done: the dump holds
 * every submission acknowledged before it began and nothing half-written. Requests wait meanwhile
 * (the demo district takes about 1.5 s).
 *
 * PostgreSQL: the system's pg_dump, on a snapshot exported from a REPEATABLE READ transaction in
 * which the row counts of the manifest are taken too, so counts and dump describe the same moment
 * while the instances keep serving.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import postgres from 'postgres';
import pkg from '@/package.json';
import { migrationJournal } from '@/lib/db/migrate';
import { FORMAT, HEADER_PREFIX, writeBackupFile, type Manifest } from './format';

export type BackupSource = { kind: 'pglite'; pglite: PGlite } | { kind: 'postgres'; url: string };

/** pg_dump is missing, too old for the server, or failed. */
export class DumpError extends Error {
  readonly code = 'DUMP_FAILED';
}

const DUMP_ARGS = ['--inserts', '--rows-per-insert=500', '--no-owner', '--no-privileges'];

/** Every table of the app (its own schema and drizzle's bookkeeping), as "schema.table". */
const TABLES_SQL = `select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'p') and n.nspname in ('public', 'drizzle') order by 1`;

const quoteName = (name: string) =>
  name
    .split('.')
    .map((p) => `"${p.replace(/"/g, '""')}"`)
    .join('.');

export function countsSql(tables: string[]): string {
  return tables.map((t) => `select ${`'${t.replace(/'/g, "''")}'`} as name, count(*)::bigint as n from ${quoteName(t)}`).join(' union all ');
}

const MIGRATIONS_SQL = `select count(*)::int as n, max(created_at)::text as latest from drizzle.__drizzle_migrations`;

function migrationsInfo(count: number, latestWhen: number | null): Manifest['migrations'] {
  const entry = latestWhen === null ? undefined : migrationJournal().entries.find((e) => e.when === latestWhen);
  return { count, latest: entry?.tag ?? null, latestWhen };
}

/** A simple-protocol query message: PGlite's execProtocol runs it without taking its locks. */
function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const msg = Buffer.alloc(5 + body.length);
  msg.write('Q', 0, 'ascii');
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return new Uint8Array(msg);
}

async function lockFreeRows(pg: PGlite, text: string): Promise<(string | null)[][]> {
  const { messages } = await pg.execProtocol(simpleQuery(text));
  return messages.filter((m) => m.name === 'dataRow').map((m) => (m as unknown as { fields: (string | null)[] }).fields);
}

const SETTINGS_SQL = `select name, setting from pg_settings where context in ('user', 'superuser') order by name`;

/**
 * pg_dump ends by disconnecting, which a real server takes as the end of its read-only
 * transaction and session settings. PGlite's one session lives on: end the transaction and put
 * back every setting pg_dump changed (search_path, extra_float_digits, row_security...).
 */
async function restoreSession(pg: PGlite, before: (string | null)[][]) {
  await pg.execProtocol(simpleQuery('rollback'));
  const now = new Map((await lockFreeRows(pg, SETTINGS_SQL)).map((r) => [r[0]!, r[1]]));
  const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;
  const changed = before.filter(([name, value]) => now.get(name!) !== value);
  if (changed.length) {
    await pg.execProtocol(simpleQuery(`select ${changed.map(([name, value]) => `set_config(${quote(name!)}, ${quote(value ?? '')}, false)`).join(', ')}`));
  }
}

interface Dumped {
  manifest: Manifest;
  /** the gzipped body: a Buffer, or the path of a temp file */
  gzipped: Buffer | string;
}

type Internals = { _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>; _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T> };

async function dumpPglite(pg: PGlite): Promise<Dumped> {
  const searchPath = String((await pg.query<{ search_path: string }>('show search_path')).rows[0]?.search_path ?? 'public');
  const locks = pg as unknown as Internals;
  return locks._runExclusiveTransaction(() =>
    locks._runExclusiveQuery(async () => {
      const tables = (await lockFreeRows(pg, TABLES_SQL)).map((r) => r[0]!);
      const counts = Object.fromEntries((await lockFreeRows(pg, countsSql(tables))).map((r) => [r[0]!, Number(r[1])]));
      const [mig] = await lockFreeRows(pg, MIGRATIONS_SQL);
      const [version] = await lockFreeRows(pg, 'show server_version');
      // pgDump's own bookkeeping queries would wait for the locks held here: give it lock-free ones
      const view = {
        query: async () => ({ rows: [{ search_path: searchPath }] }),
        exec: async (text: string) => void (await pg.execProtocol(simpleQuery(text))),
        execProtocolRawStream: pg.execProtocolRawStream.bind(pg),
      } as unknown as PGlite;
      const settingsBefore = await lockFreeRows(pg, SETTINGS_SQL);
      let file: File;
      try {
        file = await pgDump({ pg: view, args: DUMP_ARGS });
      } catch (err) {
        throw new DumpError(`pg_dump (PGlite) failed: ${(err as Error).message}`);
      } finally {
        await restoreSession(pg, settingsBefore);
      }
      const body = Buffer.from(await file.arrayBuffer());
      return {
        manifest: {
          format: FORMAT,
          app: pkg.version,
          createdAt: new Date().toISOString(),
          database: 'pglite' as const,
          serverVersion: String(version?.[0] ?? ''),
          migrations: migrationsInfo(Number(mig?.[0] ?? 0), mig?.[1] ? Number(mig[1]) : null),
          tables: counts,
          sha256: createHash('sha256').update(body).digest('hex'),
          bytes: body.length,
        },
        gzipped: zlib.gzipSync(body),
      };
    }),
  );
}

/** pg_dump from PINGYI_PG_DUMP, PATH, or the newest /usr/lib/postgresql/N/bin. */
export function findPgDump(): string | null {
  if (process.env.PINGYI_PG_DUMP) return process.env.PINGYI_PG_DUMP;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'pg_dump');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  const root = '/usr/lib/postgresql';
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const candidate = path.join(root, v, 'bin', 'pg_dump');
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return null;
}

async function dumpPostgres(url: string, tempFile: string): Promise<Dumped> {
  const pgDumpBin = findPgDump();
  if (!pgDumpBin) {
    throw new DumpError('pg_dump was not found (set PINGYI_PG_DUMP, or install postgresql-client of the server’s major version or newer).');
  }
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await sql.begin('isolation level repeatable read read only', async (tx) => {
      const [{ snapshot }] = (await tx.unsafe(`select pg_export_snapshot() as snapshot`)) as unknown as [{ snapshot: string }];
      const tables = ((await tx.unsafe(TABLES_SQL)) as unknown as { name: string }[]).map((r) => r.name);
      const counts = Object.fromEntries(((await tx.unsafe(countsSql(tables))) as unknown as { name: string; n: string }[]).map((r) => [r.name, Number(r.n)]));
      const [mig] = (await tx.unsafe(MIGRATIONS_SQL)) as unknown as [{ n: number; latest: string | null }];
      const [version] = (await tx.unsafe('show server_version')) as unknown as [{ server_version: string }];

      // the password goes through the environment, not the command line that `ps` shows
      const parsed = new URL(url);
      const password = decodeURIComponent(parsed.password);
      parsed.password = '';
      const child = spawn(pgDumpBin, [...DUMP_ARGS, `--snapshot=${snapshot}`, `--dbname=${parsed.toString()}`], {
        env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const hash = createHash('sha256');
      let bytes = 0;
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const gzip = zlib.createGzip();
      const out = fs.createWriteStream(tempFile, { mode: 0o600 });
      child.stdout.on('data', (d: Buffer) => {
        hash.update(d);
        bytes += d.length;
      });
      const written = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve);
        out.on('error', reject);
        gzip.on('error', reject);
      });
      child.stdout.pipe(gzip).pipe(out);
      const code = await new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (c) => resolve(c ?? 1));
      });
      await written;
      if (code !== 0) throw new DumpError(`pg_dump failed (exit ${code}): ${stderr.trim()}`);
      return {
        manifest: {
          format: FORMAT,
          app: pkg.version,
          createdAt: new Date().toISOString(),
          database: 'postgres' as const,
          serverVersion: version.server_version,
          migrations: migrationsInfo(mig.n, mig.latest ? Number(mig.latest) : null),
          tables: counts,
          sha256: hash.digest('hex'),
          bytes,
        },
        gzipped: tempFile,
      };
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Dumps the database into `out` (written atomically, mode 0600) and returns the manifest. */
export async function dumpToFile(source: BackupSource, out: string): Promise<Manifest> {
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const tempBody = `${out}.${process.pid}.body.gz`;
  try {
    const dumped = source.kind === 'pglite' ? await dumpPglite(source.pglite) : await dumpPostgres(source.url, tempBody);
    await writeBackupFile(out, dumped.manifest, dumped.gzipped);
    return dumped.manifest;
  } finally {
    fs.rmSync(tempBody, { force: true });
  }
}

/** The whole backup file in memory (PGlite only: the server sends it to the CLI over its control socket). */
export async function dumpToBuffer(pglite: PGlite): Promise<{ manifest: Manifest; file: Buffer }> {
  const dumped = await dumpPglite(pglite);
  const header = zlib.gzipSync(Buffer.from(`${HEADER_PREFIX}${JSON.stringify(dumped.manifest)}\n`));
  return { manifest: dumped.manifest, file: Buffer.concat([header, dumped.gzipped as Buffer]) };
}
