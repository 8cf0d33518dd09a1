/**
 * Issue 14, attacks 9, 10 and 12, performed through the real route handlers on a real database:
 * an initial password used on the API, strangers locking the rightful user out (wrong passwords
 * from other addresses, login CSRF and text/plain bodies from other sites' visitors, bad codes from a
 * school's shared address), and objection spam holding the 公示 lock. Each asserts the attack fails.
 */
import { randomBytes } from 'node:crypto';
import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { assessmentObjections, assessmentYears, assessments, responses, sessions, staff, throttles, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { PASSWORD, scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

type Body = { error?: { code: string; message: string }; [k: string]: unknown };

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
});
afterAll(() => handle.close());

const SAME = 'http://localhost';
const EVIL = 'https://evil.example';

/** A request to the route handler of an endpoint path, as a browser (or a script) would send it. */
async function send(method: string, path: string, opts: { body?: string; headers?: Record<string, string>; params?: Record<string, string> } = {}) {
  const bare = path.split('?')[0]!;
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare))!;
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers: opts.headers, body: opts.body }), {
    params: Promise.resolve(opts.params ?? {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as Body };
}

/** JSON from one of our own pages: what the app's forms send. */
const json = (body: unknown, extra: Record<string, string> = {}) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: SAME, ...extra } });

const login = (username: string, password: string, address: string) => send('POST', '/api/v1/session', json({ username, password }, { 'x-forwarded-for': address }));
const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie')!.split(';')[0]!;
const throttleRows = (pattern: string) => handle.db.select().from(throttles).where(like(throttles.key, pattern));

describe('attack 9: the initial password on the API', () => {
  it('a session that must change its password reaches no endpoint but me, password change and logout', async () => {
    const created = await send('POST', '/api/v1/users', json({ username: 'new_teacher', role: 'staff', unit: '巷道中心小学' }, { authorization: `Bearer ${fx.keys.office}` }));
    expect(created.status).toBe(201);
    const initial = String(created.body.password);
    const session = await login('new_teacher', initial, '10.90.0.1');
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ mustChangePassword: true });
    const cookie = cookieOf(session);

    // the attack: use the initial password (seen by whoever created the account) on the API
    const open: string[] = [];
    // (the few endpoints the rule allows are checked below: two of them would end this session)
    for (const e of ENDPOINTS.filter((x) => x.auth === 'caller' && !x.beforePasswordChange)) {
      const path = e.path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000');
      const params = Object.fromEntries([...e.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1]!, '00000000-0000-4000-8000-000000000000']));
      const res = await send(e.method.toUpperCase(), path, { params, headers: { cookie, origin: SAME, 'content-type': 'application/json' }, body: e.method === 'get' ? undefined : '{}' });
      const refused = res.status === 403 && res.body.error?.message === '请先在“我的账户”页修改初始密码，修改前不能进行其他操作。';
      if (!refused) open.push(`${e.method} ${e.path} → ${res.status}`);
    }
    expect(open).toEqual([]);
    expect((await send('GET', '/api/v1/rounds', { headers: { cookie } })).status).toBe(403);

    // what the rule allows: see who one is, and change the password; then everything else opens
    expect((await send('GET', '/api/v1/me', { headers: { cookie } })).status).toBe(200);
    const changed = await send('POST', '/api/v1/me/password', json({ currentPassword: initial, newPassword: 'a-new-secret-2026' }, { cookie }));
    expect(changed.status).toBe(204);
    expect((await send('GET', '/api/v1/rounds', { headers: { cookie } })).status).toBe(200);
  });
});

