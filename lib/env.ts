import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';

function validCron(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true, timezone: 'Asia/Shanghai' }).stop();
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  /** Unset means the embedded PGlite database. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Optional streaming replica of DATABASE_URL's database: result queries (dashboards, results,
   * trends, exports) read their figures there; everything else, and every write, goes to the primary.
   */
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PINGYI_DATA_DIR: z.string().min(1).default('.data/pglite'),
  /** 0 skips the demo district on first start */
  PINGYI_SEED: z.enum(['0', '1']).default('1'),
  PINGYI_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** API requests waiting for a connection beyond the pool; more answer 503 at once */
  PINGYI_DB_QUEUE_MAX: z.coerce.number().int().min(0).max(100_000).default(200),
  /** 1: DATABASE_URL is PgBouncer in transaction mode (no prepared statements, no session settings) */
  PINGYI_DB_PGBOUNCER: z.enum(['0', '1']).default('0'),
  /** PostgreSQL statement_timeout of the app's connections (0: none) */
  PINGYI_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  /** PostgreSQL lock_timeout of the app's connections: a row held longer fails the request with 503 */
  PINGYI_DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).default(5_000),
  /** the address parents and students reach, for links and QR codes (default: the request's own origin) */
  PINGYI_PUBLIC_URL: z.url().optional(),
  /** how many reverse proxies in front of the app append to X-Forwarded-For (0: clients connect directly) */
  PINGYI_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * the secret that derives and keys answering tokens (at least 32 characters, e.g. `openssl rand -hex 32`);
   * unset: one kept in the database, so a database backup would yield every live token
   */
  PINGYI_TOKEN_SECRET: z.string().min(32, 'PINGYI_TOKEN_SECRET must be at least 32 characters').optional(),
  /** scheduled backups go here (unset: no scheduled backups) */
  PINGYI_BACKUP_DIR: z.string().min(1).optional(),
  /** when scheduled backups run, a cron pattern in Asia/Shanghai time (default 02:00 every night) */
  PINGYI_BACKUP_CRON: z
    .string()
    .min(1)
    .default('0 2 * * *')
    .refine((p) => validCron(p), 'not a cron pattern (e.g. "0 2 * * *")'),
  /** scheduled backups kept: the newest of each of the last N days and of each of the last M months */
  PINGYI_BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(366).default(7),
  PINGYI_BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(120).default(12),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
});

export type Env = z.infer<typeof envSchema>;

// a replica of the embedded database cannot exist: refuse the setting rather than ignore it
const checkedEnv = envSchema.refine((e) => !e.DATABASE_READ_URL || e.DATABASE_URL, {
  path: ['DATABASE_READ_URL'],
  message: 'DATABASE_READ_URL needs DATABASE_URL (a replica of the embedded database is not possible)',
});

/** A missing or malformed environment variable; the message names each one. */
export class EnvError extends Error {
  readonly code = 'INVALID_ENV';
}

let cached: Env | undefined;

/** The validated environment, read once. A bad value stops the process with a message naming it. */
export function env(): Env {
  if (cached) return cached;
  const parsed = checkedEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid environment: ${lines.join('; ')}`);
  }
  cached = parsed.data;
  return cached;
}

/** Reads the environment again on the next env() call (tests that change a variable). */
export function resetEnv(): void {
  cached = undefined;
}

export function backupDir(e: Env = env()): string | null {
  return e.PINGYI_BACKUP_DIR ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), e.PINGYI_BACKUP_DIR) : null;
}

export function dataDir(e: Env = env()): string {
  return path.resolve(/*turbopackIgnore: true*/ process.cwd(), e.PINGYI_DATA_DIR);
}

/** The origin to put in links and QR codes: PINGYI_PUBLIC_URL, else the one the request came to. */
export function publicOrigin(headers: Headers, requestUrl?: string): string {
  const configured = env().PINGYI_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, '');
  const url = requestUrl ? new URL(requestUrl) : null;
  const host = headers.get('x-forwarded-host') ?? headers.get('host') ?? url?.host ?? 'localhost';
  const proto = headers.get('x-forwarded-proto') ?? url?.protocol.replace(':', '') ?? 'http';
  return `${proto}://${host}`;
}
