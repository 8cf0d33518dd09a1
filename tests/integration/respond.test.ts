import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '@/lib/auth/scope';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { answerFacts, classes, links, responses, roundForms, teachingAssignments, templates, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DomainError } from '@/lib/errors';
import { resolveToken, storedIdempotencyKey, submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction, updateRound } from '@/lib/rounds/mutations';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let office: Scope;
let roundId: string;
let parentForm: string;
let studentForm: string;
let schoolId: string;
let classId: string;
const actor = { type: 'cli', label: 'test' } as const;
let keyN = 0;
const key = () => `test-key-${String(++keyN).padStart(10, '0')}`;

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};
const STUDENT = { items: { punctual: 5, clear: 4, respect: 5, homework: 3, help: 4 }, no_punishment: 'no', overall: 5 };

async function errorOf(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

async function tokensOf(kind: 'class' | 'code', form: string, forClass = classId) {
  return (await listLinks(handle.db, office, { type: 'system', label: 'test' }, roundId, { kind, via: 'api' })).filter((l) => l.formId === form && l.classId === forClass);
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await handle.db.select().from(units).where(eq(units.name, '巷道中心小学'));
  schoolId = school!.id;
  const [cls] = await handle.db.select().from(classes).where(and(eq(classes.schoolId, schoolId), eq(classes.name, '五年级(1)班')));
  classId = cls!.id;
  office = { role: 'office', unitId: district!.id };
  const tpl = async (k: string) => (await handle.db.select().from(templates).where(eq(templates.builtInKey, k)))[0]!.id;
  const now = Date.now();
  const round = await createRound(handle.db, office, actor, {
    title: '测试测评',
    schoolYear: (await handle.db.select().from(teachingAssignments).limit(1))[0]!.schoolYear,
    term: 1,
    units: ['巷道中心小学'],
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    raterGroups: [
      { kind: 'parent', name: '家长', weight: 40 },
      { kind: 'student', name: '学生', weight: 60 },
    ],
    forms: [
      { templateId: await tpl('parent-satisfaction'), raterGroup: 0, subjectMode: 'school' },
      { templateId: await tpl('student-evaluation'), raterGroup: 1, subjectMode: 'class_teachers' },
    ],
  });
  roundId = round.id;
  const forms = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, roundId));
  parentForm = forms.find((f) => f.subjectMode === 'school')!.id;
  studentForm = forms.find((f) => f.subjectMode === 'class_teachers')!.id;
  await roundAction(handle.db, office, actor, roundId, { action: 'open' });
  await issueLinks(handle.db, office, actor, roundId, { kind: 'class', formId: parentForm });
  await issueLinks(handle.db, office, actor, roundId, { kind: 'class', formId: studentForm });
  await issueLinks(handle.db, office, actor, roundId, { kind: 'code', formId: studentForm, classId, count: 3 });
});
afterAll(() => handle.close());

