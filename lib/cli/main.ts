import { parseArgs } from 'node:util';
import type { Actor } from '@/lib/audit/log';
import { createApiKey, createUser, resetPassword } from '@/lib/auth/users';
import { DatabaseUnreachableError, openFromEnv, type DbHandle } from '@/lib/db/client';
import { DataDirBusyError } from '@/lib/db/lock';
import { migrateDatabase, migrationStatus, SETUP_LOCK_ID } from '@/lib/db/migrate';
import { DomainError } from '@/lib/errors';
import { EnvError } from '@/lib/env';
import { translate, translateFields } from '@/lib/i18n/translate';
import { isEmpty, seedDemo } from '@/lib/seed/demo';
import { installLibrary } from '@/lib/surveys/library';
import { backupCommand, isOperatorError, restoreCommand, retentionCommand } from './backup';
import { build } from './build';
import { serve } from './serve';

const USAGE = `Usage: pingyi <command>

Commands:
  start                                   build if needed, migrate, seed on first run, serve (npm start)
  build                                   production build of the app
  migrate                                 apply the committed migrations
  seed                                    seed the demo district into an empty database
  user create --username U --role R --unit UNIT [--name NAME] [--password P]
  user reset-password --username U
  api-key create --name NAME --role R [--unit UNIT]
  backup [--out FILE]                     consistent compressed dump (asks the running server on PGlite)
  restore FILE                            restore a backup into an EMPTY database, then migrate
  retention run                           delete the raw answers of rounds past their retention period

Roles: office, school_admin, staff, supervisor. UNIT is a unit name (e.g. 巷道学区) or id.
The database is PostgreSQL when DATABASE_URL is set, else PGlite in PINGYI_DATA_DIR (.data/pglite).`;

class UsageError extends Error {}

const CLI_ACTOR: Actor = { type: 'cli', label: process.env.USER ?? 'operator' };

function options(args: string[], names: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
    return values as Record<string, string | undefined>;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError((err as Error).message);
  }
}

function required(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (!v) throw new UsageError(`Missing --${name}`);
  return v;
}

async function withDb<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
  const handle = await openFromEnv();
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

async function ensureMigrated(handle: DbHandle) {
  if (!(await migrationStatus(handle)).current) await handle.withLock(SETUP_LOCK_ID, () => migrateDatabase(handle));
}

async function run(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  switch (command) {
    case 'start':
      if (sub) throw new UsageError(`Unexpected argument: ${sub}`);
      return serve();
    case 'build':
      return build();
    case 'migrate':
      if (sub) throw new UsageError(`Unexpected argument: ${sub}`);
      return withDb(async (h) => {
        await h.withLock(SETUP_LOCK_ID, async () => migrateDatabase(h));
        const s = await migrationStatus(h);
        console.log(`Migrations applied: ${s.applied}/${s.expected} (latest ${s.latest}) on ${h.kind}.`);
      });
    case 'seed':
      if (sub) throw new UsageError(`Unexpected argument: ${sub}`);
      return withDb(async (h) => {
        await ensureMigrated(h);
        if (!(await isEmpty(h.db))) {
          await installLibrary(h.db);
          throw new UsageError('The database already has data; `pingyi seed` only seeds an empty database.');
        }
        const s = await seedDemo(h.db, CLI_ACTOR);
        console.log(`Seeded 巷道学区: ${s.schools} schools, ${s.classes} classes, ${s.staff} staff, ${s.assignments} teaching assignments, ${s.responses} answers.`);
      });
    case 'user': {
      if (sub === 'create') {
        const v = options(rest, ['username', 'role', 'unit', 'name', 'password']);
        return withDb(async (h) => {
          await ensureMigrated(h);
          const input = { username: required(v, 'username'), role: required(v, 'role') as never, unit: required(v, 'unit'), displayName: v.name, password: v.password };
          const { password } = await createUser(h.db, CLI_ACTOR, input);
          console.log(`Created user ${input.username}.`);
          if (!v.password) console.log(`Initial password (must be changed at first login):\n${password}`);
        });
      }
      if (sub === 'reset-password') {
        const v = options(rest, ['username']);
        return withDb(async (h) => {
          const { password } = await resetPassword(h.db, CLI_ACTOR, required(v, 'username'));
          console.log(`New password for ${v.username} (must be changed at next login):\n${password}`);
        });
      }
      throw new UsageError(sub ? `Unknown user command: ${sub}` : 'Missing user command');
    }
    case 'api-key': {
      if (sub !== 'create') throw new UsageError(sub ? `Unknown api-key command: ${sub}` : 'Missing api-key command');
      const v = options(rest, ['name', 'role', 'unit']);
      return withDb(async (h) => {
        await ensureMigrated(h);
        const { key } = await createApiKey(h.db, CLI_ACTOR, { name: required(v, 'name'), role: required(v, 'role') as never, unit: v.unit });
        console.log(`Created API key "${v.name}". It is shown once; store it now:`);
        console.log(key);
      });
    }
    case 'backup':
      return backupCommand(options([sub, ...rest].filter((a) => a !== undefined), ['out']).out);
    case 'restore':
      if (!sub || sub.startsWith('-')) throw new UsageError('Missing backup FILE');
      options(rest, []);
      return restoreCommand(sub);
    case 'retention':
      if (sub !== 'run') throw new UsageError(sub ? `Unknown retention command: ${sub}` : 'Missing retention command');
      options(rest, []);
      return retentionCommand();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    await run(argv);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`pingyi: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof DatabaseUnreachableError || err instanceof DataDirBusyError || err instanceof EnvError || isOperatorError(err)) {
      console.error(`pingyi: ${err.message}`);
      return 1;
    }
    if (err instanceof DomainError) {
      const locale = process.env.LANG?.startsWith('zh') ? 'zh-CN' : 'en';
      const fields = Object.entries(translateFields(locale, err) ?? {}).map(([f, msgs]) => `\n  ${f}: ${msgs.join(' ')}`);
      console.error(`pingyi: ${translate(locale, err)}${fields.join('')}`);
      return 1;
    }
    console.error(err);
    return 1;
  }
}
