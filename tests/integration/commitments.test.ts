/**
 * 公开承诺 on a real database: the state machine with its roles (a person's commitment returned,
 * edited, approved, reported and found not fulfilled; a school's fulfilled), illegal steps refused
 * with nothing changed, overdue commitments, and field errors through the API in Chinese and English.
 *
 * Overdue, looked at on 2026-07-20 (Asia/Shanghai); a commitment is overdue when it is approved,
 * its deadline has passed and no fulfilment has been reported:
 *
 * | commitment | deadline   | status   | overdue |
 * |------------|------------|----------|---------|
 * | A          | 2026-07-19 | approved | yes     |
 * | B          | 2026-07-20 | approved | no (due today) |
 * | C          | 2026-07-10 | reported | no      |
 * | D          | 2026-07-10 | pending  | no (not published) |
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import { commitmentAction, createCommitment, editCommitment, getCommitment, listCommitments } from '@/lib/commitments/commitments';
import { publicSchoolPage } from '@/lib/commitments/public';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, commitments, staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DomainError } from '@/lib/errors';
import { freshDatabase } from '../helpers/db';
import { callApi, login, STAFF_PASSWORD } from '../helpers/workspace';

let handle: DbHandle;
const cli = { type: 'cli', label: 'test' } as const;
let office: { role: 'office'; unitId: string };
let admin: { role: 'school_admin'; unitId: string };
let teacher: { role: 'staff'; unitId: string; staffId: string };
let school: string;
let teacherCookie: string;
const on = (d: string) => new Date(`${d}T10:00:00+08:00`);

async function refused(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const db = handle.db;
  const [home] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  const [s] = await db.select().from(units).where(eq(units.name, '槐山小学'));
  school = s!.id;
  office = { role: 'office', unitId: home!.id };
  admin = { role: 'school_admin', unitId: school };
  // a teacher of the school with no demo commitments of their own
  const [t] = await db.select().from(staff).where(eq(staff.unitId, school)).orderBy(asc(staff.staffNo)).limit(1);
  await db.delete(commitments).where(eq(commitments.staffId, t!.id));
  teacher = { role: 'staff', unitId: school, staffId: t!.id };
  await db.insert(users).values({ username: 'commit_teacher', displayName: t!.name, passwordHash: await hashPassword(STAFF_PASSWORD), role: 'staff', unitId: school, staffId: t!.id });
  teacherCookie = await login('commit_teacher');
});
afterAll(() => handle.close());

describe('the commitment state machine', () => {
  it('a person’s commitment: returned, edited, approved, reported and found not fulfilled; every step audited', async () => {
    const db = handle.db;
    let c = await createCommitment(db, teacher, cli, { body: '每天批改作业并当面反馈', dueOn: '2026-07-31' }, on('2026-07-01'));
    expect([c.kind, c.status, c.staffId, c.unitId, c.actions]).toEqual(['personal', 'pending', teacher.staffId, school, ['edit']]);
    expect((await getCommitment(db, office, c.id, on('2026-07-01'))).actions).toEqual(['approve', 'reject']);
    // returning it needs a reason: 400 on the field, nothing changed
    const noReason = await refused(commitmentAction(db, office, cli, c.id, { action: 'reject' }));
    expect([noReason.status, Object.keys(noReason.fields ?? {})]).toEqual([400, ['reason']]);
    expect((await getCommitment(db, office, c.id)).status).toBe('pending');
    c = await commitmentAction(db, office, cli, c.id, { action: 'reject', reason: '承诺过于笼统，请写明可检查的内容' }, on('2026-07-02'));
    expect([c.status, c.remark]).toEqual(['rejected', '承诺过于笼统，请写明可检查的内容']);
    expect((await getCommitment(db, teacher, c.id)).actions).toEqual(['edit']);
    // the author edits and resubmits: pending again, the old reason cleared
    c = await editCommitment(db, teacher, cli, c.id, { body: '每天批改全部作业，每周与每位学生面批一次' }, on('2026-07-03'));
    expect([c.status, c.remark, c.body, c.dueOn]).toEqual(['pending', null, '每天批改全部作业，每周与每位学生面批一次', '2026-07-31']);
    c = await commitmentAction(db, office, cli, c.id, { action: 'approve' }, on('2026-07-04'));
    expect([c.status, c.approvedAt]).toEqual(['approved', on('2026-07-04').toISOString()]);
    // published: no more edits
    expect((await refused(editCommitment(db, teacher, cli, c.id, { body: '改成别的承诺内容' }))).status).toBe(409);
    expect((await getCommitment(db, teacher, c.id, on('2026-07-31'))).actions).toEqual(['report']);
    c = await commitmentAction(db, teacher, cli, c.id, { action: 'report', fulfilment: '大部分时间做到了，期末两周未能面批' }, on('2026-07-31'));
    expect([c.status, c.fulfilment]).toEqual(['reported', '大部分时间做到了，期末两周未能面批']);
    // not fulfilled needs the office's remark
    const noRemark = await refused(commitmentAction(db, office, cli, c.id, { action: 'confirm', result: 'unfulfilled' }));
    expect([noRemark.status, Object.keys(noRemark.fields ?? {})]).toEqual([400, ['remark']]);
    c = await commitmentAction(db, office, cli, c.id, { action: 'confirm', result: 'unfulfilled', remark: '抽查学生 10 人，4 人未面批' }, on('2026-08-02'));
    expect([c.status, c.remark, c.actions]).toEqual(['unfulfilled', '抽查学生 10 人，4 人未面批', []]);
    const audits = await db.select({ action: auditLog.action, summary: auditLog.summary }).from(auditLog).where(and(eq(auditLog.entityType, 'commitment'), eq(auditLog.entityId, c.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['commitment.approve', 'commitment.confirm', 'commitment.create', 'commitment.edit', 'commitment.reject', 'commitment.report']);
    expect(audits.find((a) => a.action === 'commitment.confirm')!.summary).toMatchObject({ from: 'reported', to: 'unfulfilled' });
    // the public page shows it with its outcome
    const pub = await publicSchoolPage(db, school, on('2026-08-02'));
    expect(pub.commitments.find((x) => x.id === c.id)).toMatchObject({ status: 'unfulfilled', body: '每天批改全部作业，每周与每位学生面批一次', kind: 'personal' });
  });

  it('a school’s commitment by its admin, fulfilled; the teacher cannot touch it', async () => {
    const db = handle.db;
    let c = await createCommitment(db, admin, cli, { body: '校门口每天有值周教师迎送学生', dueOn: '2026-09-30' }, on('2026-07-01'));
    expect([c.kind, c.staffId, c.status]).toEqual(['school', null, 'pending']);
    // the teacher does not even see it (staff see their own only)
    expect((await refused(getCommitment(db, teacher, c.id))).status).toBe(404);
    // the school cannot approve its own
    const self = await refused(commitmentAction(db, admin, cli, c.id, { action: 'approve' }));
    expect([self.status, self.params.reason]).toEqual([403, 'commitment_office_only']);
    await commitmentAction(db, office, cli, c.id, { action: 'approve' }, on('2026-07-02'));
    c = await commitmentAction(db, admin, cli, c.id, { action: 'report', fulfilment: '全学期值周记录完整' }, on('2026-09-30'));
    c = await commitmentAction(db, office, cli, c.id, { action: 'confirm', result: 'fulfilled' }, on('2026-10-08'));
    expect([c.status, c.confirmedAt, c.remark]).toEqual(['fulfilled', on('2026-10-08').toISOString(), null]);
  });

  it('refuses steps out of order with 409 and changes nothing', async () => {
    const db = handle.db;
    const c = await createCommitment(db, teacher, cli, { body: '不体罚、不变相体罚学生', dueOn: '2026-12-31' });
    const before = await db.select().from(commitments).where(eq(commitments.id, c.id));
    for (const [scope, body] of [
      [teacher, { action: 'report', fulfilment: '做到了' }],
      [office, { action: 'confirm', result: 'fulfilled' }],
    ] as const) {
      const e = await refused(commitmentAction(db, scope, cli, c.id, body));
      expect([e.status, e.params.reason]).toEqual([409, 'commitment_step']);
    }
    await commitmentAction(db, office, cli, c.id, { action: 'approve' });
    const twice = await refused(commitmentAction(db, office, cli, c.id, { action: 'approve' }));
    expect([twice.status, twice.params.reason]).toEqual([409, 'commitment_step']);
    const after = await db.select().from(commitments).where(eq(commitments.id, c.id));
    expect({ ...after[0], status: 'pending', approvedAt: null, updatedAt: null }).toEqual({ ...before[0], updatedAt: null });
    // a supervisor reads but makes nothing
    expect((await refused(createCommitment(db, { role: 'supervisor', unitId: office.unitId }, cli, { body: '监督岗的承诺', dueOn: '2026-12-31' }))).status).toBe(403);
    // an account without a staff record has no personal commitments
    const none = await refused(createCommitment(db, { role: 'staff', unitId: school }, cli, { body: '没有工号的承诺', dueOn: '2026-12-31' }));
    expect([none.status, none.params.reason]).toEqual([403, 'no_staff_record']);
  });
});

describe('overdue commitments', () => {
  it('flags approved ones past their deadline without a report, and the office may find them unfulfilled', async () => {
    const db = handle.db;
    const [t2] = await db.select().from(staff).where(eq(staff.unitId, school)).orderBy(asc(staff.staffNo)).offset(1).limit(1);
    await db.delete(commitments).where(eq(commitments.staffId, t2!.id));
    const person = { role: 'staff' as const, unitId: school, staffId: t2!.id };
    const make = async (body: string, dueOn: string) => (await createCommitment(db, person, cli, { body, dueOn }, on('2026-07-01'))).id;
    const A = await make('承诺A：按时上下班', '2026-07-19');
    const B = await make('承诺B：家访全覆盖', '2026-07-20');
    const C = await make('承诺C：作业当天批改', '2026-07-10');
    const D = await make('承诺D：不收任何费用', '2026-07-10');
    for (const id of [A, B, C]) await commitmentAction(db, office, cli, id, { action: 'approve' }, on('2026-07-02'));
    await commitmentAction(db, person, cli, C, { action: 'report', fulfilment: '已做到' }, on('2026-07-10'));
    const now = on('2026-07-20');
    const mine = await listCommitments(db, person, {}, now);
    expect(Object.fromEntries(mine.items.map((i) => [i.body.slice(0, 3), i.overdue]))).toEqual({ 承诺A: true, 承诺B: false, 承诺C: false, 承诺D: false });
    const overdue = await listCommitments(db, office, { overdue: '1', unitId: school }, now);
    expect(overdue.items.filter((i) => [A, B, C, D].includes(i.id)).map((i) => i.id)).toEqual([A]);
    // the office may confirm A unfulfilled though never reported; B (due today) not yet
    expect((await getCommitment(db, office, A, now)).actions).toEqual(['confirm']);
    expect((await refused(commitmentAction(db, office, cli, B, { action: 'confirm', result: 'unfulfilled', remark: '未报告' }, now))).status).toBe(409);
    const a = await commitmentAction(db, office, cli, A, { action: 'confirm', result: 'unfulfilled', remark: '到期未报告履诺情况' }, now);
    expect(a.status).toBe('unfulfilled');
    const [audit] = await db.select({ summary: auditLog.summary }).from(auditLog).where(and(eq(auditLog.entityId, A), eq(auditLog.action, 'commitment.confirm')));
    expect(audit!.summary).toEqual({ from: 'approved', to: 'unfulfilled', overdue: true, unreported: true });
    // filters: status and kind
    const statuses = await listCommitments(db, office, { unitId: school, status: 'approved' }, now);
    expect(statuses.items.every((i) => i.status === 'approved')).toBe(true);
    expect(statuses.items.map((i) => i.id)).toContain(B);
    const left = await db.select({ id: commitments.id, status: commitments.status }).from(commitments).where(inArray(commitments.id, [A, B, C, D])).orderBy(asc(commitments.body));
    expect(left.map((r) => r.status)).toEqual(['unfulfilled', 'approved', 'reported', 'pending']);
  });
});

describe('field errors through the API', () => {
  it('names the fields in Chinese by default and in English with lang=en, and creates nothing', async () => {
    const count = async () => (await handle.db.select({ id: commitments.id }).from(commitments)).length;
    const n0 = await count();
    const zh = await callApi('POST', '/api/v1/commitments', { cookie: teacherCookie, body: { body: '短', dueOn: '2026-13-40' } });
    expect(zh.status).toBe(400);
    expect(zh.body.error!.message).toBe('提交的内容有误，请检查标出的字段。');
    expect(zh.body.error!.fields).toEqual({ body: ['不能少于 4。'], dueOn: ['格式不正确（date）。'] });
    const en = await callApi('POST', '/api/v1/commitments?lang=en', { cookie: teacherCookie, body: { body: 'x'.repeat(501) } });
    expect(en.status).toBe(400);
    expect(Object.keys(en.body.error!.fields!).sort()).toEqual(['body', 'dueOn']);
    expect(en.body.error!.fields!.dueOn![0]).toMatch(/required/i);
    expect(en.body.error!.fields!.body![0]).toMatch(/500/);
    expect(await count()).toBe(n0);
    // the same teacher, valid input: made as their own
    const ok = await callApi('POST', '/api/v1/commitments', { cookie: teacherCookie, body: { body: '每节课提前两分钟候课', dueOn: '2026-12-31' } });
    expect([ok.status, ok.body.staffId, ok.body.status]).toEqual([201, teacher.staffId, 'pending']);
    expect(await count()).toBe(n0 + 1);
  });

  it('says why a step is refused, in both languages', async () => {
    const c = await createCommitment(handle.db, admin, cli, { body: '食堂每周公示菜谱和账目', dueOn: '2026-12-31' });
    const zh = await callApi('POST', `/api/v1/commitments/${c.id}/actions`, { cookie: teacherCookie, body: { action: 'approve' } });
    // a teacher never sees the school's pending commitment: 404 before any 403
    expect([zh.status, zh.body.error!.message]).toEqual([404, '未找到公开承诺。']);
    const adminKey = (await createApiKey(handle.db, cli, { name: 'commit-admin', role: 'school_admin', unit: '槐山小学' })).key;
    const en = await callApi('POST', `/api/v1/commitments/${c.id}/actions?lang=en`, { key: adminKey, body: { action: 'approve' } });
    expect([en.status, en.body.error!.message]).toEqual([403, 'Only the district office approves, returns and confirms commitments.']);
  });
});