describe('attack 10: locking out the rightful user', () => {
  it('wrong passwords from an attacker’s address do not lock the owner out; the attacker is stopped', async () => {
    for (let i = 0; i < 5; i++) expect((await login('m_office', 'wrong-wrong-wrong', '10.91.0.1')).status).toBe(401);
    // the attacker's address is now refused for this account, even with the right password
    expect((await login('m_office', PASSWORD, '10.91.0.1')).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await login('m_office', 'wrong-wrong-wrong', '10.91.0.1')).status).toBe(429);
    // the owner, from their own address, logs in at once
    expect((await login('m_office', PASSWORD, '10.91.0.2')).status).toBe(200);
  });

  it('many addresses guessing one account slow its logins down but never lock its owner out', async () => {
    for (let i = 0; i < 12; i++) expect((await login('m_supervisor', 'wrong-wrong-wrong', `10.92.${i}.1`)).status).toBe(401);
    const t0 = Date.now();
    const owner = await login('m_supervisor', PASSWORD, '10.92.99.1');
    expect(owner.status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
  });

  it('login CSRF: another site’s visitors cannot log in, nor count failures against an account', async () => {
    const before = (await handle.db.select({ n: sql<number>`count(*)::int` }).from(sessions).where(eq(sessions.userId, fx.logins.school_admin.id)))[0]!.n;
    // what a page on another site can send without a CORS preflight: text/plain, its own Origin
    for (let i = 0; i < 10; i++) {
      const res = await send('POST', '/api/v1/session', {
        body: JSON.stringify({ username: 'm_school_admin', password: 'wrong-wrong-wrong' }),
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: EVIL, 'x-forwarded-for': `10.93.${i}.1` },
      });
      expect(res.status).toBe(403);
    }
    // logging a visitor into the attacker's account (login CSRF) fails too, and sets no cookie
    const planted = await send('POST', '/api/v1/session', json({ username: 'm_school_admin', password: PASSWORD }, { origin: EVIL, 'x-forwarded-for': '10.93.50.1' }));
    expect(planted.status).toBe(403);
    expect(planted.headers.get('set-cookie')).toBeNull();
    // a form post (no Origin but Sec-Fetch-Site: cross-site) is refused the same way
    expect((await send('POST', '/api/v1/session', { body: 'username=m_school_admin&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(await throttleRows('login:%10.93.%')).toEqual([]);
    expect(await throttleRows('login:user:m_school_admin')).toEqual([]);
    expect((await handle.db.select({ n: sql<number>`count(*)::int` }).from(sessions).where(eq(sessions.userId, fx.logins.school_admin.id)))[0]!.n).toBe(before);
    // same site but not JSON: refused before anything is read
    const plain = await send('POST', '/api/v1/session', { body: JSON.stringify({ username: 'm_school_admin', password: PASSWORD }), headers: { 'content-type': 'text/plain', origin: SAME } });
    expect([plain.status, plain.body.error?.code]).toEqual([415, 'unsupported_media_type']);
    expect((await login('m_school_admin', PASSWORD, '10.93.99.1')).status).toBe(200);
  });

  it('every public JSON endpoint refuses text/plain and other sites; nothing is written', async () => {
    const answer = JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [fx.school.id]: PARENT } });
    const responsesBefore = await count(responses);
    const cross = await send('POST', `/api/v1/respond/${fx.roomyToken}`, { params: { token: fx.roomyToken }, body: answer, headers: { 'content-type': 'text/plain', origin: EVIL } });
    const plain = await send('POST', `/api/v1/respond/${fx.roomyToken}`, { params: { token: fx.roomyToken }, body: answer, headers: { 'content-type': 'text/plain', origin: SAME } });
    const noOrigin = await send('POST', `/api/v1/respond/${fx.roomyToken}`, { params: { token: fx.roomyToken }, body: answer, headers: { 'content-type': 'application/json' } });
    expect([cross.status, plain.status, noOrigin.status]).toEqual([403, 415, 403]);
    expect(await count(responses)).toBe(responsesBefore);
    // the answering page's own request is accepted
    const own = await send('POST', `/api/v1/respond/${fx.roomyToken}`, { params: { token: fx.roomyToken }, ...json(JSON.parse(answer)) });
    expect(own.status).toBe(201);
    // API-key automation from another host needs no Origin
    expect((await send('POST', '/api/v1/templates/validate', { body: JSON.stringify({ definition: { pages: [] } }), headers: { 'content-type': 'application/json', authorization: `Bearer ${fx.keys.office}` } })).status).toBe(200);
  });

  it('thirty bad codes from a school’s address do not lock out the respondents behind it', async () => {
    const school = '10.94.0.1';
    const bad = () => send('GET', '/api/v1/respond/ABCDEFGHJKMN', { params: { token: 'ABCDEFGHJKMN' }, headers: { 'x-forwarded-for': school } });
    for (let i = 0; i < 30; i++) expect((await bad()).status).toBe(404);
    // guessing from that address is now refused (and slowed)
    const t0 = Date.now();
    expect((await bad()).status).toBe(429);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    // a parent at the same school with a real class link opens the form and submits
    const form = await send('GET', `/api/v1/respond/${fx.roomyToken}`, { params: { token: fx.roomyToken }, headers: { 'x-forwarded-for': school } });
    expect(form.status).toBe(200);
    const submitted = await send('POST', `/api/v1/respond/${fx.roomyToken}`, {
      params: { token: fx.roomyToken },
      ...json({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [fx.school.id]: PARENT } }, { 'x-forwarded-for': school }),
    });
    expect(submitted.status).toBe(201);
  });
});

