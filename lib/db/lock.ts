import fs from 'node:fs';
import path from 'node:path';

/** Raised when another process holds the PGlite data directory. */
export class DataDirBusyError extends Error {
  readonly code = 'DATA_DIR_BUSY';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database at ${dir} is in use by process ${pid} (probably a running "npm start"). ` +
        'PGlite allows one process per data directory: stop that process first, or run against PostgreSQL with DATABASE_URL.',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Directories this process holds: a pid comparison cannot tell, since a restarted container often gets the same pid. */
const held = new Set<string>();

function readPid(lockPath: string): number | null {
  try {
    const text = fs.readFileSync(lockPath, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/**
 * Takes an exclusive lock on a PGlite data directory with a pid file beside it. The file is
 * created with its content in one step (written aside, then hard-linked into place), so nobody
 * ever sees it empty. A lock left by a process that no longer exists is taken over.
 * Returns the function that releases it.
 */
export function lockDataDir(dir: string): () => void {
  const resolved = path.resolve(dir);
  if (held.has(resolved)) throw new DataDirBusyError(dir, process.pid);
  const lockPath = `${resolved.replace(/[\\/]+$/, '')}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const temp = `${lockPath}.${process.pid}.${Date.now()}`;
  fs.writeFileSync(temp, String(process.pid));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.linkSync(temp, lockPath);
        held.add(resolved);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          held.delete(resolved);
          if (readPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
        };
        process.once('exit', release);
        return release;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = readPid(lockPath);
        // unreadable content: someone is mid-way; treat as busy rather than guess
        if (pid === null) throw new DataDirBusyError(dir, 0);
        if (pid !== process.pid && alive(pid)) throw new DataDirBusyError(dir, pid);
        // a dead process's lock (or our own pid from a previous life): take it over, once
        const stale = `${lockPath}.stale.${process.pid}`;
        try {
          fs.renameSync(lockPath, stale);
        } catch {
          continue; // another process moved it first; the next attempt sees what is there now
        }
        if (readPid(stale) !== pid) {
          // we moved someone's fresh lock, not the stale one: put it back and give way
          try {
            fs.linkSync(stale, lockPath);
          } finally {
            fs.rmSync(stale, { force: true });
          }
          throw new DataDirBusyError(dir, readPid(lockPath) ?? 0);
        }
        fs.rmSync(stale, { force: true });
      }
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
  throw new DataDirBusyError(dir, readPid(lockPath) ?? 0);
}
