import { parseArgs } from 'node:util';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { createApiKey, createUser, resetPassword } from '@/lib/auth/users';
import { DatabaseUnreachableError, openFromEnv, type DbHandle } from '@/lib/db/client';
import { DataDirBusyError } from '@/lib/db/lock';
import { migrateDatabase, migrationStatus, SETUP_LOCK_ID } from '@/lib/db/migrate';
import { DomainError } from '@/lib/errors';
import { EnvError } from '@/lib/env';
import { translate, translateFields } from '@/lib/i18n/translate';
import { sealClosedRounds } from '@/lib/rounds/seal';
import { databaseSecret, forgetDatabaseSecret } from '@/lib/rounds/tokens';
import { isEmpty, seedDemo } from '@/lib/seed/demo';
import { installLibrary } from '@/lib/surveys/library';
import { backupCommand, isOperatorError, restoreCommand, retentionCommand } from './backup';
import { build } from './build';
import { DISTRICT_USAGE, runDistrictCommand } from './district';
import { serve } from './serve';

const USAGE = `Usage: pingyi <command>

Commands:
  start                                   build if needed, migrate, seed on first run, serve (npm start)
  build                                   production build of the app
  migrate                                 apply the committed migrations
  seed                                    seed the demo district into an empty database
${DISTRICT_USAGE}
  user create --username U --role R (--unit UNIT | --staff-no NO) [--name NAME] [--password P]
  user reset-password --username U
  api-key create --name NAME --role R [--unit UNIT]
  seal                                    seal every round whose window has ended (run from cron)
  token-secret export                     print the database's token secret, to set PINGYI_TOKEN_SECRET to it
  token-secret forget-db                  with PINGYI_TOKEN_SECRET set: delete the database's copy
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
        const v = options(rest, ['username', 'role', 'unit', 'staff-no', 'name', 'password']);
        const input = { username: required(v, 'username'), role: required(v, 'role') as never, unit: v.unit, staffNo: v['staff-no'], displayName: v.name, password: v.password };
        if (!v.unit && !v['staff-no']) throw new UsageError('Missing --unit (or --staff-no)');
        return withDb(async (h) => {
          await ensureMigrated(h);
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
    case 'init':
    case 'unit':
      return runDistrictCommand(
        { options, required, withDb, ensureMigrated, usageError: (m) => new UsageError(m), actor: CLI_ACTOR },
        command,
        [sub, ...rest].filter((a): a is string => a !== undefined),
      );
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
    case 'seal': {
      options([sub, ...rest].filter((x): x is string => x !== undefined), []);
      return withDb(async (h) => {
        await ensureMigrated(h);
        const sealed = await sealClosedRounds(h.db);
        console.log(`Sealed ${sealed} closed round(s): their answers are rewritten in random order and no longer joinable to links.`);
      });
    }
    case 'token-secret': {
      if (rest.length) throw new UsageError(`Unexpected argument: ${rest[0]}`);
      if (sub === 'export') {
        return withDb(async (h) => {
          await ensureMigrated(h);
          const secret = await databaseSecret(h.db);
          if (!secret) throw new UsageError('The database holds no token secret (it was moved out, or no token was ever issued).');
          await recordAudit(h.db, CLI_ACTOR, { action: 'token_secret.export', entityType: 'settings', summary: {} });
          console.log('Set this as PINGYI_TOKEN_SECRET on every instance, restart, then run `pingyi token-secret forget-db`:');
          console.log(secret);
        });
      }
      if (sub === 'forget-db') {
        return withDb(async (h) => {
          await ensureMigrated(h);
          const deleted = await forgetDatabaseSecret(h.db).catch((e: Error) => {
            throw new UsageError(e.message);
          });
          await recordAudit(h.db, CLI_ACTOR, { action: 'token_secret.forget_db', entityType: 'settings', summary: { deleted } });
          console.log(deleted ? 'Deleted the token secret from the database; PINGYI_TOKEN_SECRET is now the only copy.' : 'The database held no token secret.');
        });
      }
      throw new UsageError(sub ? `Unknown token-secret command: ${sub}` : 'Missing token-secret command');
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
