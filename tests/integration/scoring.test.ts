/**
 * The scoring engine end to end on a real database: answers submitted through the answering code
 * path, results read from the pre-aggregated counts, checked against hand-computed tables, against
 * a full recompute from the raw answers, and against each role's scope, release and suppression.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '@/lib/auth/scope';
import { createApiKey } from '@/lib/auth/users';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { rawQuery, setAppDatabase, type DbHandle } from '@/lib/db/client';
import { responses, rounds, staff, teachingAssignments, templates, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DomainError } from '@/lib/errors';
import { submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { RAW_SCHOOL_COUNTS, RAW_SUBJECT_COUNTS, recomputeCounts, voidResponses } from '@/lib/scoring/counters';
import { getRoundResults } from '@/lib/scoring/queries';
import { resultsQuery } from '@/lib/scoring/schemas';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let office: Scope;
let schoolId: string;
let schoolYear: string;
let people: { id: string; staffNo: string; name: string }[];
const actor = { type: 'cli', label: 'test' } as const;
let keyN = 0;
const key = () => `scoring-key-${String(++keyN).padStart(8, '0')}`;
const level = (q: Record<string, string>) => resultsQuery.parse(q);

/** Opens a round and hands out one-time codes per form; returns a way to answer with the next code. */
async function openRound(input: Parameters<typeof createRound>[3]) {
  const round = await createRound(handle.db, office, actor, input);
  await roundAction(handle.db, office, actor, round.id, { action: 'open' });
  const forms = await handle.db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, round.id) });
  const codes = new Map<string, string[]>();
  for (const form of forms) {
    await issueLinks(handle.db, office, actor, round.id, { kind: 'code', formId: form.id, count: 12, schoolId });
    codes.set(form.id, (await listLinks(handle.db, office, { type: 'system', label: 'test' }, round.id, { kind: 'code', via: 'api' })).filter((l) => l.formId === form.id).map((l) => l.token));
  }
  const formOf = (groupIndex: number) => forms.find((f) => f.raterGroupId === groupIds[groupIndex])!.id;
  const groupIds = (await handle.db.query.raterGroups.findMany({ where: (g, { eq: is }) => is(g.roundId, round.id) }))
    .sort((a, b) => input.raterGroups.findIndex((g) => g.name === a.name) - input.raterGroups.findIndex((g) => g.name === b.name))
    .map((g) => g.id);
  const answer = (groupIndex: number, answers: Record<string, Record<string, unknown>>) =>
    submitResponse(handle.db, codes.get(formOf(groupIndex))!.shift()!, '10.0.0.1', { idempotencyKey: key(), answers });
  return { id: round.id, groupIds, answer };
}

const window = () => ({ opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() });

beforeAll(async () => {
  handle = await freshDatabase();
  setAppDatabase(handle);
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await handle.db.select().from(units).where(eq(units.name, '巷道中心小学'));
  schoolId = school!.id;
  office = { role: 'office', unitId: district!.id };
  schoolYear = (await handle.db.select().from(teachingAssignments).limit(1))[0]!.schoolYear;
  people = (await handle.db.select().from(staff).where(eq(staff.unitId, schoolId)).orderBy(staff.staffNo)).slice(0, 3);
});

afterAll(async () => {
  await handle.close();
});

