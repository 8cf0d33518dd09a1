/**
 * A district's democratic appraisal counts every ballot once and in the right place (issue 17).
 *
 * Round 1 (民主评议): four rater groups rate two district leaders (staff of the 学区办公室), the
 * 学区办公室 itself and two schools' 领导班子 on one ballot, every ballot through the real
 * submission route:
 *   - 教职工代表 (colleague, 40%): three colleagues of 东关小学 and three of 西街小学 (their school's part)
 *   - 校长 (leader, 20%): the two principals (their school's part)
 *   - 评议代表 (representative, 30%): four outside representatives, personal links issued to free
 *     labels: no school (the district part)
 *   - 效能监督岗 (representative, 10%): three members of the supervision post, free labels (district part)
 * Round 2 (学生评教): a teacher assigned in both schools, rated by students of both (学生 70%) and by
 * colleagues of her own school (同事 30%).
 *
 * The expected figures are computed by hand from the ballot table below (`reference`, plain
 * arithmetic over the lists, rounded to four decimals at the same steps as the published scheme:
 * item, group, composite), and one person's figures are also written out in full.
 * The results API, the xlsx export and the annual assessment must equal them to four decimals.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { classes, roundForms, staff, teachingAssignments, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { getRoundResults } from '@/lib/scoring/queries';
import { createTemplate } from '@/lib/surveys/templates';
import { resolveToken } from '@/lib/responses/respond';
import { ballotEntries } from '@/lib/db/schema';
import { asc } from 'drizzle-orm';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';
import { readXlsx } from '../helpers/xlsx';

const actor = { type: 'cli', label: 'test' } as const;
const SCORE: Record<string, number> = { A: 100, B: 80, C: 60, D: 40 };
const GRADE: Record<string, string> = { Y: '优秀', C: '称职', J: '基本称职', N: '不称职' };

// ---------------------------------------------------------------------------------------------
// The ballot table of round 1. Subjects in ballot order; each cell is 思想观念 · 工作作风 · 等次
// (A/B/C/D = 100/80/60/40; Y 优秀, C 称职, J 基本称职, N 不称职).

const SUBJECTS = ['L1', 'L2', 'OFFICE', 'TEAM_A', 'TEAM_B'] as const;
type SubjectKey = (typeof SUBJECTS)[number];
type Part = 'A' | 'B' | 'district';
type Group = 'colleague' | 'leader' | 'rep' | 'post';
const WEIGHT: Record<Group, number> = { colleague: 40, leader: 20, rep: 30, post: 10 };

const BALLOTS: { rater: string; group: Group; part: Part; cells: string[] }[] = [
  { rater: 'DA01', group: 'colleague', part: 'A', cells: ['AAY', 'BAC', 'ABC', 'AAY', 'BBC'] },
  { rater: 'DA02', group: 'colleague', part: 'A', cells: ['ABY', 'BBC', 'BBC', 'ABY', 'CBJ'] },
  { rater: 'DA03', group: 'colleague', part: 'A', cells: ['BAC', 'CBJ', 'AAY', 'BAC', 'BCC'] },
  { rater: 'XB01', group: 'colleague', part: 'B', cells: ['BBC', 'AAY', 'BCC', 'CBC', 'AAY'] },
  { rater: 'XB02', group: 'colleague', part: 'B', cells: ['CBJ', 'ABY', 'BBC', 'BBC', 'ABY'] },
  { rater: 'XB03', group: 'colleague', part: 'B', cells: ['AAY', 'BAC', 'CCJ', 'BCJ', 'BAC'] },
  { rater: 'DA00', group: 'leader', part: 'A', cells: ['AAY', 'ABY', 'BBC', 'AAY', 'BBC'] },
  { rater: 'XB00', group: 'leader', part: 'B', cells: ['BAC', 'AAY', 'ABC', 'BBC', 'AAY'] },
  { rater: '党代表甲', group: 'rep', part: 'district', cells: ['AAY', 'BBC', 'BBC', 'ABY', 'BAC'] },
  { rater: '人大代表乙', group: 'rep', part: 'district', cells: ['BBC', 'CCJ', 'CBJ', 'BBC', 'ABY'] },
  { rater: '政协委员丙', group: 'rep', part: 'district', cells: ['ABY', 'BAC', 'BCC', 'AAY', 'CCJ'] },
  { rater: '家长代表丁', group: 'rep', part: 'district', cells: ['DCN', 'BBC', 'ABC', 'BAC', 'BBC'] },
  { rater: '监督员一', group: 'post', part: 'district', cells: ['ABY', 'BCC', 'BBC', 'AAY', 'BBC'] },
  { rater: '监督员二', group: 'post', part: 'district', cells: ['BAC', 'ABY', 'CBJ', 'ABY', 'BAC'] },
  { rater: '监督员三', group: 'post', part: 'district', cells: ['BBC', 'BBC', 'BAC', 'BBC', 'ABY'] },
];

// L1 (学区主任) written out in full:
// | group            | part      | 思想观念 scores             | item   | 工作作风 scores            | item    | group score |
// | 教职工代表 40%   | 东关 (A)  | 100 100 80                  | 93.3333| 100 80 100                 | 93.3333 | 93.3333     |
// |                  | 西街 (B)  | 80 60 100                   | 80     | 80 80 100                  | 86.6667 | 83.3333     |
// |                  | pooled    | 60 [80 80 100 100] 100 → 90 | 90     | 80 [80 80 100 100] 100     | 90      | 90          |
// | 校长 20%         | A / B     | 100 / 80                    |        | 100 / 100                  |         | 100 / 90    |
// |                  | pooled    | 100 80                      | 90     | 100 100                    | 100     | 95          |
// | 评议代表 30%     | district  | 100 80 100 40               | 80     | 100 80 80 60               | 80      | 80          |
// | 效能监督岗 10%   | district  | 100 80 80                   | 86.6667| 80 100 80                  | 86.6667 | 86.6667     |
// pooled (six colleagues: more than five ratings, the highest and lowest dropped over both schools):
//   0.4×90 + 0.2×95 + 0.3×80 + 0.1×86.6667 = 36 + 19 + 24 + 8.6667 = 87.6667
// 东关 part: colleagues 93.3333 and principal 100 only → (40×93.3333 + 20×100) ÷ 60 = 95.5555 (groups are
//   rounded to four decimals before they are weighed, as on the paper tally)
// 等次 votes: 优秀 DA01 DA02 XB03 DA00 党代表甲 政协委员丙 监督员一 = 7; 称职 DA03 XB01 XB00 人大代表乙
//   监督员二 监督员三 = 6; 基本称职 XB02 = 1; 不称职 家长代表丁 = 1 (15 ballots).
const L1 = { pooled: 87.6667, partA: 95.5555, groups: { colleague: 90, leader: 95, rep: 80, post: 86.6667 }, votes: { 优秀: 7, 称职: 6, 基本称职: 1, 不称职: 1 } };

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** The published item score: above five ratings drop one highest and one lowest. */
const itemScore = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return round4(avg(s.length > 5 ? s.slice(1, -1) : s));
};

