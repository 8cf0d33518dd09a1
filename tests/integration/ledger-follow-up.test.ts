/**
 * 列入整改台帐 from a round's item and 回头看, on a real database with answers submitted through the
 * answering code path (submitResponse with one-time codes) and an item created through the API.
 *
 * Three parent rounds of 巷道学区 rate 巷道中心小学 with the same questionnaire (作业负担 `homework`,
 * 食堂 `canteen`); 满意 100, 基本满意 75, 不满意 55, 不了解 excluded; 满意率 = (满意+基本满意) ÷ valid.
 *
 * | round         | homework answers                 | valid n | 满意率       | mean                          |
 * |---------------|----------------------------------|---------|--------------|-------------------------------|
 * | A (source)    | 满意 3, 基本 2, 不满意 2, 不了解 1 | 7       | 5/7 = 71.4%  | (300+150+110)/7 = 80.0        |
 * | B (later)     | 满意 4, 基本 1, 不满意 1           | 6       | 5/6 = 83.3%  | (400+75+55)/6 = 88.33         |
 * | C (later)     | 满意 3                            | 3       | 3/3 = 100%   | 100 (office only: 3 < 5)      |
 *
 * canteen is answered 不满意 throughout, so a figure mixed up with it would read 0%.
 *
 * Round D (opened before A) asks `homework` twice: parents of the school (不满意 2 → 0%) and
 * colleagues of one teacher on a ballot (满意 2, 不满意 1 → 2/3 = 66.67%, mean (200+55)/3 = 85).
 * An item with that teacher responsible follows the teacher: 3, 0.6667, 85 — never the school's 0%.
 * The figures are the results module's: the office reads 满意率 to 4 decimals (0.7143, 0.8333),
 * anyone below the office to 3 (0.714, 0.833). The school admin (rounds released to schools) sees
 * A and B and C suppressed (fewer respondents than the round's threshold of 5), as on the results pages.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import type { Scope } from '@/lib/auth/scope';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { ledgerItems, staff, teachingAssignments, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { SATISFACTION_CHOICES, SATISFACTION_SCORES } from '@/lib/surveys/library/choices';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let office: Scope;
let schoolId: string;
let otherSchoolId: string;
const keys = { office: '', admin: '', otherAdmin: '' };
const roundIds: string[] = [];
/** round D: the school and a teacher both asked `homework` */
const teacherCase = { roundId: '', staffId: '' };
const actor = { type: 'cli', label: 'follow-up' } as const;
let n = 0;

async function api(method: 'GET' | 'POST', path: string, key: string, params: Record<string, string> = {}, body?: unknown) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path))!;
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) };
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined }), { params: Promise.resolve(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A closed round, released to schools, whose parents answered homework as given. */
async function parentRound(templateId: string, title: string, hoursAgo: number, homework: string[], schoolYear: string) {
  const round = await createRound(handle.db, office, actor, {
    title,
    schoolYear,
    term: 1,
    units: ['巷道中心小学'],
    opensAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId, raterGroup: 0, subjectMode: 'school' }],
  });
  await roundAction(handle.db, office, actor, round.id, { action: 'open' });
  const [form] = await handle.db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, round.id) });
  await issueLinks(handle.db, office, actor, round.id, { kind: 'code', formId: form!.id, count: homework.length, schoolId });
  const codes = (await listLinks(handle.db, office, { type: 'system', label: 'test' }, round.id, { kind: 'code', via: 'api' })).map((l) => l.token);
  for (const [i, answer] of homework.entries()) {
    const res = await submitResponse(handle.db, codes[i]!, '10.0.0.9', { idempotencyKey: `follow-up-${String(++n).padStart(10, '0')}`, answers: { [schoolId]: { homework: answer, canteen: 'unsatisfied' } } });
    expect(res).toBeTruthy();
  }
  await roundAction(handle.db, office, actor, round.id, { action: 'close' });
  await roundAction(handle.db, office, actor, round.id, { action: 'release_schools' });
  roundIds.push(round.id);
}

