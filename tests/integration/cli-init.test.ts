/**
 * A real district from an empty database with the operator CLI, as the README's "Deploy for a
 * real district" tells it: init, unit create, user create --staff-no. On PGlite, and on
 * PostgreSQL under `npm run test:pg`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@/lib/auth/secrets';
import { openDatabase } from '@/lib/db/client';
import { dropPgDatabase, freshPgDatabase, onPostgres } from '../helpers/db';
import { dbEnv, runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/pg';

let target: { dataDir: string } | { url: string };
let pgName: string | undefined;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-init-'));
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

const snapshot = () => query(`select (select count(*)::int from units) as units, (select count(*)::int from users) as users, (select count(*)::int from audit_log) as audit`);

// each command is a child process that opens the database (PGlite starts in seconds on a quiet machine, far slower on a busy one)
describe('npx pingyi init on an empty database', { timeout: 600_000 }, () => {
  it('creates the county, the district and its first office login; the password is the last line', async () => {
    const res = await runCli(['init', '--county', '临泽县教育局', '--district', '沙河学区', '--username', 'shahe', '--name', '沙河学区办公室'], dbEnv(target), 280_000);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const password = res.stdout.trim().split('\n').at(-1)!;
    expect(password).toMatch(/^[A-Za-z0-9]{14}$/);
    const tree = await query(`select d.kind, d.name, c.kind as parent_kind, c.name as parent from units d left join units c on c.id = d.parent_id order by d.kind`);
    expect(tree).toEqual([
      { kind: 'county', name: '临泽县教育局', parent_kind: null, parent: null },
      { kind: 'district', name: '沙河学区', parent_kind: 'county', parent: '临泽县教育局' },
    ]);
    const [user] = await query(`select u.role, u.display_name, u.must_change_password, u.password_hash, n.name from users u join units n on n.id = u.unit_id`);
    expect(user).toMatchObject({ role: 'office', display_name: '沙河学区办公室', must_change_password: true, name: '沙河学区' });
    expect(await verifyPassword(String(user!.password_hash), password)).toBe(true);
    const audit = await query(`select action from audit_log order by id`);
    expect(audit.map((a) => a.action)).toEqual(['unit.create', 'unit.create', 'user.create']);
  });

  it('refuses a database that has units, with a clear message, and changes nothing', async () => {
    const before = await snapshot();
    const res = await runCli(['init', '--county', '别的县', '--district', '别的学区', '--username', 'other'], dbEnv(target), 280_000);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/already has units; `pingyi init` only starts an empty database/);
    expect(await snapshot()).toEqual(before);
  });

  it('unit create adds schools and offices under the district; bad kinds and parents are refused', async () => {
    const school = await runCli(['unit', 'create', '--name', '沙河中心小学', '--kind', 'school', '--parent', '沙河学区', '--code', 'SH01'], dbEnv(target), 280_000);
    expect(school.stderr).toBe('');
    expect(school.code).toBe(0);
    expect(school.stdout).toMatch(/Created school 沙河中心小学/);
    const office = await runCli(['unit', 'create', '--name', '沙河学区办公室', '--kind', 'office', '--parent', '沙河学区'], dbEnv(target), 280_000);
    expect(office.code).toBe(0);
    const rows = await query(`select u.kind, u.code, p.name as parent from units u join units p on p.id = u.parent_id where u.kind in ('school', 'office') order by u.kind`);
    // ordered by the enum: county, district, school, office
    expect(rows).toEqual([
      { kind: 'school', code: 'SH01', parent: '沙河学区' },
      { kind: 'office', code: null, parent: '沙河学区' },
    ]);

    const before = await snapshot();
    const schoolUnderSchool = await runCli(['unit', 'create', '--name', '分校', '--kind', 'school', '--parent', '沙河中心小学'], dbEnv(target), 280_000);
    expect(schoolUnderSchool.code).toBe(1);
    expect(schoolUnderSchool.stderr).toMatch(/parent: A unit of kind school cannot be placed under this unit/);
    const badKind = await runCli(['unit', 'create', '--name', '某', '--kind', 'province'], dbEnv(target), 280_000);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(/--kind must be one of county, district, school, office/);
    const noParent = await runCli(['unit', 'create', '--name', '某学区', '--kind', 'district', '--parent', '没有这个县'], dbEnv(target), 280_000);
    expect(noParent.code).toBe(1);
    expect(noParent.stderr).toMatch(/Unit not found/);
    expect(await snapshot()).toEqual(before);
  });

  it('user create --staff-no links the login to the staff record and takes its unit', async () => {
    await query(`insert into staff (unit_id, staff_no, name, position) select id, 'SH0001', '王老师', '教师' from units where name = '沙河中心小学'`);
    const res = await runCli(['user', 'create', '--username', 'wang', '--role', 'staff', '--staff-no', 'SH0001'], dbEnv(target), 280_000);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const [row] = await query(`select u.display_name, n.name as unit, s.staff_no from users u join units n on n.id = u.unit_id join staff s on s.id = u.staff_id where u.username = 'wang'`);
    expect(row).toEqual({ display_name: '王老师', unit: '沙河中心小学', staff_no: 'SH0001' });
    const twice = await runCli(['user', 'create', '--username', 'wang2', '--role', 'staff', '--staff-no', 'SH0001'], dbEnv(target), 280_000);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already has an account/);
    const neither = await runCli(['user', 'create', '--username', 'wang3', '--role', 'staff'], dbEnv(target), 280_000);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/Missing --unit \(or --staff-no\)/);
  });
});