/** Hand computation over the ballot table: a subject's group scores and composite over some parts. */
function reference(subject: SubjectKey, parts: readonly Part[]) {
  const i = SUBJECTS.indexOf(subject);
  const groups = {} as Record<Group, number | null>;
  const dims = {} as Record<Group, { 思想观念: number; 工作作风: number } | null>;
  for (const g of Object.keys(WEIGHT) as Group[]) {
    const mine = BALLOTS.filter((b) => b.group === g && parts.includes(b.part)).map((b) => b.cells[i]!);
    if (!mine.length) {
      groups[g] = null;
      dims[g] = null;
      continue;
    }
    const sx = itemScore(mine.map((c) => SCORE[c[0]!]!));
    const zf = itemScore(mine.map((c) => SCORE[c[1]!]!));
    dims[g] = { 思想观念: sx, 工作作风: zf };
    groups[g] = round4((sx + zf) / 2);
  }
  const present = (Object.keys(WEIGHT) as Group[]).filter((g) => groups[g] !== null);
  const total = present.reduce((s, g) => s + WEIGHT[g], 0);
  const composite = round4(present.reduce((s, g) => s + WEIGHT[g] * groups[g]!, 0) / total);
  const votes: Record<string, number> = {};
  for (const b of BALLOTS.filter((x) => parts.includes(x.part))) votes[GRADE[b.cells[i]![2]!]!] = (votes[GRADE[b.cells[i]![2]!]!] ?? 0) + 1;
  return { groups, dims, composite, votes };
}

const ALL: Part[] = ['A', 'B', 'district'];

