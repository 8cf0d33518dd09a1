/**
 * Attacks on 公开承诺 through the real route handlers, with sessions of two teachers of
 * 巷道中心小学 and API keys: a teacher can neither read, edit, report nor approve a colleague's
 * commitment (404, as for one that does not exist) nor approve their own (403); the list never
 * carries a colleague's pending one; the school admin of another school and the office of another
 * district cannot act (404); the public page and its JSON never carry pending or returned
 * commitments, the office's remarks, fulfilment texts, or the ledger's internal notes, sources,
 * effects and responsible persons. Nothing changes on any refused attempt.
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import { commitmentAction, createCommitment } from '@/lib/commitments/commitments';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { commitments, ledgerItems, ledgerNotes, staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { scopeFixtures } from '../helpers/fixtures';
import { callApi, login, STAFF_PASSWORD } from '../helpers/workspace';

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;
const cli = { type: 'cli', label: 'sec' } as const;
let cookieA: string;
let cookieB: string;
let mineA: string;
let pendingB: string;
let approvedB: string;
let otherAdminKey: string;
let foreignOfficeKey: string;

const snapshot = async () => handle.db.select().from(commitments).orderBy(asc(commitments.id));

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
  const db = handle.db;
  const [a, b] = await db.select().from(staff).where(eq(staff.unitId, fx.school.id)).orderBy(asc(staff.staffNo)).limit(2);
  // the two start without the demo's commitments, so that each list below is exactly theirs
  await db.delete(commitments).where(inArray(commitments.staffId, [a!.id, b!.id]));
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  await db.insert(users).values([
    { username: 'sec_teacher_a', displayName: a!.name, passwordHash, role: 'staff', unitId: fx.school.id, staffId: a!.id },
    { username: 'sec_teacher_b', displayName: b!.name, passwordHash, role: 'staff', unitId: fx.school.id, staffId: b!.id },
  ]);
  cookieA = await login('sec_teacher_a');
  cookieB = await login('sec_teacher_b');
  const teacherA = { role: 'staff' as const, unitId: fx.school.id, staffId: a!.id };
  const teacherB = { role: 'staff' as const, unitId: fx.school.id, staffId: b!.id };
  const office = { role: 'office' as const, unitId: fx.home.id };
  mineA = (await createCommitment(db, teacherA, cli, { body: '甲老师：每天批改作业', dueOn: '2026-12-31' })).id;
  pendingB = (await createCommitment(db, teacherB, cli, { body: '乙老师的待审核承诺：绝密草稿', dueOn: '2026-12-31' })).id;
  approvedB = (await createCommitment(db, teacherB, cli, { body: '乙老师：每周家访两户', dueOn: '2026-12-31' })).id;
  await commitmentAction(db, office, cli, approvedB, { action: 'approve' });
  otherAdminKey = (await createApiKey(db, cli, { name: 'sec-other-admin', role: 'school_admin', unit: '槐山小学' })).key;
  foreignOfficeKey = (await createApiKey(db, cli, { name: 'sec-foreign-office', role: 'office', unit: '古城镇学区' })).key;
});
afterAll(() => handle.close());

describe('commitment attacks', () => {
  it('a teacher can neither read, edit, report nor approve a colleague’s commitment, nor approve their own', async () => {
    const before = await snapshot();
    for (const id of [pendingB, approvedB]) {
      expect((await callApi('GET', `/api/v1/commitments/${id}`, { cookie: cookieA })).status).toBe(404);
      expect((await callApi('PATCH', `/api/v1/commitments/${id}`, { cookie: cookieA, body: { body: '被同事篡改的承诺' } })).status).toBe(404);
      for (const body of [{ action: 'approve' }, { action: 'reject', reason: '同事退回' }, { action: 'report', fulfilment: '替他报告' }, { action: 'confirm', result: 'unfulfilled', remark: '同事认定' }]) {
        expect((await callApi('POST', `/api/v1/commitments/${id}/actions`, { cookie: cookieA, body })).status).toBe(404);
      }
    }
    // their own: they may see it but not approve it
    const own = await callApi('POST', `/api/v1/commitments/${mineA}/actions`, { cookie: cookieA, body: { action: 'approve' } });
    expect([own.status, own.body.error!.code]).toEqual([403, 'forbidden']);
    expect(own.body.error!.message).toContain('学区办公室');
    // a staff API key (no staff record) cannot approve either
    expect((await callApi('POST', `/api/v1/commitments/${mineA}/actions`, { key: fx.keys.staff, body: { action: 'approve' } })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
  });

  it('a teacher’s list and reads carry only their own, never a colleague’s pending commitment', async () => {
    for (const q of ['', '?unitId=' + fx.school.id, '?status=pending', '?kind=personal', '?q=' + encodeURIComponent('绝密')]) {
      const list = await callApi('GET', `/api/v1/commitments${q}`, { cookie: cookieA });
      expect(list.status).toBe(200);
      const text = JSON.stringify(list.body);
      expect(text).not.toContain(pendingB);
      expect(text).not.toContain('绝密草稿');
      expect(text).not.toContain(approvedB);
      // nor the demo's pending or returned ones of other teachers
      expect(text).not.toContain('每天提前十分钟到岗');
      expect(text).not.toContain('努力工作');
    }
    const all = await callApi('GET', '/api/v1/commitments', { cookie: cookieA });
    expect((all.body.items as { id: string }[]).map((i) => i.id)).toEqual([mineA]);
    // the colleague sees theirs
    const b = await callApi('GET', '/api/v1/commitments', { cookie: cookieB });
    expect((b.body.items as { id: string }[]).map((i) => i.id).sort()).toEqual([approvedB, pendingB].sort());
  });

  it('the admin of another school and the office of another district cannot act', async () => {
    const before = await snapshot();
    for (const key of [otherAdminKey, foreignOfficeKey]) {
      for (const id of [pendingB, approvedB]) {
        expect((await callApi('GET', `/api/v1/commitments/${id}`, { key })).status).toBe(404);
        expect((await callApi('PATCH', `/api/v1/commitments/${id}`, { key, body: { body: '外校篡改的承诺' } })).status).toBe(404);
        expect((await callApi('POST', `/api/v1/commitments/${id}/actions`, { key, body: { action: 'approve' } })).status).toBe(404);
        expect((await callApi('POST', `/api/v1/commitments/${id}/actions`, { key, body: { action: 'reject', reason: '外校退回' } })).status).toBe(404);
      }
      const list = await callApi('GET', `/api/v1/commitments?unitId=${fx.school.id}`, { key });
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(fx.school.id);
    }
    // the school's own admin reads their teachers' but cannot approve, edit or report them
    for (const body of [{ action: 'approve' }, { action: 'report', fulfilment: '校长代报' }]) {
      expect((await callApi('POST', `/api/v1/commitments/${approvedB}/actions`, { key: fx.keys.school_admin, body })).status).toBe(403);
    }
    expect((await callApi('PATCH', `/api/v1/commitments/${pendingB}`, { key: fx.keys.school_admin, body: { body: '校长改写的承诺' } })).status).toBe(403);
    // a supervisor reads, never acts
    expect((await callApi('POST', `/api/v1/commitments/${pendingB}/actions`, { key: fx.keys.supervisor, body: { action: 'approve' } })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('the public page shows only published commitments and no internal ledger text', async () => {
    const db = handle.db;
    const hidden = await db.select({ body: commitments.body, remark: commitments.remark, fulfilment: commitments.fulfilment, status: commitments.status }).from(commitments).where(eq(commitments.unitId, fx.school.id));
    const secret = [
      ...hidden.filter((c) => c.status === 'pending' || c.status === 'rejected').map((c) => c.body),
      ...hidden.flatMap((c) => [c.remark, c.fulfilment]).filter((x): x is string => Boolean(x)),
    ];
    const published = hidden.filter((c) => !['pending', 'rejected'].includes(c.status)).map((c) => c.body);
    // the demo has at least one of each (lib/seed/commitments.ts) plus this test's
    expect(secret.length).toBeGreaterThanOrEqual(5);
    expect(published).toContain('乙老师：每周家访两户');
    const items = await db.select().from(ledgerItems).where(eq(ledgerItems.unitId, fx.school.id));
    expect(items.length).toBeGreaterThan(0);
    const notes = await db.select({ body: ledgerNotes.body }).from(ledgerNotes).where(inArray(ledgerNotes.itemId, items.map((i) => i.id)));
    const responsible = await db.select({ name: staff.name }).from(staff).where(inArray(staff.id, items.map((i) => i.responsibleStaffId).filter((x): x is string => Boolean(x))));
    const internal = [...notes.map((n) => n.body), ...items.map((i) => i.sourceDetail), ...items.map((i) => i.effect)].filter((x): x is string => Boolean(x));
    expect(internal.length).toBeGreaterThan(0);
    const res = await callApi('GET', `/api/v1/gongkai/${fx.school.id}`);
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    for (const s of [...secret, ...internal]) expect(text).not.toContain(s);
    for (const s of published) expect(text).toContain(s);
    for (const i of items) expect(text).toContain(i.problem);
    // a responsible person is not named next to the ledger (unless they also made a published commitment)
    const names = new Set((res.body.commitments as { name: string | null }[]).map((c) => c.name));
    for (const r of responsible) if (!names.has(r.name)) expect(text).not.toContain(r.name);
    expect(Object.keys((res.body.ledger as object[])[0]!).sort()).toEqual(['dueOn', 'measure', 'overdue', 'problem', 'seq', 'status', 'target']);
    // only schools: a district, an unknown id and garbage are 404
    const [district] = await db.select().from(units).where(eq(units.name, '巷道学区'));
    for (const id of [district!.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', "x'%20or%201=1--"]) {
      expect((await callApi('GET', `/api/v1/gongkai/${id}`)).status).toBe(404);
    }
  });
});