describe('the ballot-points scheme (A×100 + B×80 + C×60 + D×40; leader 20% + staff 40% + panel 40%)', () => {
  // | ballots | 甲                          | 乙                           |
  // | leader  | A A B → 280 ÷ 3 = 93.3333   | B B B → 80                   |
  // | staff   | A B B C D → 360 ÷ 5 = 72    | C C D D C → 260 ÷ 5 = 52     |
  // | panel   | B B B A → 340 ÷ 4 = 85      | B A A A → 380 ÷ 4 = 95       |
  // | final   | 0.2×93.3333 + 0.4×72 + 0.4×85 = 18.6667 + 28.8 + 34 = 81.4667 |
  // |         | 0.2×80 + 0.4×52 + 0.4×95 = 16 + 20.8 + 38 = 74.8             |
  let round: Awaited<ReturnType<typeof openRound>>;

  beforeAll(async () => {
    const { template } = await createTemplate(handle.db, office, actor, {
      kind: 'appraisal',
      name: '积分制民主测评票',
      definition: {
        pingyiSubject: 'ballot',
        elements: [
          { type: 'radiogroup', name: 'grade', title: '评价', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: { A: 100, B: 80, C: 60, D: 40 } },
          { type: 'comment', name: 'comments', title: '意见建议', pingyiRole: 'comment' },
        ],
      },
    });
    const ballot = people.slice(0, 2).map((p) => p.staffNo);
    round = await openRound({
      title: '积分制测评',
      schoolYear,
      term: 1,
      units: ['巷道中心小学'],
      ...window(),
      raterGroups: [
        { kind: 'leader', name: '领导', weight: 20 },
        { kind: 'colleague', name: '职工', weight: 40 },
        { kind: 'representative', name: '评议组', weight: 40 },
      ],
      forms: [0, 1, 2].map((g) => ({ templateId: template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot })),
    });
    const [jia, yi] = people;
    const ballots: [number, string, string, string?][] = [
      [0, 'A', 'B'], [0, 'A', 'B'], [0, 'B', 'B'],
      [1, 'A', 'C', '作业布置合理，批改及时'], [1, 'B', 'C'], [1, 'B', 'D'], [1, 'C', 'D'], [1, 'D', 'C'],
      [2, 'B', 'B'], [2, 'B', 'A'], [2, 'B', 'A'], [2, 'A', 'A'],
    ];
    for (const [g, a, b, comment] of ballots) {
      await round.answer(g, { [jia!.id]: { grade: a, ...(comment ? { comments: comment } : {}) }, [yi!.id]: { grade: b } });
    }
  });

  it('gives each person the hand-computed group scores and final score', async () => {
    const r = await getRoundResults(handle.db, office, round.id, level({ level: 'school', schoolId }));
    const byName = new Map(r.subjects.map((s) => [s.name, s]));
    const jia = byName.get(people[0]!.name)!;
    const yi = byName.get(people[1]!.name)!;
    expect(jia.groups.map((g) => [g.name, g.respondents, g.score])).toEqual([
      ['领导', 3, 93.3333],
      ['职工', 5, 72],
      ['评议组', 4, 85],
    ]);
    expect(jia.score).toBe(81.4667);
    expect(yi.groups.map((g) => g.score)).toEqual([80, 52, 95]);
    expect(yi.score).toBe(74.8);
    expect(jia.renormalised).toBe(false);
  });

  it('lists comments for the office with keyword frequencies', async () => {
    const r = await getRoundResults(handle.db, office, round.id, level({ level: 'subject', subjectId: people[0]!.id }));
    expect(r.comments).toMatchObject({ suppressed: false, total: 1, list: ['作业布置合理，批改及时'] });
    expect(r.comments!.keywords.map((k) => k.word)).toEqual(expect.arrayContaining(['作业', '批改']));
    expect(r.items.find((i) => i.question === 'grade' && i.raterGroupId === round.groupIds[1])!.stats!.distribution).toEqual({ A: 1, B: 2, C: 1, D: 1 });
  });

  it('holds results back until released, then suppresses small groups for a school admin and shows a teacher only their own', async () => {
    const admin: Scope = { role: 'school_admin', unitId: schoolId };
    const teacher: Scope = { role: 'staff', unitId: schoolId, staffId: people[0]!.id };
    const codeOf = (p: Promise<unknown>) => p.then(() => null, (e: DomainError) => [e.code, e.params.reason]);
    expect(await codeOf(getRoundResults(handle.db, admin, round.id, level({ level: 'district' })))).toEqual(['forbidden', 'not_released']);
    await handle.db.update(rounds).set({ closesAt: new Date(Date.now() - 1000), opensAt: new Date(Date.now() - 7_200_000) }).where(eq(rounds.id, round.id));
    await roundAction(handle.db, office, actor, round.id, { action: 'release_schools' });
    const seen = await getRoundResults(handle.db, admin, round.id, level({ level: 'school', schoolId }));
    const jia = seen.subjects.find((s) => s.name === people[0]!.name)!;
    // threshold 5: 领导 (3) and 评议组 (4) are suppressed; 职工 (5) is shown; the score is 职工's alone
    expect(jia.groups.map((g) => [g.name, g.suppressed, g.score])).toEqual([
      ['领导', true, null],
      ['职工', false, 72],
      ['评议组', true, null],
    ]);
    expect([jia.score, jia.renormalised, jia.missingGroups]).toEqual([72, true, ['领导', '评议组']]);
    // comments come only from published cells: 职工's 5 respondents (领导 and 评议组 are hidden)
    // stay under the comment threshold (10); at a threshold of 5 they are listed, at 20 held back
    const detail = () => getRoundResults(handle.db, admin, round.id, level({ level: 'subject', subjectId: people[0]!.id }));
    expect((await detail()).comments).toEqual({ suppressed: true, total: 0, list: [], keywords: [] });
    await handle.db.update(rounds).set({ commentThreshold: 5 }).where(eq(rounds.id, round.id));
    expect((await detail()).comments).toMatchObject({ suppressed: false, total: 1 });
    await handle.db.update(rounds).set({ commentThreshold: 20 }).where(eq(rounds.id, round.id));
    expect((await detail()).comments).toEqual({ suppressed: true, total: 0, list: [], keywords: [] });
    expect((await getRoundResults(handle.db, office, round.id, level({ level: 'subject', subjectId: people[0]!.id }))).comments!.total).toBe(1);
    expect(await codeOf(getRoundResults(handle.db, teacher, round.id, level({ level: 'subject', subjectId: people[0]!.id })))).toEqual(['forbidden', 'not_released']);
    await roundAction(handle.db, office, actor, round.id, { action: 'release_staff' });
    const own = await getRoundResults(handle.db, teacher, round.id, level({ level: 'subject', subjectId: people[0]!.id }));
    expect(own.subject!.score).toBe(72);
    expect(own.school).not.toBeNull();
    expect(await codeOf(getRoundResults(handle.db, teacher, round.id, level({ level: 'subject', subjectId: people[1]!.id })))).toEqual(['forbidden', 'own_results_only']);
    expect(await codeOf(getRoundResults(handle.db, teacher, round.id, level({ level: 'school', schoolId })))).toEqual(['forbidden', 'own_results_only']);
  });
});