// Round 2 (学生评教, 教学 A/B/C/D): 冯老师 teaches 东关 三(1) and 西街 四(1); 陈老师 only 东关 三(1).
// | group     | 东关 (A)           | 西街 (B)     | pooled                                         |
// | 学生 70%  | 100 100 80 60 → 85 | 80 60 60 → 66.6667 | 60 [60 60 80 80 100] 100 → 76           |
// | 同事 30%  | 100 80 80 → 86.6667| —            | 86.6667                                        |
// pooled 0.7×76 + 0.3×86.6667 = 53.2 + 26 = 79.2; 东关 part (70×85 + 30×86.6667) ÷ 100 = 85.5;
// 西街 part: students only, 66.6667 (weights renormalised). Applying the weights per school and
// averaging would give (85.5 + 66.6667) ÷ 2 = 76.0833: not the pooled figure.
const FENG = { pooled: 79.2, partA: 85.5, partB: 66.6667, students: 76, colleagues: 86.6667 };
// 陈老师: students 80 80 100 100 → 90 (no colleague ballot about her): 90.
// 吴老师 belongs to 西街 but teaches only in 东关 三(1): 80 80 100 60 → 80, all of it from 东关.

let handle: DbHandle;
let officeKey: string;
let adminAKey: string;
let adminBKey: string;
const office = { role: 'office' as const, unitId: '' };
const ids = {} as Record<SubjectKey | 'FENG' | 'CHEN' | 'WU' | 'schoolA' | 'schoolB' | 'district', string>;
let round1: string;
let round2: string;

const route = (method: string, path: string) => routeHandler(ENDPOINTS.find((e) => e.method === method && e.path === path)!);

async function get(path: string, key: string, params: Record<string, string>) {
  const template = ENDPOINTS.find((e) => e.method === 'get' && new RegExp(`^${e.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const fn = await routeHandler(template);
  const res = await fn(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve(params) });
  return res;
}

async function results(roundId: string, key: string, query: Record<string, string>) {
  const res = await get(`/api/v1/rounds/${roundId}/results?${new URLSearchParams(query)}`, key, { roundId });
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function submit(token: string, answers: Record<string, Record<string, unknown>>) {
  const post = await route('post', '/api/v1/respond/{token}');
  const res = await post(
    new Request(`http://localhost/api/v1/respond/${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', 'x-forwarded-for': '10.17.0.1' },
      body: JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers }),
    }),
    { params: Promise.resolve({ token }) },
  );
  if (res.status !== 201) throw new Error(`respond: ${res.status} ${await res.text()}`);
}

