/**
 * The staff workspace through the real route handlers: my tasks, a colleague ballot answered from
 * the account (once; never about oneself; only colleagues of one's school), the self-inspection as
 * a named report (draft → submitted → returned with a remark → resubmitted → reviewed), what the
 * school admin and the office see, and completion per form without who answered a ballot.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFacts, auditLog, links, responses, selfReports } from '@/lib/db/schema';
import { appraisal, callApi, login, selfInspection, workspaceRound } from '../helpers/workspace';

let w: Awaited<ReturnType<typeof workspaceRound>>;
let teacher1: string;
let principal: string;

beforeAll(async () => {
  w = await workspaceRound();
  teacher1 = await login('hp01');
  principal = await login('hp00');
});
afterAll(() => w.handle.close());

const ballotAnswers = (subjects: { key: string }[], grade = 'competent') => Object.fromEntries(subjects.map((s) => [s.key, appraisal(grade)]));
let key = 0;
const newKey = () => `workspace-key-${String(++key).padStart(4, '0')}`;

describe('my tasks and a colleague ballot from the account', () => {
  it('lists the colleague ballot and the self-inspection as open tasks', async () => {
    const res = await callApi('GET', '/api/v1/me/tasks', { cookie: teacher1 });
    expect(res.status).toBe(200);
    const tasks = res.body.tasks as { formId: string; kind: string; done: boolean; reportStatus: string | null }[];
    expect(tasks.map((t) => [t.formId, t.kind, t.done, t.reportStatus]).sort()).toEqual(
      [
        [w.ballotFormId, 'colleague', false, null],
        [w.selfFormId, 'self', false, null],
      ].sort(),
    );
  });

  it('the ballot lists the colleagues of my school, never me', async () => {
    const res = await callApi('GET', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1 });
    expect(res.status).toBe(200);
    const names = (res.body.subjects as { name: string }[]).map((s) => s.name);
    expect(names).toEqual(['王校长', '教师2', '教师3', '教师4', '教师5', '教师6']);
  });

  it('a teacher of another school covered by the round has no such ballot: it lists none of their colleagues', async () => {
    const neighbour = await login('lx01');
    const tasks = (await callApi('GET', '/api/v1/me/tasks', { cookie: neighbour })).body.tasks as { kind: string }[];
    expect(tasks.map((t) => t.kind)).toEqual(['self']);
    expect((await callApi('GET', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: neighbour })).status).toBe(404);
  });

  it('refuses a ballot that rates oneself, and writes nothing', async () => {
    const subjects = (await callApi('GET', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1 })).body.subjects as { key: string }[];
    const answers = { ...ballotAnswers(subjects), [w.staff.HP01!.id]: appraisal('excellent') };
    const res = await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1, body: { idempotencyKey: newKey(), answers } });
    expect(res.status).toBe(400);
    expect(res.body.error!.fields![`answers.${w.staff.HP01!.id}`]).toBeDefined();
    expect(await w.db.select().from(responses).where(eq(responses.formId, w.ballotFormId))).toHaveLength(0);
  });

  it('accepts one answer per account; a retry gets its receipt, a second answer is refused', async () => {
    const subjects = (await callApi('GET', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1 })).body.subjects as { key: string }[];
    const idempotencyKey = newKey();
    const first = await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1, body: { idempotencyKey, answers: ballotAnswers(subjects) } });
    expect(first.status).toBe(201);
    expect(first.body.duplicate).toBe(false);
    const retry = await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1, body: { idempotencyKey, answers: ballotAnswers(subjects) } });
    expect(retry.body).toEqual({ receipt: first.body.receipt, duplicate: true });
    const second = await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1, body: { idempotencyKey: newKey(), answers: ballotAnswers(subjects, 'excellent') } });
    expect(second.status).toBe(409);
    expect(second.body.error!.message).toBe('您已经提交过这份评议表，每人只能提交一次。');
    const english = await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie: teacher1, lang: 'en', body: { idempotencyKey: newKey(), answers: ballotAnswers(subjects) } });
    expect(english.body.error!.message).toMatch(/already submitted/);

    // one response, about six colleagues, with no account in it; the account's place is used
    const rows = await w.db.select().from(responses).where(eq(responses.formId, w.ballotFormId));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0])).not.toContain(w.staff.HP01!.id);
    const subjectsRated = new Set((await w.db.select().from(answerFacts).where(eq(answerFacts.responseId, rows[0]!.id))).map((f) => f.subjectStaffId));
    expect(subjectsRated.size).toBe(6);
    expect(subjectsRated.has(w.staff.HP01!.id)).toBe(false);
    const [place] = await w.db.select().from(links).where(and(eq(links.formId, w.ballotFormId), eq(links.issuedToStaffId, w.staff.HP01!.id)));
    expect(place).toMatchObject({ kind: 'account', usedCount: 1, capacity: 1 });

    const tasks = (await callApi('GET', '/api/v1/me/tasks', { cookie: teacher1 })).body.tasks as { kind: string; done: boolean }[];
    expect(tasks.find((t) => t.kind === 'colleague')!.done).toBe(true);
  });

  it('the account places are not in the office’s token listing', async () => {
    const res = await callApi('GET', `/api/v1/rounds/${w.round.id}/links`, { key: w.officeKey });
    expect(res.status).toBe(200);
    expect((res.body.links as { kind: string }[]).filter((l) => l.kind === 'account')).toEqual([]);
  });
});

describe('the self-inspection report', () => {
  let reportId: string;
  const url = () => `/api/v1/me/tasks/${w.selfFormId}/report`;

  it('saves a draft with partial answers; the reviewers do not see drafts', async () => {
    const draft = await callApi('PUT', url(), { cookie: teacher1, body: { answers: { problems: '还在想' } } });
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'draft', problems: '还在想', measures: '' });
    reportId = draft.body.id as string;
    expect((await callApi('GET', '/api/v1/self-reports', { cookie: principal })).body.reports).toEqual([]);
  });

  it('submitting checks every required answer and the public commitments, and changes nothing when refused', async () => {
    const bad = await callApi('PUT', url(), { cookie: teacher1, body: { answers: { problems: '只写了问题' }, submit: true } });
    expect(bad.status).toBe(400);
    const fields = Object.keys(bad.body.error!.fields!).sort();
    expect(fields).toEqual(['answers.measures', ...['attitude', 'efficiency', 'execution', 'law', 'quality', 'spirit'].map((r) => `answers.six_checks.${r}`), 'commitments']);
    const [row] = await w.db.select().from(selfReports).where(eq(selfReports.id, reportId));
    expect(row).toMatchObject({ status: 'draft', problems: '还在想' });
  });

  it('submits the report: named fields, and one self response about the teacher', async () => {
    const res = await callApi('PUT', url(), { cookie: teacher1, body: { answers: selfInspection('fairly_good'), commitments: '按时批改作业，家长随时监督', submit: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'submitted', problems: '作业批改不够及时', measures: '每天当堂批改，周五前全部反馈', commitments: '按时批改作业，家长随时监督' });
    const selfResponses = await w.db.select().from(responses).where(eq(responses.formId, w.selfFormId));
    expect(selfResponses.map((r) => r.status)).toEqual(['valid']);
    const facts = await w.db.select().from(answerFacts).where(eq(answerFacts.responseId, selfResponses[0]!.id));
    expect(new Set(facts.filter((f) => f.score !== null).map((f) => `${f.subjectStaffId}:${f.score}`))).toEqual(new Set([`${w.staff.HP01!.id}:85`]));
  });

  it('the school admin of another school does not see it; the principal does, and cannot return it without a remark', async () => {
    const outsider = await login('lx_admin');
    expect((await callApi('GET', '/api/v1/self-reports', { cookie: outsider })).body.reports).toEqual([]);
    expect((await callApi('POST', `/api/v1/self-reports/${reportId}/review`, { cookie: outsider, body: { action: 'review' } })).status).toBe(404);
    const list = await callApi('GET', '/api/v1/self-reports', { cookie: principal });
    expect((list.body.reports as { id: string; staffName: string }[]).map((r) => [r.id, r.staffName])).toEqual([[reportId, '教师1']]);
    expect((await callApi('GET', '/api/v1/self-reports', { cookie: outsider })).body.reports).toEqual([]);
    const noRemark = await callApi('POST', `/api/v1/self-reports/${reportId}/review`, { cookie: principal, body: { action: 'return' } });
    expect(noRemark.status).toBe(400);
    expect(Object.keys(noRemark.body.error!.fields!)).toEqual(['remark']);
    // the principal's own report goes to the office
    const own = await callApi('PUT', url(), { cookie: principal, body: { answers: selfInspection(), commitments: '以身作则', submit: true } });
    expect(own.status).toBe(200);
    const selfReview = await callApi('POST', `/api/v1/self-reports/${own.body.id as string}/review`, { cookie: principal, body: { action: 'review' } });
    expect(selfReview.status).toBe(403);
    expect(selfReview.body.error!.message).toBe('不能审阅自己的自查报告，由学区办公室审阅。');
    expect((await callApi('POST', `/api/v1/self-reports/${own.body.id as string}/review`, { key: w.officeKey, body: { action: 'review' } })).body.status).toBe('reviewed');
    // a staff login may not review at all
    expect((await callApi('POST', `/api/v1/self-reports/${reportId}/review`, { cookie: teacher1, body: { action: 'review' } })).status).toBe(403);
  });

  it('returned with a remark: the teacher sees it, resubmits (the earlier score is voided), the principal reviews; then it is final', async () => {
    const returned = await callApi('POST', `/api/v1/self-reports/${reportId}/review`, { cookie: principal, body: { action: 'return', remark: '整改措施要具体到时间' } });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ status: 'returned', remark: '整改措施要具体到时间' });
    const tasks = (await callApi('GET', '/api/v1/me/tasks', { cookie: teacher1 })).body.tasks as { kind: string; reportStatus: string; remark: string }[];
    expect(tasks.find((t) => t.kind === 'self')).toMatchObject({ reportStatus: 'returned', remark: '整改措施要具体到时间' });

    const again = await callApi('PUT', url(), { cookie: teacher1, body: { answers: { ...selfInspection('good'), measures: '每天当堂批改，11月30日前补齐' }, commitments: '按时批改作业', submit: true } });
    expect(again.body).toMatchObject({ status: 'submitted', measures: '每天当堂批改，11月30日前补齐' });
    const selfResponses = await w.db.select().from(responses).where(eq(responses.formId, w.selfFormId));
    // 教师1's two submissions (the first voided) and the principal's one
    expect(selfResponses.map((r) => r.status).sort()).toEqual(['valid', 'valid', 'void']);

    const reviewed = await callApi('POST', `/api/v1/self-reports/${reportId}/review`, { cookie: principal, body: { action: 'review' } });
    expect(reviewed.body.status).toBe('reviewed');
    const locked = await callApi('PUT', url(), { cookie: teacher1, body: { answers: selfInspection('poor'), commitments: 'x', submit: true } });
    expect(locked.status).toBe(409);
    const actions = (await w.db.select().from(auditLog).where(eq(auditLog.entityId, reportId))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['self_report.save', 'self_report.submit', 'self_report.return', 'self_report.review']));
  });
});

describe('completion per form for the office', () => {
  it('counts answered colleague ballots per school without names, and names who has not submitted a report', async () => {
    const res = await callApi('GET', `/api/v1/rounds/${w.round.id}/completion`, { key: w.officeKey });
    expect(res.status).toBe(200);
    const forms = res.body.forms as { formId: string; schools: { name: string; expected: number; answered: number }[]; missing: { name: string; status: string | null }[] | null }[];
    const ballot = forms.find((f) => f.formId === w.ballotFormId)!;
    expect(ballot.schools).toEqual([
      expect.objectContaining({ name: '互评小学', expected: 7, answered: 1 }),
      expect.objectContaining({ name: '邻校', expected: 2, answered: 0 }),
    ]);
    expect(ballot.missing).toBeNull();
    expect(JSON.stringify(ballot)).not.toContain('教师1');
    const self = forms.find((f) => f.formId === w.selfFormId)!;
    // 教师1 and the principal have submitted
    expect(self.schools.map((s) => [s.name, s.answered])).toEqual([
      ['互评小学', 2],
      ['邻校', 0],
    ]);
    expect(self.missing!.map((m) => m.name)).toEqual(['教师2', '教师3', '教师4', '教师5', '教师6', '邻校教师1', '邻校教师2']);
    // the principal sees their school only
    const mine = await callApi('GET', `/api/v1/rounds/${w.round.id}/completion`, { cookie: principal });
    expect((mine.body.forms as { schools: { name: string }[] }[])[0]!.schools.map((s) => s.name)).toEqual(['互评小学']);
  });
});

describe('a forgotten staff password', () => {
  it('the school admin resets a staff login of their school (audited, sessions ended); not another school’s, not an admin’s', async () => {
    const { users } = await import('@/lib/db/schema');
    const byName = async (username: string) => (await w.db.select().from(users).where(eq(users.username, username)))[0]!;
    const teacher2 = await byName('hp02');
    const session = await login('hp02');
    const res = await callApi('POST', `/api/v1/users/${teacher2.id}/reset-password`, { cookie: principal });
    expect(res.status).toBe(200);
    expect(res.body.password).toMatch(/^[A-Za-z0-9]{14}$/);
    expect((await byName('hp02')).mustChangePassword).toBe(true);
    expect((await callApi('GET', '/api/v1/me/tasks', { cookie: session })).status).toBe(401);
    const [entry] = await w.db.select().from(auditLog).where(and(eq(auditLog.action, 'user.reset_password'), eq(auditLog.entityId, teacher2.id)));
    expect(entry!.actorUserId).toBe(w.principalUser.id);
    // a teacher of the neighbouring school, and the neighbouring school's admin: unknown to this principal
    for (const username of ['lx01', 'lx_admin']) {
      expect((await callApi('POST', `/api/v1/users/${(await byName(username)).id}/reset-password`, { cookie: principal })).status).toBe(404);
    }
    // the org page offers the reset on the staff logins of the school, not on the principal's own admin login
    const { resettableLogins } = await import('@/lib/org/queries');
    const offered = await resettableLogins(w.db, { role: 'school_admin', unitId: w.school.id }, Object.values(w.staff).map((s) => s.id));
    expect([...offered.keys()].map((id) => Object.values(w.staff).find((s) => s.id === id)!.staffNo).sort()).toEqual(['HP01', 'HP02', 'HP03', 'HP04', 'HP05', 'HP06']);
    // a staff login may not reset anyone
    expect((await callApi('POST', `/api/v1/users/${teacher2.id}/reset-password`, { cookie: teacher1 })).status).toBe(403);
  });
});
