/**
 * Annual assessment end to end on a real database: round answers through the submission path and
 * 平时考核 entries become components, composites and proposed grades (checked against the
 * hand-computed tables below), then sign-off, 公示, objections and the lock, through the API.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { recordEntries } from '@/lib/assessment/entries';
import { createYear, yearAction } from '@/lib/assessment/mutations';
import { listAssessments } from '@/lib/assessment/queries';
import type { Scope } from '@/lib/auth/scope';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { assessmentYears, auditLog, regularAssessments, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { yearScore } from '@/lib/scoring/schemes';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';
import { makeXlsx, readXlsx } from '../helpers/xlsx';

let handle: DbHandle;
let office: Scope;
let districtId: string;
let token: string;
const actor = { type: 'cli', label: 'test' } as const;
let keyN = 0;
const key = () => `assess-key-${String(++keyN).padStart(8, '0')}`;
const window = () => ({ opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() });

/** A new school with these staff (工号 prefix + index), so each year assesses exactly them. */
async function school(name: string, prefix: string, names: string[]) {
  const [s] = await handle.db.insert(units).values({ kind: 'school', name, parentId: districtId }).returning();
  const people = await handle.db
    .insert(staff)
    .values(names.map((n, i) => ({ unitId: s!.id, staffNo: `${prefix}${String(i + 1).padStart(2, '0')}`, name: n, position: i === 0 ? '校长' : '教师' })))
    .returning();
  return { id: s!.id, name, people };
}

/** Opens a round rating a ballot list at one school; `answer(group, answers)` submits with the next one-time code. */
async function openRound(input: Parameters<typeof createRound>[3], schoolId: string) {
  const round = await createRound(handle.db, office, actor, input);
  await roundAction(handle.db, office, actor, round.id, { action: 'open' });
  const forms = await handle.db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, round.id) });
  const groups = await handle.db.query.raterGroups.findMany({ where: (g, { eq: is }) => is(g.roundId, round.id) });
  const codes = new Map<string, string[]>();
  for (const form of forms) {
    await issueLinks(handle.db, office, actor, round.id, { kind: 'code', formId: form.id, count: 8, schoolId });
    codes.set(form.id, (await listLinks(handle.db, office, { type: 'system', label: 'test' }, round.id, { kind: 'code', via: 'api' })).filter((l) => l.formId === form.id).map((l) => l.token));
  }
  const formOf = (g: number) => forms.find((f) => f.raterGroupId === groups.find((x) => x.name === input.raterGroups[g]!.name)!.id)!.id;
  const answer = (g: number, answers: Record<string, Record<string, unknown>>) => submitResponse(handle.db, codes.get(formOf(g))!.shift()!, '10.0.0.9', { idempotencyKey: key(), answers });
  return { id: round.id, answer };
}