/** Personal links of a form, by the label they were issued to (a staff member's is 姓名（工号）). */
async function personalTokens(roundId: string, formId: string) {
  const list = await listLinks(handle.db, office, actor, roundId, { kind: 'personal', via: 'api' });
  return new Map(list.filter((l) => l.formId === formId).map((l) => [l.label.match(/（(.+)）$/)?.[1] ?? l.label, l.token]));
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: false });
  setAppDatabase(handle);
  const db = handle.db;
  const [county] = await db.insert(units).values({ kind: 'county', name: '评议县' }).returning();
  const [district] = await db.insert(units).values({ kind: 'district', name: '河湾学区', parentId: county!.id }).returning();
  office.unitId = ids.district = district!.id;
  const [officeUnit] = await db.insert(units).values({ kind: 'office', name: '河湾学区办公室', parentId: district!.id }).returning();
  const [a] = await db.insert(units).values({ kind: 'school', name: '东关小学', parentId: district!.id, sortOrder: 1 }).returning();
  const [b] = await db.insert(units).values({ kind: 'school', name: '西街小学', parentId: district!.id, sortOrder: 2 }).returning();
  const [teamA] = await db.insert(units).values({ kind: 'team', name: '东关小学领导班子', parentId: a!.id }).returning();
  const [teamB] = await db.insert(units).values({ kind: 'team', name: '西街小学领导班子', parentId: b!.id }).returning();
  Object.assign(ids, { OFFICE: officeUnit!.id, TEAM_A: teamA!.id, TEAM_B: teamB!.id, schoolA: a!.id, schoolB: b!.id });
  const people = await db
    .insert(staff)
    .values([
      { unitId: officeUnit!.id, staffNo: 'HW01', name: '学区主任', position: '学区主任' },
      { unitId: officeUnit!.id, staffNo: 'HW02', name: '学区副主任', position: '副主任' },
      { unitId: a!.id, staffNo: 'DA00', name: '东关校长', position: '校长' },
      ...[1, 2, 3].map((i) => ({ unitId: a!.id, staffNo: `DA0${i}`, name: `东关教师${i}`, position: '教师' })),
      { unitId: a!.id, staffNo: 'DA10', name: '冯老师', position: '教师' },
      { unitId: a!.id, staffNo: 'DA11', name: '陈老师', position: '教师' },
      { unitId: b!.id, staffNo: 'XB00', name: '西街校长', position: '校长' },
      ...[1, 2, 3].map((i) => ({ unitId: b!.id, staffNo: `XB0${i}`, name: `西街教师${i}`, position: '教师' })),
      { unitId: b!.id, staffNo: 'XB10', name: '吴老师', position: '教师' },
      { unitId: a!.id, staffNo: 'DA04', name: '东关教导主任', position: '教导主任' },
    ])
    .returning();
  const byNo = new Map(people.map((p) => [p.staffNo, p.id]));
  Object.assign(ids, { L1: byNo.get('HW01')!, L2: byNo.get('HW02')!, FENG: byNo.get('DA10')!, CHEN: byNo.get('DA11')!, WU: byNo.get('XB10')! });
  officeKey = (await createApiKey(db, actor, { name: 'office', role: 'office', unit: '河湾学区' })).key;
  adminAKey = (await createApiKey(db, actor, { name: 'admin-a', role: 'school_admin', unit: '东关小学' })).key;
  adminBKey = (await createApiKey(db, actor, { name: 'admin-b', role: 'school_admin', unit: '西街小学' })).key;
  const window = { opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };

  // ---- round 1: the district appraisal
  const { template: ballot } = await createTemplate(db, office, actor, {
    kind: 'appraisal',
    name: '民主评议票（五查）',
    definition: {
      pingyiSubject: 'ballot',
      elements: [
        { type: 'radiogroup', name: 'sx', title: '思想观念', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: SCORE, pingyiDimension: '思想观念' },
        { type: 'radiogroup', name: 'zf', title: '工作作风', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: SCORE, pingyiDimension: '工作作风' },
        { type: 'radiogroup', name: 'dc', title: '等次', isRequired: true, choices: Object.values(GRADE), pingyiRole: 'grade_vote' },
        { type: 'comment', name: 'yj', title: '意见建议', pingyiRole: 'comment' },
      ],
    },
  });
  const ballotList = ['HW01', 'HW02', '河湾学区办公室', '东关小学领导班子', '西街小学领导班子'];
  const r1 = await createRound(db, office, actor, {
    title: '2026 学区民主评议',
    schoolYear: '2026-2027',
    term: 1,
    units: ['东关小学', '西街小学'],
    ...window,
    anonymityThreshold: 3,
    commentThreshold: 3,
    raterGroups: [
      { kind: 'colleague', name: '教职工代表', weight: 40 },
      { kind: 'leader', name: '校长', weight: 20 },
      { kind: 'representative', name: '评议代表', weight: 30 },
      { kind: 'representative', name: '效能监督岗', weight: 10 },
    ],
    forms: [0, 1, 2, 3].map((g) => ({ templateId: ballot.id, raterGroup: g, subjectMode: 'ballot' as const, ballot: ballotList })),
  });
  round1 = r1.id;
  await roundAction(db, office, actor, round1, { action: 'open' });
  const groups = await db.query.raterGroups.findMany({ where: (g, { eq: is }) => is(g.roundId, round1) });
  const forms = await db.select().from(roundForms).where(eq(roundForms.roundId, round1));
  const formOf = (name: string) => forms.find((f) => f.raterGroupId === groups.find((g) => g.name === name)!.id)!.id;
  const groupName: Record<Group, string> = { colleague: '教职工代表', leader: '校长', rep: '评议代表', post: '效能监督岗' };
  for (const g of Object.keys(groupName) as Group[]) {
    const people = BALLOTS.filter((x) => x.group === g).map((x) => x.rater);
    await issueLinks(db, office, actor, round1, { kind: 'personal', formId: formOf(groupName[g]), people });
  }
  for (const g of Object.keys(groupName) as Group[]) {
    const tokens = await personalTokens(round1, formOf(groupName[g]));
    for (const b of BALLOTS.filter((x) => x.group === g)) {
      await submit(
        tokens.get(b.rater)!,
        Object.fromEntries(SUBJECTS.map((s, i) => [ids[s], { sx: b.cells[i]![0], zf: b.cells[i]![1], dc: GRADE[b.cells[i]![2]!], yj: `${b.rater}对${s}的意见` }])),
      );
    }
  }

  // ---- round 2: student evaluation, a teacher in two schools
  const [classA] = await db.insert(classes).values({ schoolId: a!.id, grade: 3, name: '三(1)班', expectedStudents: 4 }).returning();
  const [classB] = await db.insert(classes).values({ schoolId: b!.id, grade: 4, name: '四(1)班', expectedStudents: 3 }).returning();
  await db.insert(teachingAssignments).values([
    { staffId: ids.FENG, classId: classA!.id, subject: '语文', schoolYear: '2026-2027' },
    { staffId: ids.FENG, classId: classB!.id, subject: '语文', schoolYear: '2026-2027' },
    { staffId: ids.CHEN, classId: classA!.id, subject: '数学', schoolYear: '2026-2027' },
    { staffId: ids.WU, classId: classA!.id, subject: '英语', schoolYear: '2026-2027' },
  ]);
  const { template: student } = await createTemplate(db, office, actor, {
    kind: 'student',
    name: '学生评教',
    definition: { elements: [{ type: 'radiogroup', name: 'jx', title: '教学', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: SCORE, pingyiDimension: '工作落实' }] },
  });
  const r2 = await createRound(db, office, actor, {
    title: '2026 学生评教',
    schoolYear: '2026-2027',
    term: 1,
    units: ['东关小学', '西街小学'],
    ...window,
    anonymityThreshold: 3,
    raterGroups: [
      { kind: 'student', name: '学生', weight: 70 },
      { kind: 'colleague', name: '同事', weight: 30 },
    ],
    forms: [
      { templateId: student.id, raterGroup: 0, subjectMode: 'class_teachers' },
      { templateId: student.id, raterGroup: 1, subjectMode: 'ballot', ballot: ['DA10'] },
    ],
  });
  round2 = r2.id;
  await roundAction(db, office, actor, round2, { action: 'open' });
  const forms2 = await db.select().from(roundForms).where(eq(roundForms.roundId, round2));
  const g2 = await db.query.raterGroups.findMany({ where: (g, { eq: is }) => is(g.roundId, round2) });
  const studentForm = forms2.find((f) => f.raterGroupId === g2.find((g) => g.name === '学生')!.id)!.id;
  const colleagueForm = forms2.find((f) => f.raterGroupId === g2.find((g) => g.name === '同事')!.id)!.id;
  await issueLinks(db, office, actor, round2, { kind: 'class', formId: studentForm });
  await issueLinks(db, office, actor, round2, { kind: 'personal', formId: colleagueForm, people: ['DA01', 'DA02', 'DA03'] });
  const classLinks = await listLinks(handle.db, office, actor, round2, { kind: 'class', via: 'api' });
  const tokenA = classLinks.find((l) => l.classId === classA!.id)!.token;
  const tokenB = classLinks.find((l) => l.classId === classB!.id)!.token;
  for (const [feng, chen, wu] of [['A', 'B', 'B'], ['A', 'B', 'B'], ['B', 'A', 'A'], ['C', 'A', 'C']]) {
    await submit(tokenA, { [ids.FENG]: { jx: feng }, [ids.CHEN]: { jx: chen }, [ids.WU]: { jx: wu } });
  }
  for (const feng of ['B', 'C', 'C']) await submit(tokenB, { [ids.FENG]: { jx: feng } });
  const colleagueTokens = await personalTokens(round2, colleagueForm);
  for (const [no, v] of [['DA01', 'A'], ['DA02', 'B'], ['DA03', 'B']] as const) await submit(colleagueTokens.get(no)!, { [ids.FENG]: { jx: v } });

  for (const r of [round1, round2]) {
    await roundAction(db, office, actor, r, { action: 'close' });
    await roundAction(db, office, actor, r, { action: 'release_schools' });
  }
}, 120_000);
afterAll(() => handle.close());