beforeAll(async () => {
  handle = await freshDatabase();
  setAppDatabase(handle);
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  schoolId = (await handle.db.select().from(units).where(eq(units.name, '巷道中心小学')))[0]!.id;
  otherSchoolId = (await handle.db.select().from(units).where(eq(units.name, '槐山小学')))[0]!.id;
  office = { role: 'office', unitId: district!.id };
  keys.office = (await createApiKey(handle.db, actor, { name: 'fu-office', role: 'office', unit: '巷道学区' })).key;
  keys.admin = (await createApiKey(handle.db, actor, { name: 'fu-admin', role: 'school_admin', unit: '巷道中心小学' })).key;
  keys.otherAdmin = (await createApiKey(handle.db, actor, { name: 'fu-other', role: 'school_admin', unit: '槐山小学' })).key;
  const schoolYear = (await handle.db.select().from(teachingAssignments).limit(1))[0]!.schoolYear;
  const scored = { choices: SATISFACTION_CHOICES, pingyiScores: SATISFACTION_SCORES, pingyiExclude: ['unknown'], isRequired: true };
  const { template } = await createTemplate(handle.db, office, actor, {
    kind: 'parent',
    name: '作业与食堂满意度',
    definition: { pingyiSubject: 'school', elements: [{ type: 'radiogroup', name: 'homework', title: '作业负担', ...scored }, { type: 'radiogroup', name: 'canteen', title: '食堂', ...scored }] },
  });
  const S = 'satisfied', F = 'fair', U = 'unsatisfied', X = 'unknown';
  await parentRound(template.id, '回头看 A', 5, [S, S, S, F, F, U, U, X], schoolYear);
  await parentRound(template.id, '回头看 B', 4, [S, S, S, S, F, U], schoolYear);
  await parentRound(template.id, '回头看 C', 3, [S, S, S], schoolYear);

  // round D, before A: parents rate the school (homework 不满意 ×2 → 0%) and colleagues rate a
  // teacher on a ballot with a question of the same name (满意 ×2, 不满意 ×1 → 2/3 = 66.67%, mean 85)
  const [teacher] = await handle.db.select().from(staff).where(eq(staff.unitId, schoolId)).orderBy(staff.staffNo).limit(1);
  teacherCase.staffId = teacher!.id;
  const { template: ballot } = await createTemplate(handle.db, office, actor, {
    kind: 'appraisal',
    name: '作业布置互评',
    definition: { pingyiSubject: 'ballot', elements: [{ type: 'radiogroup', name: 'homework', title: '作业布置', ...scored }] },
  });
  const d = await createRound(handle.db, office, actor, {
    title: '回头看 D',
    schoolYear,
    term: 1,
    units: ['巷道中心小学'],
    opensAt: new Date(Date.now() - 6 * 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 50 }, { kind: 'colleague', name: '同事', weight: 50 }],
    forms: [{ templateId: template.id, raterGroup: 0, subjectMode: 'school' }, { templateId: ballot.id, raterGroup: 1, subjectMode: 'ballot', ballot: [teacher!.staffNo] }],
  });
  await roundAction(handle.db, office, actor, d.id, { action: 'open' });
  const forms = await handle.db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, d.id) });
  const answer = async (mode: string, answers: Record<string, Record<string, unknown>>[]) => {
    const form = forms.find((f) => f.subjectMode === mode)!;
    await issueLinks(handle.db, office, actor, d.id, { kind: 'code', formId: form.id, count: answers.length, schoolId });
    const codes = (await listLinks(handle.db, office, { type: 'system', label: 'test' }, d.id, { kind: 'code', via: 'api' })).filter((l) => l.formId === form.id).map((l) => l.token);
    for (const [i, a] of answers.entries()) await submitResponse(handle.db, codes[i]!, '10.0.0.9', { idempotencyKey: `follow-up-${String(++n).padStart(10, '0')}`, answers: a });
  };
  await answer('school', [U, U].map((h) => ({ [schoolId]: { homework: h, canteen: U } })));
  await answer('ballot', [S, S, U].map((h) => ({ [teacher!.id]: { homework: h } })));
  teacherCase.roundId = d.id;
});
afterAll(() => handle.close());

type FollowUp = { subjectType: string; rounds: { roundId: string; source: boolean; suppressed: boolean; figures: { n: number | null; satisfaction: number | null; mean: number | null; suppressed: boolean }[] }[] };