describe('the 德能勤绩廉 scheme (15/10/30/30/15; supervisors 60%, self 4%, same office 22%, peers 14%)', () => {
  // grade-band points per rater:
  // | group (weight)   | 德        | 能        | 勤       | 绩        | 廉         | 0.15德+0.10能+0.30勤+0.30绩+0.15廉 |
  // | supervisors (60) | 95,90→92.5| 90,85→87.5| 95,95→95 | 90,100→95 | 100,100→100| 13.875+8.75+28.5+28.5+15 = 94.625 |
  // | self (4)         | 100       | 95        | 100      | 95        | 100        | 15+9.5+30+28.5+15 = 98            |
  // | same office (22) | 90,85→87.5| 85,80→82.5| 90,90→90 | 85,85→85  | 95,90→92.5 | 13.125+8.25+27+25.5+13.875 = 87.75|
  // | peers (14)       | 85        | 80        | 85       | 80        | 90         | 12.75+8+25.5+24+13.5 = 83.75      |
  // total = 0.6×94.625 + 0.04×98 + 0.22×87.75 + 0.14×83.75 = 56.775 + 3.92 + 19.305 + 11.725 = 91.725
  // (the same as supervisors 60% + rest 40% with rest = 0.10×98 + 0.55×87.75 + 0.35×83.75 = 87.375)
  it('computes the hand-computed total through the engine', async () => {
    const PARTS = ['德', '能', '勤', '绩', '廉'];
    const BANDS = ['100', '95', '90', '85', '80', '75', '70', '65', '60', '55'];
    const { template } = await createTemplate(handle.db, office, actor, {
      kind: 'appraisal',
      name: '德能勤绩廉考核表',
      definition: {
        pingyiSubject: 'ballot',
        elements: PARTS.map((p) => ({
          type: 'dropdown', name: p, title: p, isRequired: true, choices: BANDS, pingyiDimension: p,
          pingyiScores: Object.fromEntries(BANDS.map((b) => [b, Number(b)])),
        })),
      },
    });
    const ballot = [people[2]!.staffNo];
    const round = await openRound({
      title: '德能勤绩廉考核',
      schoolYear,
      term: 2,
      units: ['巷道中心小学'],
      ...window(),
      scoring: { dimensionWeights: { 德: 15, 能: 10, 勤: 30, 绩: 30, 廉: 15 } },
      raterGroups: [
        { kind: 'leader', name: '主管领导', weight: 60 },
        { kind: 'self', name: '自评', weight: 4 },
        { kind: 'colleague', name: '同科室', weight: 22 },
        { kind: 'representative', name: '其他同事', weight: 14 },
      ],
      forms: [0, 1, 2, 3].map((g) => ({ templateId: template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot })),
    });
    const rate = (g: number, points: number[]) => round.answer(g, { [people[2]!.id]: Object.fromEntries(PARTS.map((p, i) => [p, String(points[i])])) });
    await rate(0, [95, 90, 95, 90, 100]);
    await rate(0, [90, 85, 95, 100, 100]);
    await rate(1, [100, 95, 100, 95, 100]);
    await rate(2, [90, 85, 90, 85, 95]);
    await rate(2, [85, 80, 90, 85, 90]);
    await rate(3, [85, 80, 85, 80, 90]);
    const r = await getRoundResults(handle.db, office, round.id, level({ level: 'subject', subjectId: people[2]!.id }));
    expect(r.subject!.groups.map((g) => g.score)).toEqual([94.625, 98, 87.75, 83.75]);
    expect(r.subject!.score).toBe(91.725);
    expect(r.subject!.dimensions).toMatchObject({ 勤: expect.any(Number), 廉: expect.any(Number) });
  });
});

