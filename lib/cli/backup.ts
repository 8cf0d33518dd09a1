/**
 * `pingyi backup`, `pingyi restore` and `pingyi retention run`: the operator's side of lib/backup
 * and lib/retention. On PGlite a running server owns the data directory, so `backup` asks it over
 * its control socket; with no server running it opens the directory itself.
 */
import path from 'node:path';
import { controlSocketPath, requestBackup } from '@/lib/backup/control';
import { DumpError } from '@/lib/backup/dump';
import { BackupFileError, type Manifest } from '@/lib/backup/format';
import { restoreBackup, RestoreRefusedError } from '@/lib/backup/restore';
import { backupFileName, runBackup } from '@/lib/backup/run';
import { openFromEnv } from '@/lib/db/client';
import { migrateDatabase, migrationStatus, SETUP_LOCK_ID } from '@/lib/db/migrate';
import { backupDir, dataDir, env } from '@/lib/env';
import { purgeExpiredRounds } from '@/lib/retention/purge';

/** Errors whose message is all the operator needs (exit status 1, no stack). */
export function isOperatorError(err: unknown): err is Error {
  return err instanceof RestoreRefusedError || err instanceof BackupFileError || err instanceof DumpError;
}

function describe(out: string, m: Manifest): string {
  const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
  return `Backup written: ${out}\n  ${m.database} ${m.serverVersion}, migration ${m.migrations.latest}, ${Object.keys(m.tables).length} tables, ${rows} rows, SQL ${m.bytes} bytes, SHA-256 ${m.sha256}`;
}

export async function backupCommand(outArg: string | undefined): Promise<void> {
  const e = env();
  const out = path.resolve(outArg ?? path.join(backupDir(e) ?? 'backups', backupFileName(new Date())));
  if (!e.DATABASE_URL) {
    const socket = controlSocketPath(dataDir(e));
    const fromServer = socket ? await requestBackup(socket, out) : null;
    if (fromServer) {
      console.log(`${describe(out, fromServer)}\n  (made by the running server)`);
      return;
    }
  }
  // PostgreSQL, or PGlite with no server running: this process dumps (opening PGlite takes its lock)
  const handle = await openFromEnv();
  try {
    if (!(await migrationStatus(handle)).current) await handle.withLock(SETUP_LOCK_ID, () => migrateDatabase(handle));
    console.log(describe(out, await runBackup(handle, { out, trigger: 'cli' })));
  } finally {
    await handle.close();
  }
}

export async function restoreCommand(file: string): Promise<void> {
  const e = env();
  const target = e.DATABASE_URL ? ({ kind: 'postgres', url: e.DATABASE_URL } as const) : ({ kind: 'pglite', dataDir: dataDir(e) } as const);
  const s = await restoreBackup(path.resolve(file), target);
  console.log(
    `Restored ${file} into ${target.kind === 'pglite' ? target.dataDir : 'DATABASE_URL'}: ${Object.keys(s.manifest.tables).length} tables, ${s.rows} rows (counts and checksum verified), made ${s.manifest.createdAt} on ${s.manifest.database}.` +
      (s.migrationsApplied ? ` Then applied ${s.migrationsApplied} newer migrations.` : ''),
  );
}

export async function retentionCommand(): Promise<void> {
  const handle = await openFromEnv();
  try {
    const purged = await purgeExpiredRounds(handle.db, { type: 'cli', label: process.env.USER ?? 'operator' });
    if (!purged.length) console.log('No round is past its retention period.');
    for (const p of purged) console.log(`Deleted the raw answers of "${p.title}" (retained until ${p.retainUntil}): ${p.responses} responses, ${p.facts} answer rows.`);
  } finally {
    await handle.close();
  }
}