describe('the hand-computed table', () => {
  it('L1 written out in full agrees with the reference computation', () => {
    const r = reference('L1', ALL);
    expect(r.composite).toBe(L1.pooled);
    expect(r.groups).toEqual(L1.groups);
    expect(r.votes).toEqual(L1.votes);
    expect(reference('L1', ['A']).composite).toBe(L1.partA);
  });
});

describe('round 1: every ballot counts once, in its rater group, for every person and unit on it', () => {
  it.each(SUBJECTS)('%s: the office reads the pooled figure of all four groups, outside representatives included', async (key) => {
    const { status, body } = await results(round1, officeKey, { level: 'subject', subjectId: ids[key] });
    expect(status).toBe(200);
    const ref = reference(key, ALL);
    expect(body.subject.respondents).toBe(BALLOTS.length);
    expect(body.subject.score).toBeCloseTo(ref.composite, 4);
    for (const g of body.subject.groups as { name: string; score: number; respondents: number; dimensions: Record<string, number> }[]) {
      const group = ({ 教职工代表: 'colleague', 校长: 'leader', 评议代表: 'rep', 效能监督岗: 'post' } as const)[g.name as '校长']!;
      expect(g.respondents).toBe(BALLOTS.filter((b) => b.group === group).length);
      expect(g.score).toBeCloseTo(ref.groups[group]!, 4);
      expect(g.dimensions.思想观念).toBeCloseTo(ref.dims[group]!.思想观念, 4);
      expect(g.dimensions.工作作风).toBeCloseTo(ref.dims[group]!.工作作风, 4);
    }
    // 等次 votes over every group, the representatives' included
    const votes: Record<string, number> = {};
    for (const g of body.grades) for (const v of g.votes) votes[v.text] = (votes[v.text] ?? 0) + v.count;
    for (const [grade, n] of Object.entries(ref.votes)) expect(votes[grade]).toBe(n);
    expect(body.comments.total).toBe(BALLOTS.length);
  });

  it('lists each part of a subject (each school and the district part) with its own figure', async () => {
    const { body } = await results(round1, officeKey, { level: 'subject', subjectId: ids.L1 });
    const parts = new Map((body.parts as { key: string; score: number; respondents: number }[]).map((p) => [p.key, p]));
    expect(parts.get(ids.schoolA)!.score).toBeCloseTo(reference('L1', ['A']).composite, 4);
    expect(parts.get(ids.schoolB)!.score).toBeCloseTo(reference('L1', ['B']).composite, 4);
    expect(parts.get(ids.district)!.score).toBeCloseTo(reference('L1', ['district']).composite, 4);
    expect(parts.get(ids.district)!.respondents).toBe(7);
  });

  it('the district figure holds every ballot once; the office sees the district-wide subjects pooled', async () => {
    const { body } = await results(round1, officeKey, { level: 'district' });
    expect(body.district.respondents).toBe(BALLOTS.length);
    const subjects = new Map((body.subjects as { key: string; score: number; respondents: number }[]).map((x) => [x.key, x]));
    expect(subjects.size).toBe(SUBJECTS.length);
    for (const key of SUBJECTS) {
      expect(subjects.get(ids[key])!.score).toBeCloseTo(reference(key, ALL).composite, 4);
      expect(subjects.get(ids[key])!.respondents).toBe(BALLOTS.length);
    }
    // a school admin's district page lists no pooled figure of anyone
    expect((await results(round1, adminAKey, { level: 'district' })).body.subjects).toEqual([]);
  });

  it('the xlsx export of a subject carries the same figure', async () => {
    for (const key of SUBJECTS) {
      const res = await get(`/api/v1/rounds/${round1}/results/export?level=subject&subjectId=${ids[key]}`, officeKey, { roundId: round1 });
      expect(res.status).toBe(200);
      const sheets = await readXlsx(new Uint8Array(await res.arrayBuffer()));
      const row = sheets['汇总']![1]!;
      expect(Number(row[2])).toBe(BALLOTS.length);
      expect(Number(row[3])).toBeCloseTo(reference(key, ALL).composite, 4);
    }
  });

  it('the raw answers export holds the representatives’ ballots, one row per subject on them', async () => {
    const res = await get(`/api/v1/rounds/${round1}/results/export?kind=raw`, officeKey, { roundId: round1 });
    expect(res.status).toBe(200);
    const sheets = await readXlsx(new Uint8Array(await res.arrayBuffer()));
    // 4 representatives and 3 members of the supervision post, 5 subjects each (the principals'
    // groups, one ballot per school, are below the threshold of 3 and left out)
    expect(sheets['评议代表']!.length - 1).toBe(4 * SUBJECTS.length);
    expect(sheets['效能监督岗']!.length - 1).toBe(3 * SUBJECTS.length);
    expect(sheets['教职工代表']!.length - 1).toBe(6 * SUBJECTS.length);
  });

  it('the trend of a unit carries its pooled figure', async () => {
    const res = await get(`/api/v1/results/trends?subjectId=${ids.OFFICE}`, officeKey, {});
    const body = (await res.json()) as { rounds: { id: string; subject: { score: number } | null }[] };
    expect(body.rounds.find((r) => r.id === round1)!.subject!.score).toBeCloseTo(reference('OFFICE', ALL).composite, 4);
  });

  it("a school's page shows its own part and ranks no office staff among its teachers", async () => {
    const { body } = await results(round1, officeKey, { level: 'school', schoolId: ids.schoolA });
    const l1 = (body.subjects as { key: string; score: number; rank: number | null }[]).find((s) => s.key === ids.L1)!;
    expect(l1.score).toBeCloseTo(L1.partA, 4);
    expect(l1.rank).toBeNull();
    expect((body.subjects as { rank: number | null }[]).every((s) => s.rank === null)).toBe(true);
  });

  it("a school admin reads only their school's part, never the pooled figure", async () => {
    const { status, body } = await results(round1, adminAKey, { level: 'subject', subjectId: ids.L1 });
    expect(status).toBe(200);
    // 东关: colleagues 3 (shown), principal 1 (below the threshold of 3: hidden) → colleagues only
    expect(body.subject.score).toBe(Math.round(reference('L1', ['A']).groups.colleague! * 10) / 10);
    expect(body.subject.score).not.toBe(Math.round(L1.pooled * 10) / 10);
    expect((body.parts as { key: string }[]).map((p) => p.key)).toEqual([ids.schoolA]);
    // the representatives' ballots (the district part) are not the school's
    expect(body.subject.groups.find((g: { name: string }) => g.name === '评议代表').score).toBeNull();
  });
});