async function api(method: string, path: string, params: Record<string, string>, body?: unknown, extra: Record<string, string> = {}) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const fn = await routeHandler(e);
  const isForm = body instanceof FormData;
  const res = await fn(
    new Request(`http://localhost${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && !isForm ? { 'content-type': 'application/json' } : {}), ...extra },
      body: isForm ? body : body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = res.headers.get('content-type')?.includes('json') ? await res.text() : '';
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, any>, res }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

beforeAll(async () => {
  handle = await freshDatabase();
  setAppDatabase(handle);
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  districtId = district!.id;
  office = { role: 'office', unitId: districtId };
  token = (await createApiKey(handle.db, actor, { name: 'assessment', role: 'office', unit: '巷道学区' })).key;
});
afterAll(() => handle.close());

describe('民主测评 by ballot points + 平时考核 entries, with a sanction cap and the quota', () => {
  // Ballot points (A×100 + B×80 + C×60 + D×40 ÷ valid; leader 20% + staff 40% + panel 40%), as in scoring.test.ts:
  // | person | leader              | staff                  | panel            | 民主测评                         |
  // | 甲     | A A B → 93.3333     | A B B C D → 72         | B B B A → 85     | 18.6667 + 28.8 + 34 = 81.4667    |
  // | 乙     | B B B → 80          | C C D D C → 52         | B A A A → 95     | 16 + 20.8 + 38 = 74.8            |
  // | 丙     | not on the ballot: no 民主测评 (its 60% is shared out: renormalised)                               |
  // 平时考核 (mean of the quarters): 甲 95, 97 → 96; 乙 90, 80 → 85; 丙 92, 88 → 90.
  // composite = 民主测评 60% + 平时考核 40%:
  // | 甲 | 0.6×81.4667 + 0.4×96 = 48.88 + 38.4 = 87.28 | ≥ 85 优秀, but a 警告 this year → 合格 (cap)   |
  // | 乙 | 0.6×74.8 + 0.4×85 = 44.88 + 34 = 78.88      | 合格                                         |
  // | 丙 | 90 (平时考核 only)                           | 优秀: the one place of floor(3 × 34%) = 1    |
  let yearId: string;
  let s: Awaited<ReturnType<typeof school>>;

  beforeAll(async () => {
    s = await school('考核小学', 'KH', ['甲', '乙', '丙']);
    const { template } = await createTemplate(handle.db, office, actor, {
      kind: 'appraisal',
      name: '积分制民主测评票',
      definition: { pingyiSubject: 'ballot', elements: [{ type: 'radiogroup', name: 'grade', title: '评价', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: { A: 100, B: 80, C: 60, D: 40 } }] },
    });
    const [jia, yi] = s.people;
    const round = await openRound(
      {
        title: '2026 民主测评',
        schoolYear: '2026-2027',
        term: 1,
        units: ['考核小学'],
        ...window(),
        raterGroups: [
          { kind: 'leader', name: '领导', weight: 20 },
          { kind: 'colleague', name: '职工', weight: 40 },
          { kind: 'representative', name: '评议组', weight: 40 },
        ],
        forms: [0, 1, 2].map((g) => ({ templateId: template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot: [jia!.staffNo, yi!.staffNo] })),
      },
      s.id,
    );
    const ballots: [number, string, string][] = [
      [0, 'A', 'B'], [0, 'A', 'B'], [0, 'B', 'B'],
      [1, 'A', 'C'], [1, 'B', 'C'], [1, 'B', 'D'], [1, 'C', 'D'], [1, 'D', 'C'],
      [2, 'B', 'B'], [2, 'B', 'A'], [2, 'B', 'A'], [2, 'A', 'A'],
    ];
    for (const [g, a, b] of ballots) await round.answer(g, { [jia!.id]: { grade: a }, [yi!.id]: { grade: b } });
    const year = await createYear(handle.db, office, actor, {
      unit: '考核小学',
      year: 2026,
      title: '考核小学 2026 年度考核',
      components: [
        { key: 'democratic', kind: 'democratic', name: '民主测评', weight: 60, source: 'round_score', roundIds: [round.id] },
        { key: 'regular', kind: 'regular', name: '平时考核', weight: 40, source: 'entries' },
      ],
      rules: { thresholds: { excellent: 85, qualified: 75, basicallyQualified: 60 }, excellentQuotaPercent: 34 },
    });
    yearId = year.id;
    await recordEntries(handle.db, office, actor, yearId, {
      entries: [
        { staff: 'KH01', period: '第一季度', score: 95 },
        { staff: 'KH01', period: '第二季度', score: 97, sanction: '警告', note: '上课迟到被通报' },
        { staff: 'KH02', period: '第一季度', score: 90 },
        { staff: 'KH02', period: '第二季度', score: 80 },
        { staff: 'KH03', period: '第一季度', score: 92 },
        { staff: 'KH03', period: '第二季度', score: 88 },
      ],
    });
  });

  it('computes each component with its value, weight, source and n, and the composite', async () => {
    const computed = await api('POST', `/api/v1/assessment-years/${yearId}/actions`, { yearId }, { action: 'compute' });
    expect(computed.body).toMatchObject({ status: 'draft', computed: 3 });
    const { body } = await api('GET', `/api/v1/assessment-years/${yearId}/assessments`, { yearId });
    const by = Object.fromEntries((body.assessments as { name: string }[]).map((a) => [a.name, a])) as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(by['甲']!.components.map((c: { key: string; value: number; weight: number; n: number }) => [c.key, c.value, c.weight, c.n])).toEqual([
      ['democratic', 81.4667, 60, 12],
      ['regular', 96, 40, 2],
    ]);
    expect(by['甲']!.components[0].source).toContain('2026 民主测评');
    expect([by['甲']!.compositeScore, by['乙']!.compositeScore, by['丙']!.compositeScore]).toEqual([87.28, 78.88, 90]);
    expect(by['丙']!.renormalised).toEqual(['democratic']);
  });

  it('proposes 合格 for a high score capped by a 警告, and fills the quota with the next eligible person', async () => {
    const { body } = await api('GET', `/api/v1/assessment-years/${yearId}/assessments`, { yearId });
    const by = Object.fromEntries((body.assessments as { name: string }[]).map((a) => [a.name, a])) as Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect([by['甲']!.proposedGrade, by['乙']!.proposedGrade, by['丙']!.proposedGrade]).toEqual(['qualified', 'qualified', 'excellent']);
    expect(by['甲']!.notes).toEqual([{ code: 'sanction_cap', params: { sanction: '警告', cap: 'qualified' } }]);
    expect([by['丙']!.rank, by['甲']!.rank, by['乙']!.rank]).toEqual([1, 2, 3]);
  });

  it('refuses an override without a reason (400, field error), signs with one, and audits every grade', async () => {
    const ids = Object.fromEntries(s.people.map((p) => [p.name, p.id]));
    const refused = await api('POST', `/api/v1/assessment-years/${yearId}/sign`, { yearId }, { items: [{ staffId: ids['乙'], grade: 'excellent' }] });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual(['items.0.reason']);
    const unsigned = await api('POST', `/api/v1/assessment-years/${yearId}/actions`, { yearId }, { action: 'announce' });
    expect([unsigned.status, unsigned.body.error.code]).toEqual([409, 'conflict']);
    const ok = await api('POST', `/api/v1/assessment-years/${yearId}/sign`, { yearId }, {
      items: [
        { staffId: ids['甲'], grade: 'qualified' },
        { staffId: ids['乙'], grade: 'basically_qualified', reason: '全年请假超过规定天数' },
        { staffId: ids['丙'], grade: 'excellent' },
      ],
    });
    expect(ok.body).toEqual({ signed: 3 });
    // this year's sign-offs (the demo district's assessment was signed when it was seeded)
    const audit = (await handle.db.select().from(auditLog).where(eq(auditLog.action, 'assessment.sign'))).filter((a) => a.summary.yearId === yearId);
    expect(audit).toHaveLength(3);
    const override = audit.find((a) => a.summary.override)!;
    expect(override.summary).toMatchObject({ proposed: 'qualified', grade: 'basically_qualified', reason: '全年请假超过规定天数', score: 78.88 });
  });

  it('exports the 考核登记表 of one person and the unit summary', async () => {
    const jia = s.people[0]!;
    const reg = await api('GET', `/api/v1/assessment-years/${yearId}/export?kind=register&staffId=${jia.id}`, { yearId });
    expect(reg.status).toBe(200);
    const sheets = await readXlsx(new Uint8Array(await reg.res.arrayBuffer()));
    const rows = Object.values(sheets)[0]!;
    expect(rows).toEqual(expect.arrayContaining([['民主测评', '81.4667', '60%', expect.stringContaining('2026 民主测评'), '12'], ['综合得分', '87.28', '名次', '2']]));
    const sum = await readXlsx(new Uint8Array(await (await api('GET', `/api/v1/assessment-years/${yearId}/export?kind=summary`, { yearId })).res.arrayBuffer()));
    expect(sum['汇总']!.find((r) => r[2] === '乙')).toEqual(['考核小学', 'KH02', '乙', '教师', '74.8', '85', '78.88', '3', '合格', '基本合格', '全年请假超过规定天数']);
  });

  it('announces for 5 working days: the public page shows name, position and 等次 only; objections; the lock', async () => {
    const staffScope: Scope = { role: 'staff', unitId: s.id, staffId: s.people[1]!.id };
    await expect(listAssessments(handle.db, staffScope, yearId)).rejects.toMatchObject({ code: 'forbidden' });
    const announced = await api('POST', `/api/v1/assessment-years/${yearId}/actions`, { yearId }, { action: 'announce' });
    expect(announced.body.status).toBe('announced');
    expect(new Date(announced.body.endsAt).getTime() - Date.now()).toBeGreaterThan(5 * 86_400_000 - 3 * 86_400_000);

    const pub = await api('GET', `/api/v1/announcements/${yearId}`, { yearId }, undefined, { authorization: '' });
    expect(pub.status).toBe(200);
    expect(pub.body.list.map((r: Record<string, string>) => [r.name, r.position, r.grade])).toEqual([['甲', '校长', 'qualified'], ['乙', '教师', 'basically_qualified'], ['丙', '教师', 'excellent']]);
    for (const r of pub.body.list) expect(Object.keys(r).sort()).toEqual(['grade', 'id', 'name', 'position', 'unit']);
    const raw = JSON.stringify(pub.body);
    for (const secret of ['87.28', '78.88', '81.4667', '请假', '警告', '迟到']) expect(raw).not.toContain(secret);

    // staff see their own breakdown once announced, and only their own; the 民主测评 figure stays
    // held back (the round is not released to staff, and 领导 3 and 评议组 4 are below the
    // threshold), and so does the composite that would give it back: grade and reason remain
    const own = await listAssessments(handle.db, staffScope, yearId);
    expect(own.rows.map((r) => [r.name, r.a.compositeScore, r.a.rank, r.a.grade, r.a.reason])).toEqual([['乙', null, null, 'basically_qualified', '全年请假超过规定天数']]);
    expect(own.rows[0]!.a.components.map((c) => [c.key, c.value, c.n, c.withheld])).toEqual([['democratic', null, null, true], ['regular', 85, 2, false]]);

    const objection = await api('POST', `/api/v1/announcements/${yearId}/objections`, { yearId }, { name: '王家长', contact: '13800000000', assessmentId: pub.body.list[2].id, body: '丙老师本学期多次缺课，评为优秀不妥。' }, { authorization: '', origin: 'http://localhost', 'x-forwarded-for': '10.1.2.3' });
    expect(objection.status).toBe(201);
    const bad = await api('POST', `/api/v1/announcements/${yearId}/objections`, { yearId }, { name: '', contact: '1', body: 'x' }, { authorization: '', origin: 'http://localhost', 'x-forwarded-for': '10.1.2.3' });
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['body', 'contact', 'name']);

    // the window ends with the objection open: not locked until it is answered
    await handle.db.update(assessmentYears).set({ announcementEndsAt: new Date(Date.now() - 1000) }).where(eq(assessmentYears.id, yearId));
    expect((await api('GET', `/api/v1/assessment-years/${yearId}`, { yearId })).body.status).toBe('awaiting_answers');
    const list = await api('GET', `/api/v1/assessment-years/${yearId}/objections`, { yearId });
    expect(list.body.objections).toMatchObject([{ name: '王家长', about: '丙', status: 'open' }]);
    const answered = await api('POST', `/api/v1/assessment-years/${yearId}/objections/${list.body.objections[0].id}/answer`, { yearId, objectionId: list.body.objections[0].id }, { answer: '经核实，缺课均为经批准的公假，维持优秀。' });
    expect(answered.body.openObjections).toBe(0);
    expect((await api('GET', `/api/v1/assessment-years/${yearId}`, { yearId })).body.status).toBe('locked');
  });

  it('refuses every change to a locked year (409)', async () => {
    const staffId = s.people[0]!.id;
    const tries = [
      await api('POST', `/api/v1/assessment-years/${yearId}/sign`, { yearId }, { items: [{ staffId, grade: 'excellent', reason: '复核后改为优秀' }] }),
      await api('POST', `/api/v1/assessment-years/${yearId}/actions`, { yearId }, { action: 'compute' }),
      await api('POST', `/api/v1/assessment-years/${yearId}/entries`, { yearId }, { entries: [{ staff: 'KH01', period: '第三季度', score: 90 }] }),
      await api('PATCH', `/api/v1/assessment-years/${yearId}`, { yearId }, { title: '改名' }),
    ];
    expect(tries.map((t) => [t.status, t.body.error.message])).toEqual(Array(4).fill([409, '公示期已结束，考核结果已锁定，不能再修改。']));
    expect((await api('GET', `/api/v1/announcements/${yearId}`, { yearId })).body).toMatchObject({ open: false, list: [] });
  });
});

describe('德能勤绩廉 by quarters: year = 4 quarters 95% + leadership 5%', () => {
  // Quarter rounds (德能勤绩廉 15/10/30/30/15; supervisors 60%, self 4%, same office 22%, peers 14%):
  // | Q1 | the scoring.test.ts ballots: groups 94.625 / 98 / 87.75 / 83.75 → 91.725 |
  // | Q2 | every rater gives 90 on every part → 90                                    |
  // | Q3 | every rater gives 85 → 85                                                  |
  // | Q4 | every rater gives 95 → 95                                                  |
  // quarters = (91.725 + 90 + 85 + 95) ÷ 4 = 361.725 ÷ 4 = 90.43125 → 90.4313 (4 decimals)
  // leadership (a manual entry) = 80
  // year = 0.95 × 90.4313 + 0.05 × 80 = 85.9097 + 4 = 89.9097 (yearScore in lib/scoring/schemes.ts agrees)
  it('computes the hand-computed year score', async () => {
    const s = await school('德能小学', 'DN', ['丁']);
    const ding = s.people[0]!;
    const PARTS = ['德', '能', '勤', '绩', '廉'];
    const BANDS = ['100', '95', '90', '85', '80', '75', '70', '65', '60', '55'];
    const { template } = await createTemplate(handle.db, office, actor, {
      kind: 'appraisal',
      name: '德能勤绩廉季度考核表',
      definition: {
        pingyiSubject: 'ballot',
        elements: PARTS.map((p) => ({ type: 'dropdown', name: p, title: p, isRequired: true, choices: BANDS, pingyiDimension: p, pingyiScores: Object.fromEntries(BANDS.map((b) => [b, Number(b)])) })),
      },
    });
    const quarter = (term: 1 | 2, title: string) =>
      openRound(
        {
          title,
          schoolYear: '2026-2027',
          term,
          units: ['德能小学'],
          ...window(),
          scoring: { dimensionWeights: { 德: 15, 能: 10, 勤: 30, 绩: 30, 廉: 15 } },
          raterGroups: [
            { kind: 'leader', name: '主管领导', weight: 60 },
            { kind: 'self', name: '自评', weight: 4 },
            { kind: 'colleague', name: '同科室', weight: 22 },
            { kind: 'representative', name: '其他同事', weight: 14 },
          ],
          forms: [0, 1, 2, 3].map((g) => ({ templateId: template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot: [ding.staffNo] })),
        },
        s.id,
      );
    const rate = (r: Awaited<ReturnType<typeof quarter>>, g: number, points: number[]) => r.answer(g, { [ding.id]: Object.fromEntries(PARTS.map((p, i) => [p, String(points[i])])) });
    const q1 = await quarter(1, '第一季度');
    await rate(q1, 0, [95, 90, 95, 90, 100]);
    await rate(q1, 0, [90, 85, 95, 100, 100]);
    await rate(q1, 1, [100, 95, 100, 95, 100]);
    await rate(q1, 2, [90, 85, 90, 85, 95]);
    await rate(q1, 2, [85, 80, 90, 85, 90]);
    await rate(q1, 3, [85, 80, 85, 80, 90]);
    const rounds = [q1.id];
    for (const [i, points] of [90, 85, 95].entries()) {
      const q = await quarter(i % 2 === 0 ? 2 : 1, `第${['二', '三', '四'][i]}季度`);
      for (const g of [0, 1, 2, 3]) await rate(q, g, Array(5).fill(points));
      rounds.push(q.id);
    }
    const year = await createYear(handle.db, office, actor, {
      unit: '德能小学',
      year: 2026,
      title: '德能小学 2026 年度考核',
      components: [
        { key: 'quarters', kind: 'democratic', name: '季度考核', weight: 95, source: 'round_score', roundIds: rounds },
        { key: 'leadership', kind: 'other', name: '领导评价', weight: 5, source: 'entries' },
      ],
    });
    await recordEntries(handle.db, office, actor, year.id, { entries: [{ staff: ding.staffNo, component: 'leadership', period: '年终', score: 80 }] });
    await yearAction(handle.db, office, actor, year.id, { action: 'compute' });
    const [row] = (await listAssessments(handle.db, office, year.id)).rows;
    expect(row!.a.components.map((c) => [c.key, c.value, c.n])).toEqual([
      ['quarters', 90.4313, 6 + 4 + 4 + 4],
      ['leadership', 80, 1],
    ]);
    expect(row!.a.compositeScore).toBe(89.9097);
    expect(yearScore([91.725, 90, 85, 95], 80).score).toBe(89.9097);
  });
});

describe('the quota with ties, end to end', () => {
  // 10 staff, 20% → 2 places; 平时考核 100%, 民主测评 entered at 0% weight as the tie-break:
  // | 工号 | MT01 96 | MT02 93 (民主 90) | MT03 93 (民主 85) | MT04 93 (民主 85) | MT05 88 | MT06–10 70–78 |
  // resolved:   优秀 MT01, MT02 (tie on 93 broken by 民主测评); MT03, MT04 beyond the quota
  // unresolved (MT02 民主 85 too): 优秀 MT01 only; MT02–04 tied for the last place, all held back and marked
  it('resolves the tie by the documented rule, or holds the tied group back and shows it', async () => {
    const s = await school('名额小学', 'MT', ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']);
    const year = await createYear(handle.db, office, actor, {
      unit: '名额小学',
      year: 2026,
      title: '名额小学 2026 年度考核',
      components: [
        { key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' },
        { key: 'democratic', kind: 'democratic', name: '民主测评', weight: 0, source: 'entries' },
      ],
      rules: { thresholds: { excellent: 90, qualified: 75, basicallyQualified: 60 }, excellentQuotaPercent: 20, tieBreakComponent: 'democratic' },
    });
    const scores = [96, 93, 93, 93, 88, 70, 72, 74, 76, 78];
    await recordEntries(handle.db, office, actor, year.id, {
      entries: [
        ...scores.map((score, i) => ({ staff: `MT${String(i + 1).padStart(2, '0')}`, period: '全年', score })),
        ...[80, 90, 85, 85].map((score, i) => ({ staff: `MT0${i + 1}`, component: 'democratic', period: '全年', score })),
      ],
    });
    const grades = async () => {
      await yearAction(handle.db, office, actor, year.id, { action: 'compute' });
      const { rows } = await listAssessments(handle.db, office, year.id);
      return Object.fromEntries(rows.slice(0, 5).map((r) => [r.staffNo, [r.a.proposedGrade, r.a.notes.map((n) => n.code).join(',')]]));
    };
    expect(await grades()).toEqual({
      MT01: ['excellent', ''],
      MT02: ['excellent', 'tie_broken'],
      MT03: ['qualified', 'quota,tie_broken'],
      MT04: ['qualified', 'quota,tie_broken'],
      MT05: ['qualified', ''],
    });
    await recordEntries(handle.db, office, actor, year.id, { entries: [{ staff: 'MT02', component: 'democratic', period: '全年', score: 85 }] });
    expect(await grades()).toEqual({
      MT01: ['excellent', ''],
      MT02: ['qualified', 'quota_tie'],
      MT03: ['qualified', 'quota_tie'],
      MT04: ['qualified', 'quota_tie'],
      MT05: ['qualified', ''],
    });
    void s;
  });
});

describe('平时考核 import', () => {
  it('refuses a file with bad rows, listing each, and writes nothing; a good file is applied whole', async () => {
    const s = await school('导入小学', 'DR', ['赵', '钱']);
    const year = await createYear(handle.db, office, actor, {
      unit: '导入小学',
      year: 2026,
      title: '导入小学 2026 年度考核',
      components: [{ key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' }],
    });
    const upload = async (rows: (string | number)[][]) => {
      const form = new FormData();
      form.set('file', new File([Buffer.from(await makeXlsx({ 平时考核: [['工号', '姓名', '考核项目', '考核期间', '得分', '处分', '备注'], ...rows] }))], 'entries.xlsx'));
      return api('POST', `/api/v1/assessment-years/${year.id}/entries/import`, { yearId: year.id }, form);
    };
    const bad = await upload([
      ['DR01', '赵', '平时考核', '第一季度', 92, '', ''],
      ['DR99', '', '', '第一季度', 90, '', ''],
      ['DR02', '钱', '', '第一季度', 120, '', ''],
      ['DR02', '孙', '', '', 80, '', ''],
      ['DR01', '', '出勤', '第二季度', 85, '', ''],
    ]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { message: string }) => i.message)).toEqual([
      '平时考核 第 3 行 工号：找不到该工号的教职工：DR99',
      '平时考核 第 4 行 得分：得分应为 0–100 的数字：120',
      '平时考核 第 5 行 姓名：姓名与工号不符：孙',
      '平时考核 第 5 行 考核期间：必填。',
      '平时考核 第 6 行 考核项目：找不到考核项目：出勤',
    ]);
    expect(await handle.db.select().from(regularAssessments).where(eq(regularAssessments.yearId, year.id))).toEqual([]);
    const good = await upload([
      ['DR01', '赵', '平时考核', '第一季度', 92, '', ''],
      ['DR02', '钱', '', '第一季度', 81, '警告', '违反师德规范'],
    ]);
    expect(good.body).toEqual({ applied: true, checked: 2, written: 2 });
    const [warned] = await handle.db.select().from(regularAssessments).where(and(eq(regularAssessments.yearId, year.id), eq(regularAssessments.staffId, s.people[1]!.id)));
    expect([warned!.score, warned!.sanction]).toEqual([81, '警告']);
  });
});
