/**
 * Units graded in an assessment year (学校目标责任制考核): each school of the district is graded from
 * its satisfaction, its own appraisal as a ballot subject, its 领导班子's appraisal and the office's
 * manual entries, through the same composite, thresholds, quota, sign-off and 公示 as staff.
 *
 * Round S (school mode, one item 满意 100 / 基本满意 75 / 不满意 55; 满意率 = (满意+基本满意) ÷ valid):
 * | school | answers                 | 满意率 | component value |
 * | 东关   | 满意 满意 基本满意       | 3/3    | 100             |
 * | 西街   | 满意 基本满意 不满意 不满意 | 2/4 | 50              |
 *
 * Round A (ballot: 东关小学, 西街小学, 东关班子, 西街班子; A/B/C/D = 100/80/60/40), colleagues 50%
 * (three of each school: six ballots, more than five, so one highest and one lowest are dropped),
 * outside representatives 50% (three, no school: the district part):
 * | subject  | colleagues (6)  | trimmed       | mean | reps (3) | mean | pooled 0.5/0.5 |
 * | 东关小学 | A A B B A B     | 80 80 100 100 | 90   | A B C    | 80   | 85             |
 * | 西街小学 | B B C A B B     | 80 80 80 80   | 80   | B B B    | 80   | 80             |
 * | 东关班子 | A B A B C B     | 80 80 80 100  | 85   | A B C    | 80   | 82.5           |
 * | 西街班子 | B C B A A A     | 80 80 100 100 | 90   | C C C    | 60   | 75             |
 *
 * Manual entries (督导检查): 东关 92; 西街 70 and 80 → 75.
 * Composite = 30% satisfaction + 30% own appraisal + 20% 领导班子 + 20% entries:
 * | unit | 0.3×sat | 0.3×appraisal | 0.2×team | 0.2×entries | composite | rank | proposal (90/75/60, quota 50% of 2 = 1) |
 * | 东关 | 30      | 25.5          | 16.5     | 18.4        | 90.4      | 1    | 优秀 |
 * | 西街 | 15      | 24            | 15       | 15          | 69        | 2    | 基本合格 |
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { raterGroups, roundForms, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';
import { readXlsx } from '../helpers/xlsx';

const actor = { type: 'cli', label: 'test' } as const;
let handle: DbHandle;
let officeKey: string;
let adminKey: string;
let districtId: string;
let yearId: string;
let roundAId: string;
const ids: Record<string, string> = {};
const office = () => ({ role: 'office' as const, unitId: districtId });

async function call(method: 'get' | 'post', path: string, key: string | null, body?: unknown) {
  const e = ENDPOINTS.find((x) => x.method === method && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const segments = path.split('?')[0]!.split('/');
  const params = Object.fromEntries(e.path.split('/').flatMap((p, i) => (/^\{\w+\}$/.test(p) ? [[p.slice(1, -1), segments[i]!]] : [])));
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method: method.toUpperCase(), headers, body: body === undefined ? undefined : JSON.stringify(body) }), {
    params: Promise.resolve(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const window = () => ({ opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() });

/** Submits each [link label, answers] through the real answering path. */
async function answer(roundId: string, formId: string, list: [string, Record<string, Record<string, string>>][]) {
  const links = await listLinks(handle.db, office(), actor, roundId, { kind: 'personal', via: 'api' });
  for (const [who, answers] of list) {
    const link = links.find((l) => l.formId === formId && l.label.includes(who))!;
    await submitResponse(handle.db, link.token, '10.9.0.1', { idempotencyKey: randomBytes(12).toString('hex'), answers });
  }
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: false });
  setAppDatabase(handle);
  const db = handle.db;
  const [county] = await db.insert(units).values({ kind: 'county', name: '考核县' }).returning();
  const [district] = await db.insert(units).values({ kind: 'district', name: '考核学区', parentId: county!.id }).returning();
  districtId = district!.id;
  const [a] = await db.insert(units).values({ kind: 'school', name: '东关小学', parentId: districtId, sortOrder: 1 }).returning();
  const [b] = await db.insert(units).values({ kind: 'school', name: '西街小学', parentId: districtId, sortOrder: 2 }).returning();
  const [ta] = await db.insert(units).values({ kind: 'team', name: '东关小学领导班子', parentId: a!.id }).returning();
  const [tb] = await db.insert(units).values({ kind: 'team', name: '西街小学领导班子', parentId: b!.id }).returning();
  Object.assign(ids, { a: a!.id, b: b!.id, ta: ta!.id, tb: tb!.id });
  await db.insert(staff).values([
    ...[1, 2, 3].map((i) => ({ unitId: a!.id, staffNo: `KA0${i}`, name: `东关${i}`, position: '教师' })),
    ...[1, 2, 3, 4].map((i) => ({ unitId: b!.id, staffNo: `KB0${i}`, name: `西街${i}`, position: '教师' })),
  ]);
  officeKey = (await createApiKey(db, actor, { name: 'office', role: 'office', unit: '考核学区' })).key;
  adminKey = (await createApiKey(db, actor, { name: 'admin', role: 'school_admin', unit: '东关小学' })).key;

  // round S: each school's satisfaction, answered by its staff
  const sat = await createTemplate(db, office(), actor, {
    kind: 'satisfaction',
    name: '学校满意度',
    definition: {
      pingyiSubject: 'school',
      elements: [{ type: 'radiogroup', name: 's', title: '总体满意度', isRequired: true, choices: ['satisfied', 'fair', 'unsatisfied'], pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 } }],
    },
  });
  const roundS = await createRound(db, office(), actor, {
    title: '学校满意度测评', schoolYear: '2026-2027', term: 1, ...window(), anonymityThreshold: 3,
    raterGroups: [{ kind: 'colleague', name: '教职工', weight: 100 }],
    forms: [{ templateId: sat.template.id, raterGroup: 0, subjectMode: 'school' }],
  });
  await roundAction(db, office(), actor, roundS.id, { action: 'open' });
  const [formS] = await db.select().from(roundForms).where(eq(roundForms.roundId, roundS.id));
  await issueLinks(db, office(), actor, roundS.id, { kind: 'personal', formId: formS!.id, people: ['KA01', 'KA02', 'KA03', 'KB01', 'KB02', 'KB03', 'KB04'] });
  const s = (school: string, v: string) => ({ [school]: { s: v } });
  await answer(roundS.id, formS!.id, [
    ['东关1', s(ids.a!, 'satisfied')], ['东关2', s(ids.a!, 'satisfied')], ['东关3', s(ids.a!, 'fair')],
    ['西街1', s(ids.b!, 'satisfied')], ['西街2', s(ids.b!, 'fair')], ['西街3', s(ids.b!, 'unsatisfied')], ['西街4', s(ids.b!, 'unsatisfied')],
  ]);

  // round A: the schools and their 领导班子 on one ballot
  const ballot = await createTemplate(db, office(), actor, {
    kind: 'appraisal',
    name: '单位评议票',
    definition: { pingyiSubject: 'ballot', elements: [{ type: 'radiogroup', name: 'g', title: '评价', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: { A: 100, B: 80, C: 60, D: 40 } }] },
  });
  const roundA = await createRound(db, office(), actor, {
    title: '学校及领导班子评议', schoolYear: '2026-2027', term: 1, ...window(), anonymityThreshold: 3,
    raterGroups: [{ kind: 'colleague', name: '同事', weight: 50 }, { kind: 'representative', name: '评议代表', weight: 50 }],
    forms: [0, 1].map((g) => ({ templateId: ballot.template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot: ['东关小学', '西街小学', '@teams'] })),
  });
  roundAId = roundA.id;
  await roundAction(db, office(), actor, roundA.id, { action: 'open' });
  const groups = await db.select().from(raterGroups).where(eq(raterGroups.roundId, roundA.id));
  const forms = await db.select().from(roundForms).where(eq(roundForms.roundId, roundA.id));
  const formOf = (name: string) => forms.find((f) => f.raterGroupId === groups.find((g) => g.name === name)!.id)!.id;
  await issueLinks(db, office(), actor, roundA.id, { kind: 'personal', formId: formOf('同事'), people: ['KA01', 'KA02', 'KA03', 'KB01', 'KB02', 'KB03'] });
  await issueLinks(db, office(), actor, roundA.id, { kind: 'personal', formId: formOf('评议代表'), people: ['代表一', '代表二', '代表三'] });
  // grades of 东关小学, 西街小学, 东关班子, 西街班子
  const v = (g: string) => Object.fromEntries([ids.a!, ids.b!, ids.ta!, ids.tb!].map((id, i) => [id, { g: g[i]! }]));
  await answer(roundA.id, formOf('同事'), [['东关1', v('ABAB')], ['东关2', v('ABBC')], ['东关3', v('BCAB')], ['西街1', v('BABA')], ['西街2', v('ABCA')], ['西街3', v('BBBA')]]);
  await answer(roundA.id, formOf('评议代表'), [['代表一', v('ABAC')], ['代表二', v('BBBC')], ['代表三', v('CBCC')]]);
  for (const id of [roundS.id, roundA.id]) {
    await roundAction(db, office(), actor, id, { action: 'close' });
    await roundAction(db, office(), actor, id, { action: 'release_schools' });
  }

  const made = await call('post', '/api/v1/assessment-years', officeKey, {
    unit: '考核学区',
    year: 2026,
    title: '2026年度学校目标责任制考核',
    components: [
      { key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' },
      { key: 'satisfaction', kind: 'parent', name: '满意度', weight: 30, source: 'school_satisfaction', roundIds: [roundS.id], appliesTo: 'unit' },
      { key: 'appraisal', kind: 'democratic', name: '单位评议', weight: 30, source: 'unit_score', roundIds: [roundA.id], appliesTo: 'unit' },
      { key: 'team', kind: 'democratic', name: '领导班子评议', weight: 20, source: 'team_score', roundIds: [roundA.id], appliesTo: 'unit' },
      { key: 'inspection', kind: 'other', name: '督导检查', weight: 20, source: 'entries', appliesTo: 'unit' },
    ],
    rules: { excellentQuotaPercent: 50 },
  });
  expect(made.status).toBe(201);
  yearId = made.body.id as string;
}, 180_000);
afterAll(() => handle.close());

