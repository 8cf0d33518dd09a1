import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '@/lib/auth/secrets';
import { openDatabase } from '@/lib/db/client';
import { lockDataDir } from '@/lib/db/lock';
import { dropPgDatabase, freshPgDatabase, onPostgres } from '../helpers/db';
import { dbEnv, runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/pg';

/** every migration in the committed journal, whatever their number */
const MIGRATIONS = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'drizzle', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;

let target: { dataDir: string } | { url: string };
let pgName: string | undefined;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-cli-'));
  if (onPostgres) {
    pgName = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
    target = { url: databaseUrl(process.env.DATABASE_URL!, pgName) };
  } else {
    target = { dataDir: path.join(tmp, 'pglite') };
  }
});
afterAll(async () => {
  if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function query(sqlText: string) {
  const h = 'url' in target ? await openDatabase({ kind: 'postgres', url: target.url }) : await openDatabase({ kind: 'pglite', dataDir: target.dataDir });
  try {
    return await h.exec(sqlText);
  } finally {
    await h.close();
  }
}

describe('npx pingyi', () => {
  it('migrate, then seed an empty database, then refuse to seed again', async () => {
    const migrate = await runCli(['migrate'], dbEnv(target));
    expect(migrate.stderr).toBe('');
    // every migration in the committed journal, whatever their number
    expect(migrate.stdout).toContain(`Migrations applied: ${MIGRATIONS}/${MIGRATIONS}`);
    expect(migrate.code).toBe(0);
    const seed = await runCli(['seed'], dbEnv(target));
    expect(seed.code).toBe(0);
    expect(seed.stdout).toMatch(/Seeded 巷道学区: 3 schools, 24 classes/);
    const again = await runCli(['seed'], dbEnv(target));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has data/);
  });

  it('user create makes an argon2id login bound to a unit, and an audit entry', async () => {
    const res = await runCli(['user', 'create', '--username', 'huaishan', '--role', 'school_admin', '--unit', '槐山小学'], dbEnv(target));
    expect(res.code).toBe(0);
    const password = res.stdout.trim().split('\n').at(-1)!;
    expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
    const [user] = await query(`select u.role, u.password_hash, u.must_change_password, n.name from users u join units n on n.id = u.unit_id where username = 'huaishan'`);
    expect(user).toMatchObject({ role: 'school_admin', must_change_password: true, name: '槐山小学' });
    expect(String(user!.password_hash)).toMatch(/^\$argon2id\$/);
    const audit = await query(`select action, actor_label from audit_log where action = 'user.create'`);
    expect(audit).toHaveLength(1);
    expect(String(audit[0]!.actor_label)).toMatch(/^cli:/);
  });

  it('user reset-password prints a new password that replaces the old hash', async () => {
    const [before] = await query(`select password_hash from users where username = 'huaishan'`);
    const res = await runCli(['user', 'reset-password', '--username', 'huaishan'], dbEnv(target));
    expect(res.code).toBe(0);
    const [after] = await query(`select password_hash from users where username = 'huaishan'`);
    expect(after!.password_hash).not.toBe(before!.password_hash);
    const missing = await runCli(['user', 'reset-password', '--username', 'nobody'], dbEnv(target));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/User not found/);
  });

  it('api-key create prints the key once, as the last line, and stores only its hash', async () => {
    const res = await runCli(['api-key', 'create', '--name', 'sync', '--role', 'office'], dbEnv(target));
    expect(res.code).toBe(0);
    const key = res.stdout.trim().split('\n').at(-1)!;
    expect(key).toMatch(/^pgy_[A-Za-z0-9_-]{43}$/);
    const rows = await query(`select key_hash, role from api_keys where name = 'sync'`);
    expect(rows).toEqual([{ key_hash: sha256(key), role: 'office' }]);
  });

  it('bad commands and arguments get a clear message and a non-zero exit, and change nothing', async () => {
    const unknown = await runCli(['frobnicate'], dbEnv(target));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command: frobnicate/);
    const missing = await runCli(['user', 'create', '--username', 'x1'], dbEnv(target));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing --role/);
    const badRole = await runCli(['user', 'create', '--username', 'lisi', '--role', 'king', '--unit', '槐山小学'], dbEnv(target));
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/role: Not an allowed value; choose one of: office, school_admin, staff, supervisor/);
    const badUnit = await runCli(['user', 'create', '--username', 'lisi', '--role', 'staff', '--unit', '不存在学校'], dbEnv(target));
    expect(badUnit.code).toBe(1);
    expect(badUnit.stderr).toMatch(/Unit not found/);
    const flag = await runCli(['migrate', '--force'], dbEnv(target));
    expect(flag.code).toBe(2);
    expect(await query(`select username from users where username = 'lisi'`)).toEqual([]);
  });
});

describe('PGlite data directory', () => {
  it('a CLI command refuses a directory another process holds, and leaves it intact', async () => {
    const dir = path.join(tmp, 'held');
    expect((await runCli(['migrate'], dbEnv({ dataDir: dir }))).code).toBe(0);
    const release = lockDataDir(dir);
    try {
      const res = await runCli(['seed'], dbEnv({ dataDir: dir }));
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(new RegExp(`in use by process ${process.pid}`));
    } finally {
      release();
    }
    const h = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      expect(await h.exec(`select count(*)::int as n from units`)).toEqual([{ n: 0 }]);
      expect(await h.exec(`select count(*)::int as n from drizzle.__drizzle_migrations`)).toEqual([{ n: MIGRATIONS }]);
    } finally {
      await h.close();
    }
  });
});
