/**
 * The backup file: gzip of one header line `-- pingyi-backup {manifest JSON}` followed by the plain
 * SQL dump (pg_dump's text format, INSERT statements). The header and the body are two gzip
 * members, so the body can be compressed while it is dumped and the manifest (which holds the
 * body's checksum) written in front of it afterwards; gunzip reads them as one stream. The file is
 * still an ordinary .sql.gz: `zcat FILE | psql` restores it by hand.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { z } from 'zod';

export const HEADER_PREFIX = '-- pingyi-backup ';
export const FORMAT = 1;

export const manifestSchema = z.object({
  format: z.literal(FORMAT),
  app: z.string(),
  createdAt: z.string(),
  database: z.enum(['pglite', 'postgres']),
  serverVersion: z.string(),
  migrations: z.object({ count: z.number().int(), latest: z.string().nullable(), latestWhen: z.number().nullable() }),
  /** rows per table ("schema.table") at the moment of the dump */
  tables: z.record(z.string(), z.number().int().min(0)),
  /** SHA-256 (hex) and length of the uncompressed SQL body */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** The file is not a readable Pingyi backup, or its content does not match its manifest. */
export class BackupFileError extends Error {
  readonly code = 'BACKUP_FILE_INVALID';
}

/** Writes header + an already gzipped body file to `out` atomically (a temp file renamed into place), mode 0600. */
export async function writeBackupFile(out: string, manifest: Manifest, gzippedBody: string | Buffer): Promise<void> {
  const temp = `${out}.${process.pid}.tmp`;
  const header = zlib.gzipSync(Buffer.from(`${HEADER_PREFIX}${JSON.stringify(manifest)}\n`));
  try {
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeSync(fd, header);
      if (typeof gzippedBody === 'string') {
        fs.closeSync(fd);
        await pipeline(fs.createReadStream(gzippedBody), fs.createWriteStream(temp, { flags: 'a' }));
      } else {
        fs.writeSync(fd, gzippedBody);
        fs.fsyncSync(fd);
        fs.closeSync(fd);
      }
    } catch (err) {
      try {
        fs.closeSync(fd);
      } catch {}
      throw err;
    }
    fs.renameSync(temp, out);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Reads a backup: the manifest, then the SQL body chunk by chunk. Nothing is trusted until the
 * caller has checked the body against the manifest (see verifyBackup).
 */
export async function openBackup(file: string): Promise<{ manifest: Manifest; body: AsyncGenerator<Buffer> }> {
  if (!fs.existsSync(file)) throw new BackupFileError(`No such file: ${file}`);
  const stream = fs.createReadStream(file).pipe(zlib.createGunzip());
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let newline = -1;
  try {
    while (newline < 0) {
      const next = await iterator.next();
      if (next.done) break;
      head = Buffer.concat([head, next.value]);
      newline = head.indexOf(0x0a);
      if (newline < 0 && head.length > 1024 * 1024) break;
    }
  } catch (err) {
    stream.destroy();
    throw new BackupFileError(`${file} is not a readable backup (${(err as Error).message}).`);
  }
  const line = newline >= 0 ? head.subarray(0, newline).toString('utf8') : '';
  if (!line.startsWith(HEADER_PREFIX)) {
    stream.destroy();
    throw new BackupFileError(`${file} is not a Pingyi backup (no "${HEADER_PREFIX.trim()}" header).`);
  }
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(line.slice(HEADER_PREFIX.length)));
  } catch {
    stream.destroy();
    throw new BackupFileError(`${file} has an unreadable manifest.`);
  }
  const first = head.subarray(newline + 1);
  async function* body(): AsyncGenerator<Buffer> {
    try {
      if (first.length) yield first;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } catch (err) {
      throw new BackupFileError(`${file} is damaged (${(err as Error).message}).`);
    } finally {
      stream.destroy();
    }
  }
  return { manifest, body: body() };
}

/** Reads the whole body and checks its SHA-256 and length against the manifest; returns the manifest. */
export async function verifyBackup(file: string): Promise<Manifest> {
  const { manifest, body } = await openBackup(file);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  const digest = hash.digest('hex');
  if (digest !== manifest.sha256 || bytes !== manifest.bytes) {
    throw new BackupFileError(
      `${file} is damaged: its content does not match its checksum (SHA-256 ${digest.slice(0, 12)}…, ${bytes} bytes; the manifest says ${manifest.sha256.slice(0, 12)}…, ${manifest.bytes} bytes). Nothing was restored.`,
    );
  }
  return manifest;
}
