import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, sessions, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { PASSWORD, scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

type Body = { error: { code: string; message: string; fields: Record<string, string[]> }; user?: unknown };

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
});
afterAll(() => handle.close());

async function api(method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; params?: Record<string, string>; host?: string } = {}) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && path.startsWith(x.path.replace(/\{\w+\}.*/, '')) && (x.path.includes('{') || x.path === path.split('?')[0]))!;
  const handler = await routeHandler(e);
  const headers: Record<string, string> = { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  const res = await handler(
    new Request(`http://${opts.host ?? 'localhost'}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }),
    { params: Promise.resolve(opts.params ?? {}) },
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Body) : null };
}

async function login(username: string, password: string, address = '10.0.0.1', host?: string) {
  // as the login page's browser sends it: JSON, from this site
  return api('POST', '/api/v1/session', { body: { username, password }, headers: { 'x-forwarded-for': address, origin: `http://${host ?? 'localhost'}` }, host });
}

const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0]!;
const sessionCount = async (userId: string) => (await handle.db.select({ n: count() }).from(sessions).where(eq(sessions.userId, userId)))[0]!.n;

describe('login', () => {
  it('sets an httpOnly, SameSite session cookie; Secure outside localhost', async () => {
    const res = await login('m_staff', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body!.user).toMatchObject({ username: 'm_staff', role: 'staff', unit: { name: '巷道中心小学' } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^pingyi_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200$/);
    const remote = await api('POST', '/api/v1/session', {
      body: { username: 'm_staff', password: PASSWORD },
      headers: { 'x-forwarded-for': '10.0.0.2', 'x-forwarded-proto': 'https', origin: 'https://pingyi.example.cn' },
      host: 'pingyi.example.cn',
    });
    expect(remote.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('answers a wrong password and an unknown user alike, with 401 and no session', async () => {
    const before = await sessionCount(fx.logins.office.id);
    const wrong = await login('m_office', 'wrong-password', '10.0.1.1');
    const unknown = await login('nobody_here', 'wrong-password', '10.0.1.1');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ error: { code: 'unauthenticated', message: '用户名或密码错误。' } });
    expect(unknown.body).toEqual(wrong.body);
    expect(await sessionCount(fx.logins.office.id)).toBe(before);
  });

  it('refuses a disabled account with 403', async () => {
    await handle.db.update(users).set({ disabled: true }).where(eq(users.id, fx.inUser.id));
    const res = await login('target_in', PASSWORD, '10.0.2.1');
    expect(res.status).toBe(403);
    expect(res.body!.error.message).toBe('该账号已停用，请联系学区办公室。');
    await handle.db.update(users).set({ disabled: false }).where(eq(users.id, fx.inUser.id));
  });

  it('locks an account for the address after 5 failures, without slowing anyone else', async () => {
    for (let i = 0; i < 5; i++) expect((await login('m_supervisor', 'nope-nope-nope', '10.0.3.1')).status).toBe(401);
    const locked = await login('m_supervisor', PASSWORD, '10.0.3.1');
    expect(locked.status).toBe(429);
    expect(locked.body!.error.message).toMatch(/^尝试次数过多，请 1[45] 分钟后再试。$/);
    // the lock is on the account from that address: its owner elsewhere logs in
    expect((await login('m_supervisor', PASSWORD, '10.0.3.2')).status).toBe(200);
    // another account from the same address logs in at once
    expect((await login('m_school_admin', PASSWORD, '10.0.3.1')).status).toBe(200);
  });

  it('parallel guesses cannot slip past the limit', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, () => login('target_out', 'guess-guess-guess', '10.0.11.1')));
    const checked = results.filter((r) => r.status === 401).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === 429).length).toBe(40 - checked);
  });

  it('locks an address after 30 failures across accounts; other addresses are unaffected', async () => {
    for (let i = 0; i < 30; i++) await login(`guess_${i}`, 'x-x-x-x-x-x', '10.0.4.1');
    expect((await login('m_school_admin', PASSWORD, '10.0.4.1')).status).toBe(429);
    expect((await login('m_school_admin', PASSWORD, '10.0.4.2')).status).toBe(200);
  });
});