describe('round 2: a teacher assigned in two schools', () => {
  it('the office reads the pooled figure, rater-group weights applied once', async () => {
    const { body } = await results(round2, officeKey, { level: 'subject', subjectId: ids.FENG });
    expect(body.subject.score).toBeCloseTo(FENG.pooled, 4);
    const groups = new Map((body.subject.groups as { name: string; score: number }[]).map((g) => [g.name, g.score]));
    expect(groups.get('学生')).toBeCloseTo(FENG.students, 4);
    expect(groups.get('同事')).toBeCloseTo(FENG.colleagues, 4);
  });

  it("each school's view shows only its own part", async () => {
    const a = await results(round2, officeKey, { level: 'school', schoolId: ids.schoolA });
    expect(a.body.subjects.find((s: { key: string }) => s.key === ids.FENG).score).toBeCloseTo(FENG.partA, 4);
    const b = await results(round2, adminBKey, { level: 'school', schoolId: ids.schoolB });
    expect(b.status).toBe(200);
    expect(b.body.subjects.map((s: { key: string }) => s.key)).toEqual([ids.FENG]);
    expect(b.body.subjects[0].score).toBe(Math.round(FENG.partB * 10) / 10);
    const own = await results(round2, adminBKey, { level: 'subject', subjectId: ids.FENG });
    expect(own.body.subject.score).toBe(Math.round(FENG.partB * 10) / 10);
    expect(own.body.subject.score).not.toBe(Math.round(FENG.pooled * 10) / 10);
  });
});