describe('ballot quality at submission', () => {
  it('voids a democratic-appraisal ballot giving all three people the same 等次, counts it and leaves it out', async () => {
    const [tpl] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'democratic-appraisal'));
    const round = await openRound({
      title: '民主评议',
      schoolYear,
      term: 1,
      units: ['巷道中心小学'],
      ...window(),
      raterGroups: [{ kind: 'representative', name: '评议代表', weight: 100 }],
      forms: [{ templateId: tpl!.id, raterGroup: 0, subjectMode: 'ballot', ballot: people.map((p) => p.staffNo) }],
    });
    const five = (v: string) => ({ ideas: v, style: v, service: v, delivery: v, efficiency: v });
    const ballot = (grades: string[], v = 'satisfied') => Object.fromEntries(people.map((p, i) => [p.id, { five_checks: five(i === 0 ? v : 'fair'), grade: grades[i] }]));
    await round.answer(0, ballot(['excellent', 'excellent', 'excellent']));
    await round.answer(0, ballot(['excellent', 'competent', 'excellent']));
    const stored = await handle.db.select({ status: responses.status, flag: responses.flag }).from(responses).where(eq(responses.roundId, round.id));
    expect(stored.map((s) => `${s.status}:${s.flag}`).sort()).toEqual(['valid:null', 'void:same_grade']);
    const r = await getRoundResults(handle.db, office, round.id, level({ level: 'subject', subjectId: people[1]!.id }));
    expect([r.subject!.respondents, r.subject!.void, r.subject!.flagged]).toEqual([1, 1, 1]);
    expect(r.grades[0]!.votes!.map((v) => [v.text, v.count])).toEqual([['优秀', 0], ['称职', 1], ['基本称职', 0], ['不称职', 0]]);
  });
});

