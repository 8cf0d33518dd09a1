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

export interface PgTimeouts {
  /** statement_timeout in ms (0: none) */
  statementMs: number;
  /** lock_timeout in ms (0: none) */
  lockMs: number;
}

export type OpenOptions =
  | {
      kind: 'postgres';
      url: string;
      poolMax?: number;
      timeouts?: PgTimeouts;
      /**
       * Behind PgBouncer in transaction mode: no named prepared statements (a statement prepared on
       * one server connection is unknown on the next) and no session settings at connect time
       * (PgBouncer refuses them; set the timeouts on the database instead: ALTER DATABASE … SET).
       */
      pgbouncer?: boolean;
    }
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
      // a server that is down or full answers at once; one that does not answer fails the request soon
      connect_timeout: 5,
      idle_timeout: 30,
      onnotice: () => {},
      prepare: !opts.pgbouncer,
      // sent with every new connection: a stuck lock or a runaway query fails its request cleanly
      // instead of holding a connection of the pool
      connection: {
        application_name: 'pingyi',
        ...(opts.timeouts && !opts.pgbouncer
          ? {
              statement_timeout: opts.timeouts.statementMs,
              lock_timeout: opts.timeouts.lockMs,
              idle_in_transaction_session_timeout: Math.max(opts.timeouts.statementMs, 60_000),
            }
          : {}),
      },
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
        // a connection of its own, so fn can use the whole pool (even a pool of one); the lock is
        // a transaction's, so it also holds through PgBouncer in transaction mode (which pins a
        // server connection for a transaction, but not for a session)
        const conn = postgres(opts.url, { max: 1, connect_timeout: 10, prepare: !opts.pgbouncer, onnotice: () => {} });
        try {
          let result: Awaited<ReturnType<typeof fn>> | undefined;
          await conn.begin(async (tx) => {
            await tx`select pg_advisory_xact_lock(${lockId})`;
            result = await fn();
          });
          return result as Awaited<ReturnType<typeof fn>>;
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

function postgresFromEnv(url: string): OpenOptions {
  const e = env();
  return {
    kind: 'postgres',
    url,
    poolMax: e.PINGYI_DB_POOL_MAX,
    timeouts: { statementMs: e.PINGYI_DB_STATEMENT_TIMEOUT_MS, lockMs: e.PINGYI_DB_LOCK_TIMEOUT_MS },
    pgbouncer: e.PINGYI_DB_PGBOUNCER === '1',
  };
}

/** The database the environment asks for: PostgreSQL when DATABASE_URL is set, else PGlite on disk. */
export function openFromEnv(): Promise<DbHandle> {
  const e = env();
  return e.DATABASE_URL ? openDatabase(postgresFromEnv(e.DATABASE_URL)) : openDatabase({ kind: 'pglite', dataDir: dataDir(e) });
}

/** More API requests are waiting for the database than the pool and its queue admit. */
export class DatabaseBusyError extends Error {
  readonly code = 'DATABASE_BUSY';
}

let admitted = 0;

/**
 * Admits one API request to the database: at most the pool plus PINGYI_DB_QUEUE_MAX at once per
 * process, so a slow or full database makes the excess answer 503 at once instead of piling up
 * requests that would all time out. Returns the release function.
 */
export function admitDatabaseRequest(): () => void {
  const e = env();
  if (admitted >= e.PINGYI_DB_POOL_MAX + e.PINGYI_DB_QUEUE_MAX) throw new DatabaseBusyError('the database queue is full');
  admitted++;
  let released = false;
  return () => {
    if (!released) admitted--;
    released = true;
  };
}

/** SQLSTATEs that say "not now" rather than "wrong": the same request can succeed on a retry. */
const TRANSIENT_SQLSTATES = new Set([
  '57P01', // admin_shutdown: the backend was terminated (pg_terminate_backend, server stopping)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '53300', // too_many_connections
  '53000', // insufficient_resources
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '25P03', // idle_in_transaction_session_timeout
]);
const TRANSIENT_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'DATABASE_BUSY',
  'DATABASE_UNREACHABLE',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/**
 * Whether an error means the database cannot serve the request now (down, restarting, the
 * connection cut, full, a lock or statement timeout), as opposed to a bug or bad input. Drizzle
 * wraps driver errors, so the cause chain is searched.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') continue;
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_CODES.has(code) || code.startsWith('08')) return true;
  }
  return false;
}

/**
 * Runs one parameterised statement straight through the driver under a Drizzle database, without
 * Drizzle's query builder, for the hot submission path. On PostgreSQL the statement is prepared
 * once per connection (Drizzle's own queries are unnamed: each costs an extra describe round trip), except behind PgBouncer.
 */
export async function rawQuery<T extends Record<string, unknown>>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  // the session's client is the transaction's own connection inside db.transaction
  const client = (db as unknown as { session: { client: postgres.Sql | Pick<PGlite, 'query'> } }).session.client;
  if ('unsafe' in client) return [...(await client.unsafe<T[]>(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }))];
  return (await client.query<T>(text, params)).rows;
}

const globalForDb = globalThis as unknown as { __pingyiDb?: Promise<DbHandle>; __pingyiReadDb?: Promise<DbHandle> };

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

/**
 * The database result queries read their figures from (dashboards, results, trends, exports): the
 * streaming replica of DATABASE_READ_URL, which may lag the primary by a moment, or the primary
 * itself when none is set. Authorisation, release and anything read right after a write (progress
 * after a submission, a session just created) read the primary (getDb), and nothing writes here.
 */
export async function getReadDb(): Promise<Db> {
  const url = env().DATABASE_READ_URL;
  if (!url) return getDb();
  globalForDb.__pingyiReadDb ??= openDatabase(postgresFromEnv(url)).catch((err) => {
    globalForDb.__pingyiReadDb = undefined;
    throw err;
  });
  return (await globalForDb.__pingyiReadDb).db;
}

/** Whether result queries read a replica (DATABASE_READ_URL) rather than the primary. */
export function readsReplica(): boolean {
  return Boolean(env().DATABASE_READ_URL);
}

/**
 * A replica that has replayed everything the primary had committed when this is called (waiting
 * up to `waitMs`), or the primary when it has not caught up by then: for a read that must not miss
 * a write just made (the raw answers of a round sealed a moment ago).
 */
export async function caughtUpReplica(primary: Db, replica: Db, waitMs = 5_000): Promise<Db> {
  if (replica === primary) return primary;
  const [{ lsn } = { lsn: '0/0' }] = await rawQuery<{ lsn: string }>(primary, 'select pg_current_wal_lsn()::text as lsn', []);
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [row] = await rawQuery<{ ok: boolean | null }>(replica, 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [lsn]);
    if (row?.ok) return replica;
    if (Date.now() >= deadline) return primary;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