describe('列入整改台帐 from a round item, and 回头看', () => {
  let itemId: string;

  it('creates an item from round A’s homework question through the API, source round', async () => {
    const res = await api('POST', '/api/v1/ledger', keys.office, {}, {
      unitId: schoolId,
      sourceRoundId: roundIds[0],
      sourceQuestion: 'homework',
      sourceDetail: '回头看 A · 家长 · 作业负担 满意率 71.4%',
      problem: '家长对作业负担满意率偏低（71.4%）',
      measure: '年级组统筹作业总量，每周公示',
      target: '满意率达到 85%',
      dueOn: '2026-12-31',
    });
    expect(res.status).toBe(201);
    itemId = res.body.id as string;
    const [row] = await handle.db.select().from(ledgerItems).where(eq(ledgerItems.id, itemId));
    expect([row!.source, row!.sourceRoundId, row!.sourceQuestion, row!.unitId]).toEqual(['round', roundIds[0], 'homework', schoolId]);
  });

  it('shows the office the hand-computed figures of the source and the later rounds', async () => {
    const res = await api('GET', `/api/v1/ledger/${itemId}`, keys.office, { itemId });
    expect(res.status).toBe(200);
    const f = res.body.followUp as FollowUp;
    expect(f.subjectType).toBe('unit');
    expect(f.rounds.map((r) => [r.roundId, r.source])).toEqual([[roundIds[0], true], [roundIds[1], false], [roundIds[2], false]]);
    const [a, b, c] = f.rounds.map((r) => r.figures[0]!);
    expect(f.rounds.every((r) => r.figures.length === 1)).toBe(true);
    expect([a!.n, a!.satisfaction, a!.mean]).toEqual([7, 0.7143, 80]);
    expect([b!.n, b!.satisfaction, b!.mean]).toEqual([6, 0.8333, expect.closeTo(530 / 6, 3)]);
    expect([c!.n, c!.satisfaction, c!.mean]).toEqual([3, 1, 100]);
  });

  it('shows the school admin the same figures, with the small later round suppressed', async () => {
    const f = (await api('GET', `/api/v1/ledger/${itemId}`, keys.admin, { itemId })).body.followUp as FollowUp;
    expect(f.rounds).toHaveLength(3);
    expect([f.rounds[0]!.figures[0]!.n, f.rounds[0]!.figures[0]!.satisfaction]).toEqual([7, 0.714]);
    expect([f.rounds[1]!.figures[0]!.n, f.rounds[1]!.figures[0]!.satisfaction]).toEqual([6, 0.833]);
    const c = f.rounds[2]!;
    expect(c.suppressed).toBe(true);
    expect(c.figures.every((x) => x.suppressed && x.n === null && x.satisfaction === null)).toBe(true);
    expect(JSON.stringify(c)).not.toContain('"n":3');
  });

  it('follows the responsible teacher, not the school, where both were asked the same question', async () => {
    const res = await api('POST', '/api/v1/ledger', keys.office, {}, {
      unitId: schoolId,
      sourceRoundId: teacherCase.roundId,
      sourceQuestion: 'homework',
      responsibleStaffId: teacherCase.staffId,
      problem: '同事评议作业布置满意率偏低',
      measure: '参加年级组作业设计研讨',
      target: '满意率达到 90%',
      dueOn: '2026-12-31',
    });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const f = (await api('GET', `/api/v1/ledger/${id}`, keys.office, { itemId: id })).body.followUp as FollowUp & { subjectId: string };
    expect([f.subjectType, f.subjectId]).toEqual(['staff', teacherCase.staffId]);
    // only round D: the teacher is rated in none of the later rounds (A, B, C rate the school)
    expect(f.rounds).toHaveLength(1);
    const [fig] = f.rounds[0]!.figures;
    expect([fig!.n, fig!.satisfaction, fig!.mean]).toEqual([3, 0.6667, 85]);
  });

  it('refuses a source round the school did not take part in, field by field, storing nothing', async () => {
    const body = { sourceRoundId: roundIds[0], sourceQuestion: 'homework', problem: '作业多', measure: '减少作业', target: '满意', dueOn: '2026-12-31' };
    const before = (await handle.db.select().from(ledgerItems)).length;
    const other = await api('POST', '/api/v1/ledger', keys.otherAdmin, {}, body);
    expect(other.status).toBe(400);
    expect(Object.keys((other.body.error as { fields: object }).fields)).toEqual(['sourceRoundId']);
    const wrongUnit = await api('POST', '/api/v1/ledger', keys.office, {}, { ...body, unitId: otherSchoolId });
    expect(wrongUnit.status).toBe(400);
    expect((wrongUnit.body.error as { fields: Record<string, string[]> }).fields.unitId![0]).toContain('没有参加');
    const noRound = await api('POST', '/api/v1/ledger', keys.office, {}, { ...body, unitId: schoolId, sourceRoundId: undefined });
    expect(noRound.status).toBe(400);
    expect(Object.keys((noRound.body.error as { fields: object }).fields)).toContain('sourceRoundId');
    expect((await handle.db.select().from(ledgerItems)).length).toBe(before);
  });
});
