import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { dataDir, env } from '@/lib/env';
import { lockDataDir } from './lock';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type DbKind = 'pglite' | 'postgres';

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** the PGlite instance (backups run pg_dump against it) */
  pglite?: PGlite;
  /** the PostgreSQL connection string (backups run pg_dump with it) */
  url?: string;
  /** run raw SQL outside Drizzle (migrations bookkeeping, advisory locks, test setup) */
  exec(sqlText: string): Promise<Record<string, unknown>[]>;
  /** runs fn while holding a PostgreSQL session advisory lock (PGlite has one process, so no lock) */
  withLock<T>(lockId: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type OpenOptions =
  | { kind: 'postgres'; url: string; poolMax?: number }
  | { kind: 'pglite'; dataDir?: string /* omitted: in memory */ };

/** Raised when PostgreSQL cannot be reached; the message is one line for the operator. */
export class DatabaseUnreachableError extends Error {
  readonly code = 'DATABASE_UNREACHABLE';
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.kind === 'postgres') {
    const sql = postgres(opts.url, {
      max: opts.poolMax ?? 10,
      connect_timeout: 10,
      idle_timeout: 30,
      onnotice: () => {},
    });
    try {
      await sql`select 1`;
    } catch (err) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw new DatabaseUnreachableError(
        `Cannot reach PostgreSQL at ${redact(opts.url)}: ${(err as Error).message || (err as NodeJS.ErrnoException).code}`,
      );
    }
    return {
      db: drizzlePostgres(sql, { schema, casing: 'snake_case' }) as unknown as Db,
      kind: 'postgres',
      url: opts.url,
      exec: async (text) => [...(await sql.unsafe(text))] as Record<string, unknown>[],
      withLock: async (lockId, fn) => {
        // a connection of its own, so fn can use the whole pool (even a pool of one)
        const conn = postgres(opts.url, { max: 1, connect_timeout: 10, onnotice: () => {} });
        try {
          await conn`select pg_advisory_lock(${lockId})`;
          try {
            return await fn();
          } finally {
            await conn`select pg_advisory_unlock(${lockId})`;
          }
        } finally {
          await conn.end({ timeout: 5 });
        }
      },
      close: () => sql.end({ timeout: 5 }),
    };
  }

  let release = () => {};
  let client: PGlite;
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    release = lockDataDir(opts.dataDir);
    try {
      client = await PGlite.create(opts.dataDir);
    } catch (err) {
      release();
      throw err;
    }
  } else {
    client = await PGlite.create();
  }
  return {
    db: drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db,
    kind: 'pglite',
    pglite: client,
    exec: async (text) => {
      const results = await client.exec(text);
      return (results.at(-1)?.rows ?? []) as Record<string, unknown>[];
    },
    withLock: (_lockId, fn) => fn(),
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        release();
      }
    },
  };
}

/** The database the environment asks for: PostgreSQL when DATABASE_URL is set, else PGlite on disk. */
export function openFromEnv(): Promise<DbHandle> {
  const e = env();
  return e.DATABASE_URL
    ? openDatabase({ kind: 'postgres', url: e.DATABASE_URL, poolMax: e.PINGYI_DB_POOL_MAX })
    : openDatabase({ kind: 'pglite', dataDir: dataDir(e) });
}

/**
 * Runs one parameterised statement straight through the driver under a Drizzle database, without
 * Drizzle's query builder, for the hot submission path. On PostgreSQL the statement is prepared
 * once per connection (Drizzle's own queries are unnamed: each costs an extra describe round trip).
 */
export async function rawQuery<T extends Record<string, unknown>>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  // the session's client is the transaction's own connection inside db.transaction
  const client = (db as unknown as { session: { client: postgres.Sql | Pick<PGlite, 'query'> } }).session.client;
  if ('unsafe' in client) return [...(await client.unsafe<T[]>(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }))];
  return (await client.query<T>(text, params)).rows;
}

const globalForDb = globalThis as unknown as { __pingyiDb?: Promise<DbHandle> };

/**
 * The app's one database handle, shared through globalThis so the start script, route handlers
 * and hot reloads in one process all use the same connection pool (and the same PGlite instance,
 * which must be the only one on its data directory).
 */
export function appDatabase(): Promise<DbHandle> {
  globalForDb.__pingyiDb ??= openFromEnv().catch((err) => {
    globalForDb.__pingyiDb = undefined;
    throw err;
  });
  return globalForDb.__pingyiDb;
}

export async function getDb(): Promise<Db> {
  return (await appDatabase()).db;
}

export function setAppDatabase(handle: DbHandle): void {
  globalForDb.__pingyiDb = Promise.resolve(handle);
}