type Row = { subject: string; name: string; subjectUnitId: string | null; staffId: string | null; components: { key: string; value: number | null }[]; compositeScore: number | null; rank: number | null; proposedGrade: string | null; grade: string | null };
const unitRows = async (key: string) => ((await call('get', `/api/v1/assessment-years/${yearId}/assessments`, key)).body.assessments as Row[]).filter((r) => r.subject === 'unit');

describe('units graded in an assessment year', () => {
  it('a unit component must come from a unit source, and each group’s weights sum to 100', async () => {
    const bad = await call('post', '/api/v1/assessment-years', officeKey, {
      unit: '东关小学', year: 2027, title: 'x',
      components: [
        { key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' },
        { key: 'team', kind: 'democratic', name: '班子', weight: 60, source: 'team_score', roundIds: [yearId] },
        { key: 'inspection', kind: 'other', name: '督导', weight: 30, source: 'entries', appliesTo: 'unit' },
      ],
    });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body.error as { fields: Record<string, string[]> }).fields).sort()).toEqual(['components', 'components.1.source']);
  });

  it('the office records manual entries of units; an unknown unit is refused, a school admin may not', async () => {
    const wrong = await call('post', `/api/v1/assessment-years/${yearId}/unit-entries`, officeKey, { entries: [{ unit: '东关小学', period: '全年', score: 92 }, { unit: '北关小学', period: '全年', score: 50 }] });
    expect(wrong.status).toBe(400);
    expect(Object.keys((wrong.body.error as { fields: Record<string, string[]> }).fields)).toEqual(['entries.1.unit']);
    expect((await call('post', `/api/v1/assessment-years/${yearId}/unit-entries`, adminKey, { entries: [{ unit: '东关小学', period: '全年', score: 100 }] })).status).toBe(403);
    const ok = await call('post', `/api/v1/assessment-years/${yearId}/unit-entries`, officeKey, {
      entries: [{ unit: '东关小学', period: '全年', score: 92 }, { unit: '西街小学', period: '上半年', score: 70 }, { unit: '西街小学', period: '下半年', score: 80 }],
    });
    expect(ok.body).toEqual({ written: 3 });
  });

  it('computes every component, the composite, rank and proposal of the hand table', async () => {
    const computed = await call('post', `/api/v1/assessment-years/${yearId}/actions`, officeKey, { action: 'compute' });
    expect(computed.status).toBe(200);
    const rows = await unitRows(officeKey);
    const table = rows.map((r) => [r.name, ...r.components.map((c) => c.value), r.compositeScore, r.rank, r.proposedGrade]);
    const expected = [
      ['东关小学', 100, 85, 82.5, 92, 90.4, 1, 'excellent'],
      ['西街小学', 50, 80, 75, 75, 69, 2, 'basically_qualified'],
    ];
    expect(table.map((r) => r.slice(0, 1).concat(r.slice(6)))).toEqual(expected.map((r) => r.slice(0, 1).concat(r.slice(6))));
    for (const [i, row] of expected.entries()) for (let j = 1; j <= 5; j++) expect(table[i]![j] as number).toBeCloseTo(row[j] as number, 4);
  });

  it('the xlsx summary carries the units’ components and composites of the hand table', async () => {
    const e = ENDPOINTS.find((x) => x.method === 'get' && x.path === '/api/v1/assessment-years/{yearId}/export')!;
    const res = await (await routeHandler(e))(new Request(`http://localhost/api/v1/assessment-years/${yearId}/export?kind=summary`, { headers: { authorization: `Bearer ${officeKey}` } }), {
      params: Promise.resolve({ yearId }),
    });
    expect(res.status).toBe(200);
    const sheet = Object.values(await readXlsx(new Uint8Array(await res.arrayBuffer())))[0]!;
    const row = (name: string) => sheet.find((r) => r[2] === name)!;
    // the units' block: unit, 工号 (none), name, position, the four unit components, composite
    const header = sheet[sheet.findIndex((r) => r[2] === '东关小学') - 1]!;
    expect(header.slice(4, 8)).toEqual(['满意度 (30%)', '单位评议 (30%)', '领导班子评议 (20%)', '督导检查 (20%)']);
    expect(row('东关小学').slice(4, 9).map(Number)).toEqual([100, 85, 82.5, 92, 90.4]);
    expect(row('西街小学').slice(4, 9).map(Number)).toEqual([50, 80, 75, 75, 69]);
  });

  it('东关’s admin reads their own school’s grade as a unit, not 西街’s; its appraisal, pooled mostly from elsewhere, once the office releases it', async () => {
    // 东关's own part of its appraisal is 3 of 9 ballots: held back like a person rated mostly elsewhere
    const before = await unitRows(adminKey);
    expect(before.map((r) => [r.name, r.compositeScore, r.components.map((c) => c.value)])).toEqual([['东关小学', null, [100, null, null, 92]]]);
    expect((await call('post', `/api/v1/rounds/${roundAId}/actions`, officeKey, { action: 'release_pooled' })).status).toBe(200);
    const after = await unitRows(adminKey);
    expect(after.map((r) => [r.name, r.compositeScore, r.components.map((c) => c.value)])).toEqual([['东关小学', 90.4, [100, 85, 82.5, 92]]]);
  });

  it('signed off as for staff (an override needs a reason), then announced with the units’ grades on the 公示 list', async () => {
    const rows = await unitRows(officeKey);
    const west = rows.find((r) => r.name === '西街小学')!;
    const noReason = await call('post', `/api/v1/assessment-years/${yearId}/sign`, officeKey, { items: [{ unitId: west.subjectUnitId, grade: 'qualified' }] });
    expect(noReason.status).toBe(400);
    const both = await call('post', `/api/v1/assessment-years/${yearId}/sign`, officeKey, { items: [{ staffId: west.subjectUnitId, unitId: west.subjectUnitId, grade: 'qualified', reason: 'x' }] });
    expect(both.status).toBe(400);
    const all = (await call('get', `/api/v1/assessment-years/${yearId}/assessments`, officeKey)).body.assessments as Row[];
    const items = all.map((r) =>
      r.subject === 'unit'
        ? { unitId: r.subjectUnitId, grade: r.name === '西街小学' ? 'qualified' : r.proposedGrade, ...(r.name === '西街小学' ? { reason: '整改到位，经领导小组研究' } : {}) }
        : { staffId: r.staffId, grade: 'qualified', reason: '无平时考核记录，按合格' },
    );
    expect((await call('post', `/api/v1/assessment-years/${yearId}/sign`, officeKey, { items })).status).toBe(200);
    expect((await call('post', `/api/v1/assessment-years/${yearId}/actions`, officeKey, { action: 'announce' })).status).toBe(200);
    const announcement = await call('get', `/api/v1/announcements/${yearId}`, null);
    expect(announcement.body.units).toEqual([
      { id: expect.any(String), name: '东关小学', grade: 'excellent' },
      { id: expect.any(String), name: '西街小学', grade: 'qualified' },
    ]);
    expect((announcement.body.list as unknown[]).length).toBe(7);
  });
});
