/**
 * 效能投诉 attacks through the real route handlers on a real database: a teacher named in a
 * complaint, and their colleagues, try to read it; a stranger guesses tracking codes; a script
 * floods the public form from one address, from another site, with oversize bodies or a file.
 * Each asserts the attack fails and changes nothing.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import { complaintAction } from '@/lib/complaints/handling';
import { fileComplaint, newTrackingCode, trackingHash } from '@/lib/complaints/public';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { complaints, staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { PASSWORD, scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

type Body = { error?: { code: string; message: string; fields?: Record<string, string[]> }; [k: string]: unknown };

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;
const SAME = 'http://localhost';

async function send(method: string, path: string, opts: { body?: BodyInit; headers?: Record<string, string>; params?: Record<string, string> } = {}) {
  const bare = path.split('?')[0]!;
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare))!;
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers: opts.headers, body: opts.body }), {
    params: Promise.resolve(opts.params ?? {}),
  });
  const text = await res.text();
  return { status: res.status, text, body: (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : {}) as Body };
}
const json = (body: unknown, extra: Record<string, string> = {}) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: SAME, ...extra } });
const complaintCount = async () => (await handle.db.select({ n: count() }).from(complaints))[0]!.n;

/** Logs a user in from its own address and returns the cookie header. */
async function session(username: string, address: string) {
  const res = await (await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/session' && e.method === 'post')!))(
    new Request('http://localhost/api/v1/session', { method: 'POST', ...json({ username, password: PASSWORD }, { 'x-forwarded-for': address }) }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** The id of the complaint a tracking code opens (the public answer carries only the code). */
const idOf = async (code: string) => (await handle.db.select({ id: complaints.id }).from(complaints).where(eq(complaints.trackingHash, trackingHash(code.replace(/-/g, '')))))[0]!.id;

let named: { id: string; name: string };
let complaintId: string;
let trackingCode: string;
const cookies: Record<string, string> = {};
let staffKey: string;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
  const db = handle.db;
  // staff of the school without a login yet (the demo's teacher login holds one)
  const taken = new Set((await db.select({ staffId: users.staffId }).from(users)).map((u) => u.staffId));
  const people = (await db.select().from(staff).where(eq(staff.unitId, fx.school.id))).filter((p) => !taken.has(p.id));
  const [principal, teacher, colleague] = [people[0]!, people[1]!, people[2]!];
  named = teacher;
  const [otherSchool] = await db.select().from(units).where(eq(units.name, '槐山小学'));
  const passwordHash = await hashPassword(PASSWORD);
  const add = async (username: string, role: 'staff' | 'school_admin', unitId: string, staffId: string | null) =>
    db.insert(users).values({ username, displayName: username, passwordHash, role, unitId, staffId });
  // the named teacher, a colleague of theirs, the principal (a school admin with a staff record, named
  // in a second complaint below) and the admin of another school
  await add('sec_named', 'staff', fx.school.id, teacher.id);
  await add('sec_colleague', 'staff', fx.school.id, colleague.id);
  await add('sec_principal', 'school_admin', fx.school.id, principal.id);
  await add('sec_other_admin', 'school_admin', otherSchool!.id, null);
  for (const [u, i] of [['sec_named', 1], ['sec_colleague', 2], ['sec_principal', 3], ['sec_other_admin', 4]] as const) cookies[u] = await session(u, `10.50.0.${i}`);
  staffKey = (await createApiKey(db, { type: 'cli', label: 'sec' }, { name: 'sec-staff', role: 'staff', unit: '巷道中心小学' })).key;
  const office = { role: 'office' as const, unitId: fx.home.id };
  const cli = { type: 'cli', label: 'sec' } as const;
  const filed = await fileComplaint(db, '10.51.0.1', { unitId: fx.school.id, personName: teacher.name, category: 'corporal', body: '该老师上课时用戒尺打学生手心，孩子回家手是肿的。', contact: '13700003333' });
  trackingCode = filed.trackingCode;
  complaintId = await idOf(trackingCode);
  await complaintAction(db, office, cli, complaintId, { action: 'accept', staffId: teacher.id });
  await complaintAction(db, office, cli, complaintId, { action: 'assign', unitId: fx.school.id });
});
afterAll(() => handle.close());

describe('a complaint about a staff member is not readable by them or their colleagues', () => {
  it('the named teacher and a colleague (session or API key) are refused the list, the complaint and every step', async () => {
    const callers: Record<string, string>[] = [{ cookie: cookies.sec_named! }, { cookie: cookies.sec_colleague! }, { authorization: `Bearer ${staffKey}` }];
    for (const auth of callers) {
      const list = await send('GET', '/api/v1/complaints', { headers: { ...auth } });
      expect(list.status).toBe(403);
      const one = await send('GET', `/api/v1/complaints/${complaintId}`, { headers: { ...auth }, params: { complaintId } });
      expect(one.status).toBe(403);
      const reply = await send('POST', `/api/v1/complaints/${complaintId}/actions`, { ...json({ action: 'reply', reply: '没有这回事，是家长诬告。' }, auth), params: { complaintId } });
      expect(reply.status).toBe(403);
      for (const r of [list, one, reply]) {
        expect(r.text).not.toContain('戒尺');
        expect(r.text).not.toContain(named.name);
      }
    }
    const [row] = await handle.db.select().from(complaints).where(eq(complaints.id, complaintId));
    expect([row!.status, row!.reply]).toEqual(['assigned', null]);
  });

  it("another school's admin learns nothing; the school's principal reads it without the complainant's contact", async () => {
    const list = await send('GET', '/api/v1/complaints', { headers: { cookie: cookies.sec_other_admin! } });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(complaintId);
    const one = await send('GET', `/api/v1/complaints/${complaintId}`, { headers: { cookie: cookies.sec_other_admin! }, params: { complaintId } });
    expect(one.status).toBe(404);
    const principal = await send('GET', `/api/v1/complaints/${complaintId}`, { headers: { cookie: cookies.sec_principal! }, params: { complaintId } });
    expect(principal.status).toBe(200);
    expect(principal.body.body).toContain('戒尺');
    expect(principal.text).not.toContain('13700003333');
  });

  it('a complaint naming the principal is hidden from the principal, also after it is accepted and passed to their school', async () => {
    const db = handle.db;
    const [me] = await db.select().from(users).where(eq(users.username, 'sec_principal'));
    const filed = await fileComplaint(db, '10.51.0.2', { unitId: fx.school.id, category: 'slack', body: '校长上班时间经常不在学校，家长反映问题找不到人。' });
    const row = { id: await idOf(filed.trackingCode) };
    const office = { role: 'office' as const, unitId: fx.home.id };
    await complaintAction(db, office, { type: 'cli', label: 'sec' }, row!.id, { action: 'accept', staffId: me!.staffId! });
    await complaintAction(db, office, { type: 'cli', label: 'sec' }, row!.id, { action: 'assign', unitId: fx.school.id });
    const list = await send('GET', '/api/v1/complaints', { headers: { cookie: cookies.sec_principal! } });
    expect(list.text).not.toContain(row!.id);
    const one = await send('GET', `/api/v1/complaints/${row!.id}`, { headers: { cookie: cookies.sec_principal! }, params: { complaintId: row!.id } });
    expect(one.status).toBe(404);
    const reply = await send('POST', `/api/v1/complaints/${row!.id}/actions`, { ...json({ action: 'reply', reply: '本人一直在岗，情况不属实。' }, { cookie: cookies.sec_principal! }), params: { complaintId: row!.id } });
    expect(reply.status).toBe(404);
  });
});

describe('a stranger with a wrong tracking code learns nothing', () => {
  it('wrong codes get one and the same answer, naming nothing; a malformed code is refused before any lookup', async () => {
    const a = await send('POST', '/api/v1/complaints/track', json({ code: newTrackingCode() }, { 'x-forwarded-for': '10.52.0.1' }));
    const b = await send('POST', '/api/v1/complaints/track', json({ code: newTrackingCode() }, { 'x-forwarded-for': '10.52.0.1' }));
    expect([a.status, b.status]).toEqual([404, 404]);
    expect(a.text).toBe(b.text);
    for (const leak of ['巷道', '戒尺', 'corporal', named.name, complaintId]) expect(a.text).not.toContain(leak);
    const bad = await send('POST', '/api/v1/complaints/track', json({ code: "' or 1=1 --" }, { 'x-forwarded-for': '10.52.0.1' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error!.fields!)).toEqual(['code']);
    // a wrong code cannot rate either
    const rate = await send('POST', '/api/v1/complaints/track/rating', json({ code: newTrackingCode(), rating: 'unsatisfied' }, { 'x-forwarded-for': '10.52.0.1' }));
    expect(rate.status).toBe(404);
  });

  it('ten wrong codes lock the address, even for the right code; another address still reads it', async () => {
    const from = (address: string, code: string) => send('POST', '/api/v1/complaints/track', json({ code }, { 'x-forwarded-for': address }));
    for (let i = 0; i < 10; i++) expect((await from('10.53.0.1', newTrackingCode())).status).toBe(404);
    const locked = await from('10.53.0.1', trackingCode);
    expect(locked.status).toBe(429);
    expect(locked.text).not.toContain('巷道');
    const elsewhere = await from('10.53.0.2', trackingCode.toLowerCase());
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toMatchObject({ status: 'assigned', unitName: '巷道中心小学', category: 'corporal' });
    // the status a complainant reads names neither the teacher nor the complainant
    expect(elsewhere.text).not.toContain(named.name);
    expect(elsewhere.text).not.toContain('13700003333');
  });
});

describe('the public form holds against floods and forged requests', () => {
  const good = { unitId: '', category: 'fees', body: '学校要求统一购买校服，价格比市场高一倍。' };

  it('ten complaints an hour from one address; the eleventh is refused and stores nothing; another address is not affected', async () => {
    const body = { ...good, unitId: fx.school.id };
    const before = await complaintCount();
    for (let i = 0; i < 10; i++) expect((await send('POST', '/api/v1/complaints', json(body, { 'x-forwarded-for': '10.54.0.1' }))).status).toBe(201);
    const refused = await send('POST', '/api/v1/complaints', json(body, { 'x-forwarded-for': '10.54.0.1' }));
    expect(refused.status).toBe(429);
    expect(refused.body.error!.code).toBe('rate_limited');
    expect(await complaintCount()).toBe(before + 10);
    expect((await send('POST', '/api/v1/complaints', json(body, { 'x-forwarded-for': '10.54.0.2' }))).status).toBe(201);
  });

  it('from another site, as text/plain, oversize, with a file, or about no real unit: refused, nothing stored', async () => {
    const body = { ...good, unitId: fx.school.id };
    const before = await complaintCount();
    const evil = await send('POST', '/api/v1/complaints', { body: JSON.stringify(body), headers: { 'content-type': 'application/json', origin: 'https://evil.example', 'x-forwarded-for': '10.55.0.1' } });
    expect(evil.status).toBe(403);
    const noOrigin = await send('POST', '/api/v1/complaints', { body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.55.0.1' } });
    expect(noOrigin.status).toBe(403);
    const plain = await send('POST', '/api/v1/complaints', { body: JSON.stringify(body), headers: { 'content-type': 'text/plain', origin: SAME, 'x-forwarded-for': '10.55.0.1' } });
    expect(plain.status).toBe(415);
    const long = await send('POST', '/api/v1/complaints', json({ ...body, body: '长'.repeat(2001) }, { 'x-forwarded-for': '10.55.0.1' }));
    expect([long.status, Object.keys(long.body.error!.fields!)]).toEqual([400, ['body']]);
    const huge = await send('POST', '/api/v1/complaints', json({ ...body, body: 'x'.repeat(20_000) }, { 'x-forwarded-for': '10.55.0.1' }));
    expect(huge.status).toBe(413);
    const form = new FormData();
    form.set('file', new File([new Uint8Array(1000)], 'photo.jpg', { type: 'image/jpeg' }));
    const upload = await send('POST', '/api/v1/complaints', { body: form, headers: { origin: SAME, 'x-forwarded-for': '10.55.0.1' } });
    expect(upload.status).toBe(415);
    const extra = await send('POST', '/api/v1/complaints', json({ ...body, attachment: 'data:image/png;base64,AAAA' }, { 'x-forwarded-for': '10.55.0.1' }));
    expect(extra.status).toBe(400);
    for (const unitId of [fx.home.id, '00000000-0000-4000-8000-000000000000']) {
      const wrong = await send('POST', '/api/v1/complaints', json({ ...body, unitId }, { 'x-forwarded-for': '10.55.0.1' }));
      expect([wrong.status, Object.keys(wrong.body.error!.fields!)]).toEqual([400, ['unitId']]);
    }
    expect(await complaintCount()).toBe(before);
  });
});
