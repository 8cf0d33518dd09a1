/**
 * A backup run: dump into a file and record the attempt in `backups`, so the health endpoint and
 * the office's home (on any instance) can say when the last good backup was made.
 */
import path from 'node:path';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db, DbHandle } from '@/lib/db/client';
import { backups } from '@/lib/db/schema';
import { dumpToFile, type BackupSource } from './dump';
import type { Manifest } from './format';

export type BackupTrigger = 'schedule' | 'api' | 'cli';

/** A backup older than this is reported as stale (health endpoint, office home). */
export const STALE_AFTER_MS = 2 * 24 * 60 * 60 * 1000;

/** pingyi-20261130-020000.sql.gz, in China time: rotation reads the date from the name. */
export function backupFileName(at: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `pingyi-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}${parts.second}.sql.gz`;
}

export function backupSource(handle: DbHandle): BackupSource {
  if (handle.kind === 'pglite') {
    if (!handle.pglite) throw new Error('PGlite handle without its instance');
    return { kind: 'pglite', pglite: handle.pglite };
  }
  if (!handle.url) throw new Error('PostgreSQL handle without its URL');
  return { kind: 'postgres', url: handle.url };
}

/** Dumps into `out`, recording the attempt (a claimed scheduled slot passes its row id). */
export async function runBackup(handle: DbHandle, opts: { out: string; trigger: BackupTrigger; rowId?: string }): Promise<Manifest> {
  const rowId = opts.rowId ?? (await handle.db.insert(backups).values({ trigger: opts.trigger }).returning({ id: backups.id }))[0]!.id;
  try {
    const manifest = await dumpToFile(backupSource(handle), opts.out);
    await handle.db
      .update(backups)
      .set({ finishedAt: new Date(), ok: true, file: path.basename(opts.out), bytes: manifest.bytes, sha256: manifest.sha256 })
      .where(eq(backups.id, rowId));
    return manifest;
  } catch (err) {
    await handle.db
      .update(backups)
      .set({ finishedAt: new Date(), ok: false, error: (err as Error).message.slice(0, 2000) })
      .where(eq(backups.id, rowId))
      .catch(() => {});
    throw err;
  }
}

/** Records a backup made elsewhere (the CLI receives the file from the server's control socket). */
export async function recordBackup(db: Db, trigger: BackupTrigger, file: string, manifest: Manifest): Promise<void> {
  await db.insert(backups).values({ trigger, finishedAt: new Date(), ok: true, file: path.basename(file), bytes: manifest.bytes, sha256: manifest.sha256 });
}

export interface BackupStatus {
  lastGoodAt: string | null;
  stale: boolean;
}

export async function backupStatus(db: Db, now = new Date()): Promise<BackupStatus> {
  const [last] = await db
    .select({ at: backups.finishedAt })
    .from(backups)
    .where(and(eq(backups.ok, true), isNotNull(backups.finishedAt)))
    .orderBy(desc(backups.finishedAt))
    .limit(1);
  const at = last?.at ?? null;
  return { lastGoodAt: at?.toISOString() ?? null, stale: !at || now.getTime() - at.getTime() > STALE_AFTER_MS };
}
