/**
 * How `npx pingyi backup` reaches a running server on PGlite, which alone may open the data
 * directory: a Unix socket beside the data directory (`<data dir>.sock`), created with mode 0600,
 * so only the operating-system user that runs the server (and root) can connect: the same people
 * who can read the data directory itself. It has no network port and one operation: the server
 * dumps its database and streams the backup file back; the CLI writes it. On PostgreSQL the CLI
 * runs pg_dump itself and this socket is not used.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/lib/db/client';
import { backups } from '@/lib/db/schema';
import { DumpError, dumpToBuffer } from './dump';
import { manifestSchema, type Manifest } from './format';

/** Unix socket paths are limited to about 108 bytes; a longer one is not created. */
const MAX_SOCKET_PATH = 100;

export function controlSocketPath(dataDir: string): string | null {
  const p = `${dataDir.replace(/[\\/]+$/, '')}.sock`;
  return Buffer.byteLength(p) <= MAX_SOCKET_PATH ? p : null;
}

/** Starts the control socket; returns its closer. Called by the server, which holds the data directory's lock. */
export async function listenControl(handle: DbHandle, socketPath: string): Promise<() => Promise<void>> {
  // the lock on the data directory is ours, so a socket file left here is a dead server's
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((conn) => {
    let request = '';
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => {
      request += d;
      const nl = request.indexOf('\n');
      if (nl < 0) {
        if (request.length > 4096) conn.destroy();
        return;
      }
      conn.removeAllListeners('data');
      void serveRequest(handle, request.slice(0, nl), conn);
    });
    conn.on('error', () => {});
  });
  const umask = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
  } finally {
    process.umask(umask);
  }
  fs.chmodSync(socketPath, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      fs.rmSync(socketPath, { force: true });
    });
}

async function serveRequest(handle: DbHandle, line: string, conn: net.Socket) {
  let op: unknown;
  let name = 'cli';
  try {
    const req = JSON.parse(line) as { op?: unknown; file?: unknown };
    op = req.op;
    if (typeof req.file === 'string') name = req.file.slice(0, 200);
  } catch {
    op = null;
  }
  if (op !== 'backup' || !handle.pglite) {
    conn.end(`${JSON.stringify({ ok: false, error: 'unknown request' })}\n`);
    return;
  }
  const [row] = await handle.db.insert(backups).values({ trigger: 'cli' }).returning({ id: backups.id });
  try {
    const { manifest, file } = await dumpToBuffer(handle.pglite);
    conn.write(`${JSON.stringify({ ok: true, manifest, size: file.length })}\n`);
    conn.end(file);
    await handle.db.update(backups).set({ finishedAt: new Date(), ok: true, bytes: manifest.bytes, sha256: manifest.sha256, file: name }).where(eq(backups.id, row!.id));
  } catch (err) {
    conn.end(`${JSON.stringify({ ok: false, error: (err as Error).message })}\n`);
    await handle.db.update(backups).set({ finishedAt: new Date(), ok: false, error: (err as Error).message }).where(eq(backups.id, row!.id));
  }
}

/**
 * Asks the server on `socketPath` for a backup and writes it to `out` (mode 0600, atomically).
 * Returns null when no server is listening there.
 */
export async function requestBackup(socketPath: string, out: string): Promise<Manifest | null> {
  if (!fs.existsSync(socketPath)) return null;
  const conn = net.createConnection(socketPath);
  try {
    await new Promise<void>((resolve, reject) => {
      conn.once('connect', resolve);
      conn.once('error', reject);
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return null;
    throw err;
  }
  conn.write(`${JSON.stringify({ op: 'backup', file: path.basename(out) })}\n`);
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    conn.on('data', (d: Buffer) => chunks.push(d));
    conn.on('end', resolve);
    conn.on('error', reject);
  });
  const all = Buffer.concat(chunks);
  const nl = all.indexOf(0x0a);
  const reply = JSON.parse(all.subarray(0, nl).toString('utf8')) as { ok: boolean; error?: string; manifest?: unknown; size?: number };
  if (!reply.ok) throw new DumpError(`The server could not make the backup: ${reply.error}`);
  const file = all.subarray(nl + 1);
  if (file.length !== reply.size) throw new DumpError(`The backup was cut off (${file.length} of ${reply.size} bytes); nothing was written.`);
  const temp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(temp, file, { mode: 0o600 });
  fs.renameSync(temp, out);
  return manifestSchema.parse(reply.manifest);
}
