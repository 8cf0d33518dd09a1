/**
 * Scheduled backups, run by the server. With several instances on one PostgreSQL every instance
 * fires at the same minute; each tries to claim the minute as a row in `backups` (a unique slot),
 * and only the one whose insert succeeds dumps. The claim is a database row rather than a lock,
 * so it also tells a late instance that the slot is already done.
 */
import path from 'node:path';
import { Cron } from 'croner';
import type { DbHandle } from '@/lib/db/client';
import { backups } from '@/lib/db/schema';
import { rotateBackups } from './rotate';
import { backupFileName, runBackup } from './run';

export interface ScheduleOptions {
  dir: string;
  cron: string;
  keepDaily: number;
  keepMonthly: number;
  log?: (line: string) => void;
}

/** The minute a run belongs to: rounded, so instances whose clocks differ by seconds agree. */
export function slotOf(at: Date): Date {
  return new Date(Math.round(at.getTime() / 60_000) * 60_000);
}

/** Claims the slot and, if this instance got it, backs up and rotates. Returns the file, or null when another instance has the slot. */
export async function scheduledBackup(handle: DbHandle, opts: ScheduleOptions, at = new Date()): Promise<string | null> {
  const [claim] = await handle.db
    .insert(backups)
    .values({ trigger: 'schedule', slot: slotOf(at) })
    .onConflictDoNothing({ target: backups.slot })
    .returning({ id: backups.id });
  if (!claim) return null;
  const out = path.join(opts.dir, backupFileName(at));
  await runBackup(handle, { out, trigger: 'schedule', rowId: claim.id });
  rotateBackups(opts.dir, { daily: opts.keepDaily, monthly: opts.keepMonthly });
  return out;
}

/** Starts the schedule (a bad pattern throws at start-up with croner's message); returns its stopper. */
export function startBackupSchedule(handle: DbHandle, opts: ScheduleOptions): () => void {
  const log = opts.log ?? ((line) => console.log(line));
  const job = new Cron(opts.cron, { timezone: 'Asia/Shanghai', protect: true }, async () => {
    try {
      const file = await scheduledBackup(handle, opts);
      if (file) log(`Backup written: ${file}`);
    } catch (err) {
      log(`Scheduled backup failed: ${(err as Error).message}`);
    }
  });
  log(`Scheduled backups (${opts.cron}, Asia/Shanghai) into ${opts.dir}; next ${job.nextRun()?.toISOString()}`);
  return () => job.stop();
}