describe('a staff member reads their own figure whole', () => {
  it('冯老师 sees her pooled figure, not her school’s part, once released to staff', async () => {
    await roundAction(handle.db, office, actor, round2, { action: 'release_staff' });
    const me = { role: 'staff' as const, unitId: ids.schoolA, staffId: ids.FENG };
    const r = await getRoundResults(handle.db, me, round2, { level: 'subject', subjectId: ids.FENG });
    // below the office: published to one decimal; every cell of hers has at least 3 respondents
    expect(r.subject!.score).toBe(Math.round(FENG.pooled * 10) / 10);
    expect(r.parts.map((p) => p.key).sort()).toEqual([ids.schoolA, ids.schoolB].sort());
    await expect(getRoundResults(handle.db, me, round2, { level: 'subject', subjectId: ids.CHEN })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the annual assessment reads each person’s pooled figure', () => {
  it('components equal the pooled figures, not one school’s part', async () => {
    const post = await route('post', '/api/v1/assessment-years');
    const created = await post(
      new Request('http://localhost/api/v1/assessment-years', {
        method: 'POST',
        headers: { authorization: `Bearer ${officeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          unit: '河湾学区',
          year: 2026,
          title: '河湾学区 2026 年度考核',
          components: [
            { key: 'democratic', kind: 'democratic', name: '民主评议', weight: 50, source: 'round_score', roundIds: [round1] },
            { key: 'student', kind: 'student', name: '学生评教', weight: 50, source: 'round_score', roundIds: [round2] },
          ],
        }),
      }),
      { params: Promise.resolve({}) },
    );
    expect(created.status).toBe(201);
    const yearId = ((await created.json()) as { id: string }).id;
    const action = await route('post', '/api/v1/assessment-years/{yearId}/actions');
    const computed = await action(
      new Request(`http://localhost/api/v1/assessment-years/${yearId}/actions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'compute' }),
      }),
      { params: Promise.resolve({ yearId }) },
    );
    expect(computed.status).toBe(200);
    const res = await get(`/api/v1/assessment-years/${yearId}/assessments`, officeKey, { yearId });
    const rows = ((await res.json()) as { assessments: { staffId: string; components: { key: string; value: number | null; n: number }[] }[] }).assessments;
    const value = (staffId: string, key: string) => rows.find((r) => r.staffId === staffId)!.components.find((c) => c.key === key)!;
    for (const key of ['L1', 'L2'] as const) {
      expect(value(ids[key], 'democratic').value).toBeCloseTo(reference(key, ALL).composite, 4);
      expect(value(ids[key], 'democratic').n).toBe(BALLOTS.length);
    }
    expect(value(ids.FENG, 'student').value).toBeCloseTo(FENG.pooled, 4);
    expect(value(ids.FENG, 'student').n).toBe(10);
    expect(value(ids.CHEN, 'student').value).toBeCloseTo(90, 4);
    expect(value(ids.WU, 'student').value).toBeCloseTo(80, 4);

    // 东关's admin reads 冯老师's pooled figure (7 of her 10 respondents are 东关's), rounded
    const seenA = await get(`/api/v1/assessment-years/${yearId}/assessments`, adminAKey, { yearId });
    const rowsA = ((await seenA.json()) as { assessments: { staffId: string; components: { key: string; value: number | null; withheld: boolean }[] }[] }).assessments;
    expect(rowsA.find((r) => r.staffId === ids.FENG)!.components.find((c) => c.key === 'student')).toMatchObject({ value: 79.2, withheld: false });
    expect(rowsA.some((r) => r.staffId === ids.L1 || r.staffId === ids.WU)).toBe(false);
    // 西街's admin never reads the figure of 吴老师, rated only in 东关
    const seenB = await get(`/api/v1/assessment-years/${yearId}/assessments`, adminBKey, { yearId });
    const rowsB = ((await seenB.json()) as { assessments: { staffId: string; compositeScore: number | null; components: { key: string; value: number | null; withheld: boolean }[] }[] }).assessments;
    const wu = rowsB.find((r) => r.staffId === ids.WU)!;
    expect(wu.components.find((c) => c.key === 'student')).toMatchObject({ value: null, withheld: true });
    expect(wu.compositeScore).toBeNull();
  });
});

describe('ballots by position', () => {
  it('expands @principals, @middle, @office and @teams in order, each once, and refuses an unknown selector', async () => {
    const [template] = await handle.db.query.templates.findMany({ where: (t, { eq: is }) => is(t.name, '民主评议票（五查）') });
    const input = (ballot: string[]) => ({
      title: '按岗位的评议',
      schoolYear: '2026-2027',
      term: 2 as const,
      units: ['东关小学', '西街小学'],
      opensAt: new Date(Date.now() - 3_600_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      raterGroups: [{ kind: 'colleague' as const, name: '教职工代表', weight: 100 }],
      forms: [{ templateId: template!.id, raterGroup: 0, subjectMode: 'ballot' as const, ballot }],
    });
    const round = await createRound(handle.db, office, actor, input(['@principals', '@middle', '@office', '@teams', 'DA00']));
    const [form] = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, round.id));
    const entries = await handle.db.select().from(ballotEntries).where(eq(ballotEntries.formId, form!.id)).orderBy(asc(ballotEntries.sortOrder));
    const names = new Map<string, string>([
      ...(await handle.db.select().from(staff)).map((p) => [p.id, p.staffNo] as [string, string]),
      [ids.TEAM_A, 'TEAM_A'],
      [ids.TEAM_B, 'TEAM_B'],
    ]);
    expect(entries.map((e) => names.get((e.staffId ?? e.unitId)!))).toEqual(['DA00', 'XB00', 'DA04', 'HW01', 'HW02', 'TEAM_A', 'TEAM_B']);
    await expect(createRound(handle.db, office, actor, input(['HW01', '@nobody']))).rejects.toMatchObject({ fields: { 'forms.0.ballot.1': [{ key: 'ballot_selector' }] } });

    // a colleague never rates themselves: 东关校长's own link lists everyone else
    await roundAction(handle.db, office, actor, round.id, { action: 'open' });
    await issueLinks(handle.db, office, actor, round.id, { kind: 'personal', formId: form!.id, people: ['DA00', '党代表甲'] });
    const tokens = await personalTokens(round.id, form!.id);
    const own = await resolveToken(handle.db, tokens.get('DA00')!, '10.17.0.2');
    const principalA = [...names].find(([, no]) => no === 'DA00')![0];
    expect(own.subjects.map((x) => x.key)).not.toContain(principalA);
    expect(own.subjects).toHaveLength(6);
    const outsider = await resolveToken(handle.db, tokens.get('党代表甲')!, '10.17.0.2');
    expect(outsider.subjects).toHaveLength(7);
  });
});
