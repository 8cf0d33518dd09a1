import fs from 'node:fs';
import path from 'node:path';

const NAME = /^pingyi-(\d{4})(\d{2})(\d{2})-(\d{6})\.sql\.gz$/;

/**
 * Keeps the newest backup of each of the last `daily` days that have one and of each of the last
 * `monthly` months, and deletes the other scheduled backups in `dir`. Only files named like
 * backupFileName() are touched; anything else in the directory is left alone.
 */
export function rotateBackups(dir: string, keep: { daily: number; monthly: number }): string[] {
  if (!fs.existsSync(dir)) return [];
  const files = fs
    .readdirSync(dir)
    .filter((f) => NAME.test(f))
    .sort()
    .reverse(); // newest first: the name sorts by time
  const keepSet = new Set<string>();
  const days = new Set<string>();
  const months = new Set<string>();
  for (const f of files) {
    const [, y, m, d] = NAME.exec(f)!;
    const day = `${y}${m}${d}`;
    const month = `${y}${m}`;
    if (!days.has(day) && days.size < keep.daily) {
      days.add(day);
      keepSet.add(f);
    }
    if (!months.has(month) && months.size < keep.monthly) {
      months.add(month);
      keepSet.add(f);
    }
  }
  const removed = files.filter((f) => !keepSet.has(f));
  for (const f of removed) fs.rmSync(path.join(dir, f), { force: true });
  return removed;
}
