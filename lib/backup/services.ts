/**
 * What the server runs beside the app for operations: the control socket the CLI's `backup` uses
 * on PGlite, scheduled backups (PINGYI_BACKUP_DIR), and the hourly retention check.
 */
import type { DbHandle } from '@/lib/db/client';
import { backupDir, dataDir, env } from '@/lib/env';
import { purgeExpiredRounds } from '@/lib/retention/purge';
import { controlSocketPath, listenControl } from './control';
import { startBackupSchedule } from './schedule';

const RETENTION_EVERY_MS = 60 * 60 * 1000;

export async function startOperations(handle: DbHandle, log: (line: string) => void = console.log): Promise<() => Promise<void>> {
  const e = env();
  const stops: (() => void | Promise<void>)[] = [];
  if (handle.kind === 'pglite') {
    const socket = controlSocketPath(dataDir(e));
    if (socket) stops.push(await listenControl(handle, socket));
    else log(`The data directory's path is too long for the backup control socket; stop the server to run \`pingyi backup\`.`);
  }
  const dir = backupDir(e);
  if (dir) {
    stops.push(startBackupSchedule(handle, { dir, cron: e.PINGYI_BACKUP_CRON, keepDaily: e.PINGYI_BACKUP_KEEP_DAILY, keepMonthly: e.PINGYI_BACKUP_KEEP_MONTHLY, log }));
  }
  const retention = async () => {
    try {
      for (const p of await purgeExpiredRounds(handle.db, { type: 'system', label: 'retention' })) {
        log(`Retention: deleted the raw answers of "${p.title}" (${p.responses} responses; kept until ${p.retainUntil}).`);
      }
    } catch (err) {
      log(`Retention check failed: ${(err as Error).message}`);
    }
  };
  void retention();
  const timer = setInterval(() => void retention(), RETENTION_EVERY_MS);
  timer.unref();
  stops.push(() => clearInterval(timer));
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