describe('answering through a class link', () => {
  it('a parent rates the school; the response references no link and the link only counts', async () => {
    const [link] = await tokensOf('class', parentForm);
    const form = await resolveToken(handle.db, link!.token, '10.1.0.1');
    expect(form.subjects).toEqual([{ key: schoolId, type: 'unit', name: '巷道中心小学' }]);
    expect(form.className).toBe('五年级(1)班');
    const res = await submitResponse(handle.db, link!.token, '10.1.0.1', { idempotencyKey: key(), answers: { [schoolId]: PARENT } });
    expect(res).toMatchObject({ duplicate: false, receipt: expect.stringMatching(/^[0-9A-F]{10}$/) });
    const rows = await handle.db.select().from(responses).where(eq(responses.formId, parentForm));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(link!.id);
    expect(rows[0]!.classId).toBe(classId);
    const [after] = await handle.db.select().from(links).where(eq(links.id, link!.id));
    expect(after!.usedCount).toBe(1);
    const [facts] = await handle.db.select({ n: count() }).from(answerFacts).where(eq(answerFacts.responseId, rows[0]!.id));
    expect(facts!.n).toBe(8 + 3); // overall + 7 matrix rows + 3 yes/no items
  });

  it('a student rates exactly the teachers of their class, derived on the server', async () => {
    const [link] = await tokensOf('class', studentForm);
    const { subjects } = await resolveToken(handle.db, link!.token, '10.1.0.2');
    const teachers = await handle.db.selectDistinct({ id: teachingAssignments.staffId }).from(teachingAssignments).where(eq(teachingAssignments.classId, classId));
    expect(subjects.map((s) => s.key).sort()).toEqual(teachers.map((t) => t.id).sort());
    expect(subjects.length).toBeGreaterThanOrEqual(3);
    const all = Object.fromEntries(subjects.map((s) => [s.key, STUDENT]));
    const [stranger] = await handle.db.select().from(teachingAssignments).where(eq(teachingAssignments.subject, '物理')).limit(1);
    const wrong = await errorOf(submitResponse(handle.db, link!.token, '10.1.0.2', { idempotencyKey: key(), answers: { ...all, [stranger!.staffId]: STUDENT } }));
    expect(wrong.fields).toEqual({ [`answers.${stranger!.staffId}`]: [{ key: 'unknown_subject' }] });
    const missing = Object.fromEntries(Object.entries(all).filter(([k]) => k !== subjects[0]!.key));
    const partial = await errorOf(submitResponse(handle.db, link!.token, '10.1.0.2', { idempotencyKey: key(), answers: missing }));
    expect(Object.keys(partial.fields!)).toEqual([`answers.${subjects[0]!.key}`]);
    const ok = await submitResponse(handle.db, link!.token, '10.1.0.2', { idempotencyKey: key(), answers: all });
    expect(ok.duplicate).toBe(false);
    const facts = await handle.db.selectDistinct({ s: answerFacts.subjectStaffId }).from(answerFacts).where(eq(answerFacts.formId, studentForm));
    expect(facts.map((f) => f.s).sort()).toEqual(subjects.map((s) => s.key).sort());
  });

  it('checks every answer and writes nothing on a bad one', async () => {
    const [link] = await tokensOf('class', parentForm);
    const before = (await handle.db.select().from(links).where(eq(links.id, link!.id)))[0]!.usedCount;
    const bad = await errorOf(
      submitResponse(handle.db, link!.token, '10.1.0.3', { idempotencyKey: key(), answers: { [schoolId]: { ...PARENT, overall: 'excellent', hacker: 1 } } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.fields).toEqual({
      [`answers.${schoolId}.hacker`]: [{ key: 'answer_unknown_question' }],
      [`answers.${schoolId}.overall`]: [{ key: 'answer_not_choice' }],
    });
    expect((await handle.db.select().from(links).where(eq(links.id, link!.id)))[0]!.usedCount).toBe(before);
    const malformed = await errorOf(submitResponse(handle.db, link!.token, '10.1.0.3', { idempotencyKey: 'short', answers: [] as never }));
    expect(Object.keys(malformed.fields!).sort()).toEqual(['answers', 'idempotencyKey']);
  });
});

describe('one-time codes and idempotency', () => {
  it('a retry with the same key is accepted once with the same receipt; a code answers only once', async () => {
    const [code] = await tokensOf('code', studentForm);
    const { subjects } = await resolveToken(handle.db, code!.token, '10.2.0.1');
    const answers = Object.fromEntries(subjects.map((s) => [s.key, STUDENT]));
    const k = key();
    const first = await submitResponse(handle.db, code!.token, '10.2.0.1', { idempotencyKey: k, answers });
    const retry = await submitResponse(handle.db, code!.token, '10.2.0.1', { idempotencyKey: k, answers });
    expect(retry).toEqual({ receipt: first.receipt, duplicate: true });
    const other = await errorOf(submitResponse(handle.db, code!.token, '10.2.0.1', { idempotencyKey: key(), answers }));
    expect([other.status, other.params.reason]).toEqual([409, 'code_used']);
    const again = await errorOf(resolveToken(handle.db, code!.token, '10.2.0.1'));
    expect(again.params.reason).toBe('code_used');
  });

  it('200 parallel submissions with one code: exactly one accepted', async () => {
    const [, code] = await tokensOf('code', studentForm);
    const { subjects } = await resolveToken(handle.db, code!.token, '10.2.0.2');
    const answers = Object.fromEntries(subjects.map((s) => [s.key, STUDENT]));
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => submitResponse(handle.db, code!.token, '10.2.0.2', { idempotencyKey: key(), answers })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as DomainError).params.reason);
    expect(new Set(reasons)).toEqual(new Set(['code_used']));
    expect((await handle.db.select().from(links).where(eq(links.id, code!.id)))[0]!.usedCount).toBe(1);
  });

  it('the same idempotency key sent 50 times at once makes one row', async () => {
    const [link] = await tokensOf('class', parentForm);
    const k = key();
    const results = await Promise.all(Array.from({ length: 50 }, () => submitResponse(handle.db, link!.token, '10.2.0.3', { idempotencyKey: k, answers: { [schoolId]: PARENT } })));
    expect(new Set(results.map((r) => r.receipt)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    // the database keeps a hash of the key, not the key (issue 14, attack 6)
    expect(await handle.db.select().from(responses).where(eq(responses.idempotencyKey, storedIdempotencyKey(k)))).toHaveLength(1);
  });

  it('1,000 parallel submissions on a class link with capacity 500: exactly 500 rows and 500 "full" answers', async () => {
    const [link] = await tokensOf('class', parentForm);
    await handle.db.update(links).set({ capacity: 500, usedCount: 0 }).where(eq(links.id, link!.id));
    const before = (await handle.db.select({ n: count() }).from(responses).where(eq(responses.formId, parentForm)))[0]!.n;
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => submitResponse(handle.db, link!.token, '10.2.0.4', { idempotencyKey: key(), answers: { [schoolId]: PARENT } })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const full = results.filter((r) => r.status === 'rejected' && (r.reason as DomainError).params.reason === 'class_full').length;
    expect([ok, full]).toEqual([500, 500]);
    const after = (await handle.db.select({ n: count() }).from(responses).where(eq(responses.formId, parentForm)))[0]!.n;
    expect(after - before).toBe(500);
  }, 120_000);
});

describe('bad input over HTTP', () => {
  it('malformed JSON, an oversize body and wrong types get a clear 4xx in Chinese and write nothing', async () => {
    setAppDatabase(handle);
    // a class the earlier tests have not filled
    const link = (await listLinks(handle.db, office, { type: 'system', label: 'test' }, roundId, { kind: 'class', via: 'api' })).find((l) => l.formId === parentForm && l.classId !== classId);
    const post = await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/respond/{token}' && e.method === 'post')!);
    const send = async (body: string) => {
      const res = await post(
        new Request(`http://localhost/api/v1/respond/${link!.token}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost' }, body }),
        { params: Promise.resolve({ token: link!.token }) },
      );
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; fields?: Record<string, string[]> } } };
    };
    const before = (await handle.db.select({ n: count() }).from(responses))[0]!.n;
    const malformed = await send('{"idempotencyKey": ');
    expect([malformed.status, malformed.body.error.message]).toEqual([400, '请求体不是有效的 JSON。']);
    const big = await send(JSON.stringify({ idempotencyKey: key(), answers: { [schoolId]: { ...PARENT, comments: 'x'.repeat(300 * 1024) } } }));
    expect([big.status, big.body.error.message]).toEqual([413, '请求体过大（上限 256 KB）。']);
    const types = await send(JSON.stringify({ idempotencyKey: key(), answers: { [schoolId]: { ...PARENT, items: 'all good' } } }));
    expect(types.status).toBe(400);
    expect(types.body.error.fields).toEqual({ [`answers.${schoolId}.items`]: ['答案类型不正确。'] });
    expect((await handle.db.select({ n: count() }).from(responses))[0]!.n).toBe(before);
  });
});

describe('round life', () => {
  it('a draft can be edited; an opened round cannot (only extended or closed)', async () => {
    const opened = await errorOf(updateRound(handle.db, office, actor, roundId, { title: '改名' }));
    expect([opened.status, opened.params.reason]).toEqual([409, 'round_not_draft_edit']);
    const tpl = (await handle.db.select().from(templates).where(eq(templates.builtInKey, 'school-satisfaction')))[0]!.id;
    const draft = await createRound(handle.db, office, actor, {
      title: '草稿',
      schoolYear: '2026-2027',
      term: 2,
      opensAt: '2027-03-01T08:00:00+08:00',
      closesAt: '2027-03-10T18:00:00+08:00',
      raterGroups: [{ kind: 'representative', name: '评议代表', weight: 100 }],
      forms: [{ templateId: tpl, raterGroup: 0, subjectMode: 'school' }],
    });
    const edited = await updateRound(handle.db, office, actor, draft.id, { title: '2027年春季学校满意度测评', anonymityThreshold: 8 });
    expect([edited.title, edited.anonymityThreshold]).toEqual(['2027年春季学校满意度测评', 8]);
    const bad = await errorOf(updateRound(handle.db, office, actor, draft.id, { closesAt: '2027-02-01T00:00:00+08:00' }));
    expect(bad.fields).toEqual({ closesAt: [{ key: 'closes_before_opens' }] });
    const weights = await errorOf(
      createRound(handle.db, office, actor, {
        title: 'x', schoolYear: '2026-2027', term: 1, opensAt: '2027-03-01T08:00:00+08:00', closesAt: '2027-03-10T18:00:00+08:00',
        raterGroups: [{ kind: 'parent', name: '家长', weight: 60 }, { kind: 'student', name: '学生', weight: 30 }],
        forms: [{ templateId: tpl, raterGroup: 0, subjectMode: 'school' }],
      }),
    );
    expect(weights.fields).toEqual({ raterGroups: [{ key: 'weights_not_100' }] });
  });
});

describe('closed doors', () => {
  it('unknown codes answer 404 and, after 30 failures, the address is locked for unknown codes; a valid code still works', async () => {
    const e = await errorOf(resolveToken(handle.db, 'ABCDEFGHJKMN', '10.3.0.1'));
    expect([e.status, e.params.reason]).toEqual([404, 'unknown_code']);
    for (let i = 0; i < 30; i++) await resolveToken(handle.db, 'NOPE', '10.3.0.2').catch(() => null);
    expect((await errorOf(resolveToken(handle.db, 'NOPE', '10.3.0.2'))).code).toBe('rate_limited');
    const [link] = await tokensOf('class', studentForm);
    // a valid code from the locked address is never refused for others' bad ones (only slowed)
    expect((await resolveToken(handle.db, link!.token, '10.3.0.2')).subjects.length).toBeGreaterThan(0);
    expect((await resolveToken(handle.db, link!.token, '10.3.0.3')).subjects.length).toBeGreaterThan(0);
  });

  it('a round that has not opened, or has closed, says so', async () => {
    const [link] = await tokensOf('class', studentForm);
    await roundAction(handle.db, office, actor, roundId, { action: 'close' });
    const closed = await errorOf(resolveToken(handle.db, link!.token, '10.3.0.4'));
    expect([closed.status, closed.params.reason]).toEqual([410, 'round_closed']);
  });
});