describe('the fast path', () => {
  /** Sums the count tables over shards, leaving out zero cells, in a stable order. */
  async function tables(roundId: string, source: 'counts' | 'raw') {
    const subject = source === 'counts' ? `select form_id, school_id, subject_type, subject_id, question, "row", value, sum(n)::int as n from subject_counts where round_id = $1::uuid group by 1,2,3,4,5,6,7` : `select form_id, school_id, subject_type, subject_id, question, "row", value, n from (${RAW_SUBJECT_COUNTS}) c`;
    const school = source === 'counts' ? `select form_id, school_id, question, "row", value, sum(n)::int as n from school_counts where round_id = $1::uuid group by 1,2,3,4,5` : `select form_id, school_id, question, "row", value, n from (${RAW_SCHOOL_COUNTS}) c`;
    const norm = (rows: Record<string, unknown>[]) => rows.filter((r) => Number(r.n) !== 0).map((r) => JSON.stringify(r)).sort();
    return { subject: norm(await rawQuery(handle.db, subject, [roundId])), school: norm(await rawQuery(handle.db, school, [roundId])) };
  }

  it('equals a full recompute from the raw answers after random submissions, voids and a test-mode wipe', async () => {
    const [tpl] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'student-evaluation'));
    const [ptpl] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'parent-satisfaction'));
    const round = await createRound(handle.db, office, actor, {
      title: '随机校验',
      schoolYear,
      term: 1,
      units: ['巷道中心小学'],
      testMode: true,
      ...window(),
      raterGroups: [{ kind: 'student', name: '学生', weight: 50 }, { kind: 'parent', name: '家长', weight: 50 }],
      forms: [{ templateId: tpl!.id, raterGroup: 0, subjectMode: 'class_teachers' }, { templateId: ptpl!.id, raterGroup: 1, subjectMode: 'school' }],
    });
    await roundAction(handle.db, office, actor, round.id, { action: 'open' });
    const forms = await handle.db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, round.id) });
    for (const f of forms) await issueLinks(handle.db, office, actor, round.id, { kind: 'class', formId: f.id });
    const links = (await listLinks(handle.db, office, { type: 'system', label: 'test' }, round.id, { kind: 'class', via: 'api' })).filter((l) => l.schoolId === schoolId);
    // a small deterministic generator, so a failure can be replayed
    let seed = 20261128;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const SAT = ['satisfied', 'fair', 'unsatisfied', 'unknown'];
    const submitSome = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const link = pick(links);
        const form = forms.find((f) => f.id === link.formId)!;
        const got = await import('@/lib/responses/respond').then((m) => m.resolveToken(handle.db, link.token, '10.0.0.2'));
        const answers = Object.fromEntries(
          got.subjects.map((s) => [
            s.key,
            form.subjectMode === 'school'
              ? { overall: pick(SAT), items: Object.fromEntries(['ethics', 'teaching', 'head_teacher', 'communication', 'homework', 'safety', 'canteen'].map((k) => [k, pick(SAT)])), gifts: 'no', paid_tutoring: 'no', corporal_punishment: pick(['no', 'yes']), ...(rnd() < 0.3 ? { comments: pick(['作业太多', '老师认真负责']) } : {}) }
              : { items: Object.fromEntries(['punctual', 'clear', 'respect', 'homework', 'help'].map((k) => [k, 1 + Math.floor(rnd() * 5)])), no_punishment: pick(['no', 'yes']), overall: 1 + Math.floor(rnd() * 5) },
          ]),
        );
        await submitResponse(handle.db, link.token, '10.0.0.2', { idempotencyKey: key(), answers });
      }
    };
    const check = async () => {
      expect(await tables(round.id, 'counts')).toEqual(await tables(round.id, 'raw'));
      for (const q of [{ level: 'district' }, { level: 'school', schoolId }] as Record<string, string>[]) {
        expect(await getRoundResults(handle.db, office, round.id, level(q), { source: 'counts' })).toEqual(await getRoundResults(handle.db, office, round.id, level(q), { source: 'raw' }));
      }
      // every teacher rated so far, in a fixed order (one of them may have only voided answers)
      const teachers = await rawQuery<{ id: string }>(handle.db, `select distinct subject_id as id from subject_counts where round_id = $1::uuid and subject_type = 'staff' order by 1`, [round.id]);
      expect(teachers.length).toBeGreaterThan(0);
      for (const teacher of teachers) {
        const q = level({ level: 'subject', subjectId: teacher.id });
        expect(await getRoundResults(handle.db, office, round.id, q, { source: 'counts' }), teacher.id).toEqual(await getRoundResults(handle.db, office, round.id, q, { source: 'raw' }));
      }
    };
    for (let step = 0; step < 3; step++) {
      await submitSome(15);
      const ids = (await handle.db.select({ id: responses.id }).from(responses).where(and(eq(responses.roundId, round.id), eq(responses.status, 'valid'))).orderBy(responses.idempotencyKey)).map((r) => r.id);
      const chosen = ids.filter(() => rnd() < 0.2);
      expect(await voidResponses(handle.db, round.id, chosen, 'test')).toBe(chosen.length);
      // voiding again changes nothing
      expect(await voidResponses(handle.db, round.id, chosen, 'test')).toBe(0);
      await check();
    }
    const before = await tables(round.id, 'counts');
    await recomputeCounts(handle.db, round.id);
    expect(await tables(round.id, 'counts')).toEqual(before);
    await roundAction(handle.db, office, actor, round.id, { action: 'wipe_test_answers' });
    expect(await tables(round.id, 'counts')).toEqual({ subject: [], school: [] });
    await submitSome(5);
    await check();
  });
});

describe('GET /api/v1/rounds/{id}/results', () => {
  it('answers the office with the demo round by school, and refuses bad filters field by field', async () => {
    const [demo] = await handle.db.select().from(rounds).where(eq(rounds.status, 'open'));
    const { key: token } = await createApiKey(handle.db, actor, { name: 'results', role: 'office', unit: '巷道学区' });
    const get = await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/rounds/{roundId}/results')!);
    const call = async (qs: string) => {
      const res = await get(new Request(`http://localhost/api/v1/rounds/${demo!.id}/results?${qs}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ roundId: demo!.id }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { fields?: Record<string, string[]> } } };
    };
    const ok = await call('level=district');
    expect(ok.status).toBe(200);
    const schools = ok.body.schools as { name: string; respondents: number; satisfaction: number }[];
    expect(schools.length).toBe(3);
    const [counted] = await rawQuery<{ n: number }>(handle.db, `select count(*)::int as n from responses where round_id = $1::uuid and status = 'valid'`, [demo!.id]);
    expect(schools.reduce((s, x) => s + x.respondents, 0)).toBe(counted!.n);
    for (const s of schools) expect(s.satisfaction).toBeGreaterThan(0.5);
    const bad = await call('level=school');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error!.fields!)).toEqual(['schoolId']);
    const unknown = await call('level=district&colour=red');
    expect(unknown.status).toBe(400);
  });
});