describe('sessions', () => {
  it('an expired or tampered cookie is refused with 401', async () => {
    const cookie = cookieOf(await login('m_staff', PASSWORD, '10.0.5.1'));
    const tampered = cookie.slice(0, -2) + (cookie.endsWith('A') ? 'BB' : 'AA');
    const t = await api('GET', '/api/v1/me', { headers: { cookie: tampered } });
    expect(t.status).toBe(401);
    expect(t.body!.error.message).toBe('登录已过期，请重新登录。');
    await handle.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.userId, fx.logins.staff.id));
    expect((await api('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(401);
  });

  it('cookie-authenticated mutations must come from this site (CSRF)', async () => {
    const cookie = cookieOf(await login('m_office', PASSWORD, '10.0.6.1'));
    const body = { displayName: '跨站测试' };
    const params = { userId: fx.inUser.id };
    const none = await api('PATCH', `/api/v1/users/${fx.inUser.id}`, { body, params, headers: { cookie } });
    expect(none.status).toBe(403);
    expect(none.body!.error.message).toBe('请求来源不一致，已拒绝（防跨站请求伪造）。');
    const evil = await api('PATCH', `/api/v1/users/${fx.inUser.id}`, { body, params, headers: { cookie, origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    const [unchanged] = await handle.db.select().from(users).where(eq(users.id, fx.inUser.id));
    expect(unchanged!.displayName).toBe('校内教师');
    const same = await api('PATCH', `/api/v1/users/${fx.inUser.id}`, { body, params, headers: { cookie, origin: 'http://localhost' } });
    expect(same.status).toBe(200);
    // reads need no origin
    expect((await api('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(200);
  });

  it('changing the password ends the other sessions, keeps this one, and the new password works', async () => {
    const a = cookieOf(await login('m_school_admin', PASSWORD, '10.0.7.1'));
    const b = cookieOf(await login('m_school_admin', PASSWORD, '10.0.7.1'));
    const wrong = await api('POST', '/api/v1/me/password', {
      body: { currentPassword: 'wrong-wrong', newPassword: 'new-password-2026' },
      headers: { cookie: a, origin: 'http://localhost' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body!.error.fields).toEqual({ currentPassword: ['当前密码不正确。'] });
    const ok = await api('POST', '/api/v1/me/password', {
      body: { currentPassword: PASSWORD, newPassword: 'new-password-2026' },
      headers: { cookie: a, origin: 'http://localhost' },
    });
    expect(ok.status).toBe(204);
    expect((await api('GET', '/api/v1/me', { headers: { cookie: a } })).status).toBe(200);
    expect((await api('GET', '/api/v1/me', { headers: { cookie: b } })).status).toBe(401);
    expect((await login('m_school_admin', 'new-password-2026', '10.0.7.2')).status).toBe(200);
    expect((await login('m_school_admin', PASSWORD, '10.0.7.3')).status).toBe(401);
  });

  it('log out everywhere ends every session of the user', async () => {
    const a = cookieOf(await login('target_in', PASSWORD, '10.0.8.1'));
    cookieOf(await login('target_in', PASSWORD, '10.0.8.1'));
    expect(await sessionCount(fx.inUser.id)).toBeGreaterThanOrEqual(2);
    const res = await api('POST', '/api/v1/session/logout-all', { headers: { cookie: a, origin: 'http://localhost' } });
    expect(res.status).toBe(200);
    expect(await sessionCount(fx.inUser.id)).toBe(0);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});

describe('API keys and roles', () => {
  it('missing, malformed and revoked keys get 401', async () => {
    for (const authorization of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer pgy_' + 'x'.repeat(43), 'Bearer  ']) {
      const res = await api('GET', '/api/v1/me', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
    }
  });

  it('nobody can raise their own role, and the attempt changes nothing', async () => {
    const staffKey = await api('PATCH', `/api/v1/users/${fx.logins.staff.id}`, {
      body: { role: 'office' },
      params: { userId: fx.logins.staff.id },
      headers: { authorization: `Bearer ${fx.keys.staff}` },
    });
    expect(staffKey.status).toBe(403);
    const officeCookie = cookieOf(await login('m_office', PASSWORD, '10.0.9.1'));
    const self = await api('PATCH', `/api/v1/users/${fx.logins.office.id}`, {
      body: { unit: '高台县教育体育局' },
      params: { userId: fx.logins.office.id },
      headers: { cookie: officeCookie, origin: 'http://localhost' },
    });
    expect(self.status).toBe(403);
    expect(self.body!.error.message).toBe('不能修改自己账号的角色、单位或停用自己。');
    const [office] = await handle.db.select().from(users).where(eq(users.id, fx.logins.office.id));
    expect(office!.unitId).toBe(fx.home.id);
    const [staff] = await handle.db.select().from(users).where(eq(users.id, fx.logins.staff.id));
    expect(staff!.role).toBe('staff');
  });

  it('an admin password reset ends the user’s sessions', async () => {
    const cookie = cookieOf(await login('target_in', PASSWORD, '10.0.12.2'));
    const res = await api('POST', `/api/v1/users/${fx.inUser.id}/reset-password`, {
      params: { userId: fx.inUser.id },
      headers: { authorization: `Bearer ${fx.keys.office}` },
    });
    expect(res.status).toBe(200);
    expect((await api('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(401);
    // put the known password back for the tests that follow
    const [staffRow] = await handle.db.select().from(users).where(eq(users.id, fx.logins.staff.id));
    await handle.db.update(users).set({ passwordHash: staffRow!.passwordHash, mustChangePassword: false }).where(eq(users.id, fx.inUser.id));
  });

  it('disabling a user ends their sessions and is audited with before and after', async () => {
    const victim = cookieOf(await login('target_in', PASSWORD, '10.0.10.1'));
    const res = await api('PATCH', `/api/v1/users/${fx.inUser.id}`, {
      body: { disabled: true },
      params: { userId: fx.inUser.id },
      headers: { authorization: `Bearer ${fx.keys.office}` },
    });
    expect(res.status).toBe(200);
    expect((await api('GET', '/api/v1/me', { headers: { cookie: victim } })).status).toBe(401);
    const entries = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, fx.inUser.id));
    const update = entries.find((e) => e.action === 'user.update' && (e.summary as { after?: { disabled?: boolean } }).after?.disabled === true);
    expect(update!.summary).toEqual({ before: { disabled: false }, after: { disabled: true } });
    expect(update!.actorApiKeyId).not.toBeNull();
  });

  it('bad input to user administration names the fields and changes nothing', async () => {
    const before = await handle.db.select({ n: count() }).from(users);
    const res = await api('POST', '/api/v1/users', {
      body: { username: 'a b', role: 'emperor', unit: '' },
      headers: { authorization: `Bearer ${fx.keys.office}`, 'accept-language': 'en' },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body!.error.fields).sort()).toEqual(['role', 'unit', 'username']);
    expect(res.body!.error.fields.username).toEqual(['Usernames may contain letters, digits, underscore, dot and hyphen only.']);
    const malformed = await api('POST', '/api/v1/users', { body: undefined, headers: { authorization: `Bearer ${fx.keys.office}`, 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body!.error.code).toBe('malformed_json');
    expect(await handle.db.select({ n: count() }).from(users)).toEqual(before);
  });
});