describe('attack 12: objection spam holding the 公示 lock', () => {
  let yearId: string;
  let assessmentId: string;

  beforeAll(async () => {
    // an announced year whose window has already ended: only open objections keep it from locking
    const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
    const [year] = await handle.db
      .insert(assessmentYears)
      // last year's: the demo district's own year (this calendar year) is seeded in its 公示 window
      .values({ unitId: district!.id, year: new Date().getUTCFullYear() - 1, title: '上年度考核', status: 'announced', announcedAt: new Date(Date.now() - 9 * 86_400_000), announcementEndsAt: new Date(Date.now() + 3_600_000) })
      .returning();
    yearId = year!.id;
    const [person] = await handle.db.select().from(staff).where(eq(staff.unitId, fx.school.id)).limit(1);
    const [a] = await handle.db.insert(assessments).values({ yearId, staffId: person!.id, unitId: fx.school.id, grade: 'excellent' }).returning();
    assessmentId = a!.id;
  });

  const object = (body: unknown, address: string, headers: Record<string, string> = {}) =>
    send('POST', `/api/v1/announcements/${yearId}/objections`, { params: { yearId }, ...json(body, { 'x-forwarded-for': address, ...headers }) });
  const stored = async () => handle.db.select().from(assessmentObjections).where(eq(assessmentObjections.yearId, yearId));

  it('other sites cannot post objections, and text/plain is refused', async () => {
    const body = { name: '路人', contact: '13800000000', body: '这是从别的网站发来的异议内容。' };
    expect((await object(body, '10.95.0.1', { origin: EVIL })).status).toBe(403);
    const plain = await send('POST', `/api/v1/announcements/${yearId}/objections`, { params: { yearId }, body: JSON.stringify(body), headers: { 'content-type': 'text/plain', origin: SAME } });
    expect(plain.status).toBe(415);
    expect(await stored()).toEqual([]);
  });

  it('empty and repeated objections do not hold the lock; a real one does until answered', async () => {
    // obviously empty: punctuation, one repeated character, a few letters
    for (const body of ['。。。。。。。。', '啊啊啊啊啊啊啊啊啊', '!!!!!!??????', 'aaaaaaaaaaaa', '1 1 1 1 1 1']) {
      const res = await object({ name: '甲', contact: '13800000001', body }, '10.95.1.1');
      expect([res.status, body]).toEqual([400, body]);
    }
    const real = await object({ name: '王家长', contact: '13800000002', assessmentId, body: '丙老师本学期多次缺课，评为优秀不妥。' }, '10.95.2.1');
    expect(real.status).toBe(201);
    // the same text again, from many addresses, with spacing and punctuation changed
    for (let i = 0; i < 15; i++) {
      const res = await object({ name: `复制${i}`, contact: '13800000003', assessmentId, body: ` 丙老师本学期多次缺课 ， 评为优秀不妥！！${'　'.repeat(i % 3)}` }, `10.95.3.${i}`);
      expect(res.status).toBe(201);
    }
    const all = await stored();
    expect(all).toHaveLength(16);
    expect(all.filter((o) => o.status === 'open')).toHaveLength(1);
    // the office answers the one real objection; once the window is over the year locks
    const open = all.find((o) => o.status === 'open')!;
    const answered = await send('POST', `/api/v1/assessment-years/${yearId}/objections/${open.id}/answer`, {
      params: { yearId, objectionId: open.id },
      body: JSON.stringify({ answer: '经核实，缺课均为公假，维持原等次。' }),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fx.keys.office}` },
    });
    expect([answered.status, answered.body.openObjections]).toEqual([200, 0]);
    await handle.db.update(assessmentYears).set({ announcementEndsAt: new Date(Date.now() - 1000) }).where(eq(assessmentYears.id, yearId));
    const year = await send('GET', `/api/v1/assessment-years/${yearId}`, { params: { yearId }, headers: { authorization: `Bearer ${fx.keys.office}` } });
    expect(year.body.status).toBe('locked');
  });

  it('one address cannot file more than 20 objections an hour', async () => {
    await handle.db.update(assessmentYears).set({ status: 'announced', lockedAt: null, announcementEndsAt: new Date(Date.now() + 3_600_000) }).where(eq(assessmentYears.id, yearId));
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await object({ name: `刷${i}`, contact: '13800000004', body: `第${i}条不同的异议：请复核${'甲乙丙丁戊己庚辛壬癸'[i % 10]}老师的等次${i}` }, '10.95.4.1')).status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
  });
});

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

async function count(table: typeof responses): Promise<number> {
  return (await handle.db.select({ n: sql<number>`count(*)::int` }).from(table))[0]!.n;
}
