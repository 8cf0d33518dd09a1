import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_HEADER, clientAddress } from '@/lib/auth/caller';
import { DataDirBusyError, lockDataDir } from '@/lib/db/lock';

const dir = path.join(os.tmpdir(), `pingyi-lock-${process.pid}`);
const lockFile = `${dir}.lock`;
afterEach(() => fs.rmSync(lockFile, { force: true }));

describe('PGlite data-directory lock', () => {
  it('refuses a second holder in the same process and frees the directory on release', () => {
    const release = lockDataDir(dir);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
    lockDataDir(dir)();
  });

  it('takes over a lock left by a dead process, or by this pid in an earlier life (a restarted container)', () => {
    fs.writeFileSync(lockFile, '999999999');
    lockDataDir(dir)();
    fs.writeFileSync(lockFile, String(process.pid));
    const release = lockDataDir(dir);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('treats a lock file it cannot read as busy rather than guessing', () => {
    fs.writeFileSync(lockFile, '');
    expect(() => lockDataDir(dir)).toThrow(DataDirBusyError);
  });

  it('refuses a directory held by a live process', () => {
    fs.writeFileSync(lockFile, String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${process.ppid}`));
  });
});

describe('client address for throttling', () => {
  const req = (headers: Record<string, string>) => new Headers(headers);
  it('takes what the server wrote from the socket over anything the client sent', () => {
    expect(clientAddress(req({ [CLIENT_HEADER]: '203.0.113.9', 'x-forwarded-for': '1.2.3.4' }))).toBe('203.0.113.9');
  });
  it('otherwise takes the right-most X-Forwarded-For hop (the one the nearest proxy appended)', () => {
    expect(clientAddress(req({ 'x-forwarded-for': '6.6.6.6, 10.0.0.7' }))).toBe('10.0.0.7');
    expect(clientAddress(req({}))).toBe('unknown');
  });
});
