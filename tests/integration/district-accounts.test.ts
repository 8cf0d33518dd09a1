/**
 * A real district's units and accounts through the API: units of every kind beneath an office,
 * logins linked to staff records by 工号 (scope-checked like any record), and one account for every
 * staff member of a unit from the roster, shown once.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, sessions, staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { PASSWORD, scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';
import { readXlsx } from '../helpers/xlsx';

type Json = Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string[]> } };

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;
let countyKey: string;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
  countyKey = (await createApiKey(handle.db, { type: 'cli', label: 't' }, { name: 'county', role: 'office', unit: '高台县教育体育局' })).key;
});
afterAll(() => handle.close());

async function api(method: string, path: string, opts: { key?: string; cookie?: string; body?: unknown; params?: Record<string, string>; address?: string } = {}) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path))!;
  const headers: Record<string, string> = { origin: 'http://localhost', 'x-forwarded-for': opts.address ?? '10.7.0.1' };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }), {
    params: Promise.resolve(opts.params ?? {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json, headers: res.headers };
}

describe('POST /api/v1/units: an office creates the units beneath it', () => {
  it('a district office creates an office and a school; not a district, not a county', async () => {
    const office = await api('POST', '/api/v1/units', { key: fx.keys.office, body: { name: '巷道学区教研室', kind: 'office' } });
    expect(office.status).toBe(201);
    const [row] = await handle.db.select().from(units).where(eq(units.id, office.body.id as string));
    expect(row).toMatchObject({ kind: 'office', parentId: fx.home.id });

    const school = await api('POST', '/api/v1/units', { key: fx.keys.office, body: { name: '巷道第二小学', code: 'XD09' } });
    expect(school.status).toBe(201);
    const [s] = await handle.db.select().from(units).where(eq(units.id, school.body.id as string));
    expect(s).toMatchObject({ kind: 'school', parentId: fx.home.id, code: 'XD09' });

    // a district hangs under a county: the district office's own unit is not one, and the county is outside its scope
    const underDistrict = await api('POST', '/api/v1/units', { key: fx.keys.office, body: { name: '新学区', kind: 'district' } });
    expect(underDistrict.status).toBe(400);
    expect(underDistrict.body.error!.fields).toHaveProperty('parent');
    const underCounty = await api('POST', '/api/v1/units', { key: fx.keys.office, body: { name: '新学区', kind: 'district', parent: '高台县教育体育局' } });
    expect(underCounty.status).toBe(400);
    expect(underCounty.body.error!.fields!.parent).toEqual(['找不到单位：高台县教育体育局']);
    const county = await api('POST', '/api/v1/units', { key: fx.keys.office, body: { name: '新县', kind: 'county' } });
    expect(county.status).toBe(403);
    const again = await api('POST', '/api/v1/units', { key: fx.keys.office, body: { name: '巷道学区教研室', kind: 'office' } });
    expect(again.status).toBe(409);
    expect(await handle.db.select().from(units).where(eq(units.name, '新学区'))).toHaveLength(0);
  });

  it('a county office creates a district, then a school in it; a school admin creates nothing', async () => {
    const district = await api('POST', '/api/v1/units', { key: countyKey, body: { name: '宣化镇学区', kind: 'district' } });
    expect(district.status).toBe(201);
    const school = await api('POST', '/api/v1/units', { key: countyKey, body: { name: '宣化小学', parent: '宣化镇学区' } });
    expect(school.status).toBe(201);
    const [s] = await handle.db.select().from(units).where(eq(units.id, school.body.id as string));
    expect(s!.parentId).toBe(district.body.id);
    const audit = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'unit.create'), eq(auditLog.entityId, district.body.id as string)));
    expect(audit).toHaveLength(1);
    const byAdmin = await api('POST', '/api/v1/units', { key: fx.keys.school_admin, body: { name: '校内科室', kind: 'office' } });
    expect(byAdmin.status).toBe(403);
  });
});

describe('logins linked to staff records by 工号', () => {
  it('a staff login takes its staff record’s unit; one account per 工号', async () => {
    const [teacher] = await handle.db.select().from(staff).where(eq(staff.unitId, fx.school.id)).orderBy(staff.staffNo).limit(1);
    await handle.db.update(users).set({ staffId: null }).where(eq(users.staffId, teacher!.id));
    const res = await api('POST', '/api/v1/users', { key: fx.keys.office, body: { username: 'linked_teacher', role: 'staff', staffNo: teacher!.staffNo } });
    expect(res.status).toBe(201);
    const [u] = await handle.db.select().from(users).where(eq(users.username, 'linked_teacher'));
    expect(u).toMatchObject({ staffId: teacher!.id, unitId: teacher!.unitId, displayName: teacher!.name, mustChangePassword: true });

    const twice = await api('POST', '/api/v1/users', { key: fx.keys.office, body: { username: 'linked_twice', role: 'staff', staffNo: teacher!.staffNo } });
    expect(twice.status).toBe(409);
    const wrongUnit = await api('POST', '/api/v1/users', { key: fx.keys.office, body: { username: 'linked_wrong', role: 'staff', staffNo: 'XD0001', unit: '槐山小学' } });
    expect(wrongUnit.status).toBe(400);
    expect(wrongUnit.body.error!.fields).toHaveProperty('unit');

    const list = await api('GET', '/api/v1/users', { key: fx.keys.office });
    expect((list.body.users as { username: string; staffNo: string | null }[]).find((x) => x.username === 'linked_teacher')!.staffNo).toBe(teacher!.staffNo);
  });

  it('a 工号 outside the caller’s scope is answered like one that does not exist, and nothing is written', async () => {
    const foreign = await api('POST', '/api/v1/users', { key: fx.keys.office, body: { username: 'linked_foreign', role: 'staff', staffNo: fx.foreignStaff.staffNo } });
    const missing = await api('POST', '/api/v1/users', { key: fx.keys.office, body: { username: 'linked_foreign', role: 'staff', staffNo: 'NOSUCH1' } });
    expect(foreign.status).toBe(400);
    expect(missing.status).toBe(400);
    expect(foreign.body.error!.fields!.staffNo![0]!.replace(fx.foreignStaff.staffNo, '?')).toBe(missing.body.error!.fields!.staffNo![0]!.replace('NOSUCH1', '?'));
    expect(await handle.db.select().from(users).where(eq(users.username, 'linked_foreign'))).toHaveLength(0);

    const patch = await api('PATCH', `/api/v1/users/${fx.inUser.id}`, { key: fx.keys.office, params: { userId: fx.inUser.id }, body: { staffNo: fx.foreignStaff.staffNo } });
    expect(patch.status).toBe(400);
    const [still] = await handle.db.select().from(users).where(eq(users.id, fx.inUser.id));
    expect(still!.staffId).toBeNull();
  });

  it('PATCH links an existing login; the session then sees the staff record', async () => {
    const [teacher] = await handle.db
      .select({ s: staff })
      .from(staff)
      .leftJoin(users, eq(users.staffId, staff.id))
      .where(and(eq(staff.unitId, fx.school.id), isNull(users.id)))
      .limit(1);
    const res = await api('PATCH', `/api/v1/users/${fx.inUser.id}`, { key: fx.keys.office, params: { userId: fx.inUser.id }, body: { staffNo: teacher!.s.staffNo } });
    expect(res.status).toBe(200);
    const login = await api('POST', '/api/v1/session', { body: { username: 'target_in', password: PASSWORD }, address: '10.7.1.1' });
    expect(login.status).toBe(200);
    const [row] = await handle.db.select().from(users).where(eq(users.id, fx.inUser.id));
    expect(row!.staffId).toBe(teacher!.s.id);
  });
});

describe('POST /api/v1/staff/accounts: an account for every staff member', () => {
  it('a school admin creates the missing accounts of its school, shown once; re-running creates none', async () => {
    const school = (await handle.db.select().from(units).where(eq(units.name, '槐山小学')))[0]!;
    const adminKey = (await createApiKey(handle.db, { type: 'cli', label: 't' }, { name: 'hs-admin', role: 'school_admin', unit: '槐山小学' })).key;
    const roster = await handle.db.select().from(staff).where(and(eq(staff.unitId, school.id), eq(staff.active, true))).orderBy(staff.staffNo);
    // one 工号 is already someone's username: that account gets a suffix instead
    const clash = roster[1]!.staffNo;
    await handle.db.insert(users).values({ username: clash, displayName: '占用', passwordHash: 'x', role: 'supervisor', unitId: school.id });

    const res = await api('POST', '/api/v1/staff/accounts', { key: adminKey, body: {} });
    expect(res.status).toBe(200);
    const accounts = res.body.accounts as { staffNo: string; username: string; password: string; unitName: string }[];
    expect(accounts.map((a) => a.staffNo)).toEqual(roster.map((s) => s.staffNo));
    expect(accounts.find((a) => a.staffNo === clash)!.username).toBe(`${clash}-2`);
    expect(accounts.filter((a) => a.staffNo !== clash).every((a) => a.username === a.staffNo)).toBe(true);
    expect(new Set(accounts.map((a) => a.password)).size).toBe(accounts.length);
    expect(res.body.loginUrl).toBe('http://localhost/login');

    const rows = await handle.db.select().from(users).where(inArray(users.staffId, roster.map((s) => s.id)));
    expect(rows).toHaveLength(roster.length);
    for (const r of rows) {
      expect(r).toMatchObject({ role: 'staff', unitId: school.id, mustChangePassword: true });
      expect(r.passwordHash).toMatch(/^\$argon2id\$/);
      // the password itself is nowhere in the database
      expect(r.passwordHash).not.toContain(accounts.find((a) => a.username === r.username)!.password);
    }
    const sheet = (await readXlsx(new Uint8Array(Buffer.from(res.body.xlsxBase64 as string, 'base64'))))['账号']!;
    expect(sheet[0]).toEqual(['工号', '姓名', '所属单位', '用户名', '初始密码', '登录地址']);
    expect(sheet.slice(1).map((r) => [r[0], r[3], r[4]])).toEqual(accounts.map((a) => [a.staffNo, a.username, a.password]));

    // the slip works: the first login must change the password
    const first = accounts[0]!;
    const login = await api('POST', '/api/v1/session', { body: { username: first.username, password: first.password }, address: '10.7.2.1' });
    expect(login.status).toBe(200);
    expect((login.body.user as { mustChangePassword: boolean }).mustChangePassword).toBe(true);

    const again = await api('POST', '/api/v1/staff/accounts', { key: adminKey, body: {} });
    expect(again.status).toBe(200);
    expect(again.body.accounts).toEqual([]);
    expect(again.body.xlsxBase64).toBeNull();
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'user.create_for_staff'));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.summary)).not.toContain(first.password);
  });

  it('a new staff member gets only their own account on the next run; others’ schools are refused', async () => {
    const adminKey = fx.keys.school_admin; // 巷道中心小学
    const created = await api('POST', '/api/v1/staff', { key: adminKey, body: { staffNo: 'XD9001', name: '新来的老师', unit: '巷道中心小学', position: '教师' } });
    expect(created.status).toBe(201);
    const first = await api('POST', '/api/v1/staff/accounts', { key: adminKey, body: {} });
    const second = await api('POST', '/api/v1/staff/accounts', { key: adminKey, body: {} });
    expect((first.body.accounts as unknown[]).length).toBeGreaterThan(0);
    expect(second.body.accounts).toEqual([]);
    const other = await api('POST', '/api/v1/staff/accounts', { key: adminKey, body: { unit: '槐山小学' } });
    expect(other.status).toBe(400);
    const foreign = await api('POST', '/api/v1/staff/accounts', { key: fx.keys.office, body: { unit: '古城小学' } });
    expect(foreign.status).toBe(400);
    const [gc] = await handle.db.select().from(users).where(eq(users.staffId, fx.foreignStaff.id));
    expect(gc).toBeUndefined();
    expect((await api('POST', '/api/v1/staff/accounts', { key: fx.keys.staff, body: {} })).status).toBe(403);
  });

  it('deactivating a staff member disables their account and ends its sessions; moving them moves a staff login', async () => {
    const [row] = await handle.db.select({ u: users, s: staff }).from(users).innerJoin(staff, eq(staff.id, users.staffId)).where(eq(staff.staffNo, 'XD9001'));
    await handle.db.insert(sessions).values({ id: 'district-test-session', userId: row!.u.id, expiresAt: new Date(Date.now() + 3_600_000) });
    const moved = await api('PATCH', `/api/v1/staff/${row!.s.id}`, { key: fx.keys.office, params: { staffId: row!.s.id }, body: { unit: '槐山小学' } });
    expect(moved.status).toBe(200);
    const [afterMove] = await handle.db.select().from(users).where(eq(users.id, row!.u.id));
    const [huaishan] = await handle.db.select().from(units).where(eq(units.name, '槐山小学'));
    expect(afterMove!.unitId).toBe(huaishan!.id);

    await handle.db.insert(sessions).values({ id: 'district-test-session-2', userId: row!.u.id, expiresAt: new Date(Date.now() + 3_600_000) });
    const off = await api('PATCH', `/api/v1/staff/${row!.s.id}`, { key: fx.keys.office, params: { staffId: row!.s.id }, body: { active: false } });
    expect(off.status).toBe(200);
    const [after] = await handle.db.select().from(users).where(eq(users.id, row!.u.id));
    expect(after!.disabled).toBe(true);
    expect(await handle.db.select().from(sessions).where(eq(sessions.userId, row!.u.id))).toHaveLength(0);
  });
});
