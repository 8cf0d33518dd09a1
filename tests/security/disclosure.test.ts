/**
 * Attacks 1–3 of issue 14 (results before release and below the threshold), each performed through
 * the real route handlers on a real database, with answers submitted through the respond route so
 * the counts are real. Every test asserts the attack fails.
 *
 * The round (threshold 5, comments 5), at 披露小学 unless noted, one ballot form per teacher:
 * | teacher | 学生 (70%)                              | 家长 (30%) | comments                 |
 * | 甲      | 8 (only 2 answer the optional 关爱 item)  | 3          |                          |
 * | 乙      | 7, all 满意                               |            |                          |
 * | 丙      | 3, all 不满意                             |            | 丙老师专属意见            |
 * | 丁      | 12 here, and 6 more at 二校 (two schools) |            | 一校意见… / 二校意见…     |
 * Complementary suppression in 学生: 丙 (3) is hidden, so is the next smallest, 乙 (7).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { classes, raterGroups, rounds, staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

/* eslint-disable @typescript-eslint/no-explicit-any -- JSON bodies read field by field */
type Json = Record<string, any>;

let handle: DbHandle;
const actor = { type: 'cli', label: 'test' } as const;
const PASSWORD = 'disclosure-test-password';
let roundId: string;
let schoolId: string;
let school2Id: string;
let studentGroup: string;
let parentGroup: string;
const people: Record<string, string> = {};
const auth: Record<string, Record<string, string>> = {};
let keyN = 0;
const usedCodes = new Set<string>();

/** Calls the route handler serving `path` as the server would. */
async function api(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const bare = path.split('?')[0]!;
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare))!;
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = new RegExp(`^${e.path.replace(/\{\w+\}/g, '([^/]+)')}$`).exec(bare)!.slice(1);
  const res = await (await routeHandler(e))(
    new Request(`http://localhost${path}`, {
      method,
      headers: { origin: 'http://localhost', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(auth[who] ?? {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve(Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i]!)]))) },
  );
  const text = res.headers.get('content-type')?.includes('json') ? await res.text() : '';
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

const results = async (who: string, qs: string) => {
  const r = await api(who, 'GET', `/api/v1/rounds/${roundId}/results?${qs}`);
  expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(200);
  return r.body;
};

/** Every number in a JSON value, with its path. */
function numbersIn(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => numbersIn(v, path ? `${path}.${k}` : k));
  return [];
}

beforeAll(async () => {
  handle = await freshDatabase();
  setAppDatabase(handle);
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const office = { role: 'office' as const, unitId: district!.id };
  const [s1] = await handle.db.insert(units).values({ kind: 'school', name: '披露小学', parentId: district!.id }).returning();
  const [s2] = await handle.db.insert(units).values({ kind: 'school', name: '披露二校', parentId: district!.id }).returning();
  schoolId = s1!.id;
  school2Id = s2!.id;
  await handle.db.insert(classes).values([s1!, s2!].map((s) => ({ schoolId: s.id, grade: 5, name: '五年级(1)班', expectedStudents: 40, expectedParents: 40 })));
  const staffRows = await handle.db
    .insert(staff)
    .values(['甲', '乙', '丙', '丁'].map((name, i) => ({ unitId: schoolId, staffNo: `PL0${i + 1}`, name, position: '教师' })))
    .returning();
  for (const s of staffRows) people[s.name] = s.id;

  // callers: API keys for the office and both schools' admins, a login for teacher 甲
  const key = async (name: string, role: 'office' | 'school_admin', unit: string) => ({ authorization: `Bearer ${(await createApiKey(handle.db, actor, { name, role, unit })).key}` });
  auth.office = await key('披露-office', 'office', '巷道学区');
  auth.principal = await key('披露-principal', 'school_admin', '披露小学');
  auth.principal2 = await key('披露-principal2', 'school_admin', '披露二校');
  await handle.db.insert(users).values({ username: 'pl_jia', displayName: '甲', passwordHash: await hashPassword(PASSWORD), role: 'staff', unitId: schoolId, staffId: people['甲'] });
  const login = await (await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/session' && e.method === 'post')!))(
    new Request('http://localhost/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://localhost', 'x-forwarded-for': '10.9.9.9' }, body: JSON.stringify({ username: 'pl_jia', password: PASSWORD }) }),
    { params: Promise.resolve({}) },
  );
  expect(login.status).toBe(200);
  auth.jia = { cookie: login.headers.get('set-cookie')!.split(';')[0]! };

  const SAT = ['satisfied', 'fair', 'unsatisfied'];
  const { template } = await createTemplate(handle.db, office, actor, {
    kind: 'student',
    name: '披露测试评教表',
    definition: {
      pingyiSubject: 'ballot',
      elements: [
        { type: 'radiogroup', name: 'teaching', title: '教学', isRequired: true, choices: SAT, pingyiDimension: '教学', pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 } },
        { type: 'radiogroup', name: 'care', title: '关爱', choices: SAT, pingyiDimension: '关爱', pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 } },
        { type: 'comment', name: 'comments', title: '意见建议', pingyiRole: 'comment' },
      ],
    },
  });
  const teachers = ['甲', '乙', '丙', '丁'];
  const round = await createRound(handle.db, office, actor, {
    title: '披露测试',
    schoolYear: '2026-2027',
    term: 1,
    units: ['披露小学', '披露二校'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    anonymityThreshold: 5,
    commentThreshold: 5,
    raterGroups: [
      { kind: 'student', name: '学生', weight: 70 },
      { kind: 'parent', name: '家长', weight: 30 },
    ],
    forms: [
      ...teachers.map((t) => ({ templateId: template.id, raterGroup: 0, subjectMode: 'ballot' as const, ballot: [`PL0${teachers.indexOf(t) + 1}`] })),
      { templateId: template.id, raterGroup: 1, subjectMode: 'ballot' as const, ballot: ['PL01'] },
    ],
  });
  roundId = round.id;
  await roundAction(handle.db, office, actor, roundId, { action: 'open' });
  const groups = await handle.db.select().from(raterGroups).where(eq(raterGroups.roundId, roundId));
  studentGroup = groups.find((g) => g.name === '学生')!.id;
  parentGroup = groups.find((g) => g.name === '家长')!.id;
  const forms = await handle.db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, roundId) });
  const formFor = async (teacher: string, group: string) => {
    for (const f of forms) {
      if (f.raterGroupId !== group) continue;
      const ballot = await handle.db.query.ballotEntries.findMany({ where: (b, { eq: is }) => is(b.formId, f.id) });
      if (ballot[0]?.staffId === people[teacher]) return f.id;
    }
    throw new Error(`no form for ${teacher}`);
  };

  /** Answers through POST /api/v1/respond/{token} with fresh one-time codes of that form and school. */
  const answer = async (teacher: string, group: string, school: string, list: Json[]) => {
    const formId = await formFor(teacher, group);
    await issueLinks(handle.db, office, actor, roundId, { kind: 'code', formId, count: list.length, schoolId: school });
    const codes = (await listLinks(handle.db, office, { type: 'system', label: 'test' }, roundId, { kind: 'code', via: 'api' })).filter((l) => l.formId === formId && l.schoolId === school && !usedCodes.has(l.token));
    for (const [i, a] of list.entries()) {
      usedCodes.add(codes[i]!.token);
      const r = await api('respondent', 'POST', `/api/v1/respond/${codes[i]!.token}`, { idempotencyKey: `disclose-${String(++keyN).padStart(10, '0')}`, answers: { [people[teacher]!]: a } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
  };
  const many = (n: number, a: Json) => Array.from({ length: n }, () => a);
  await answer('甲', studentGroup, schoolId, [
    { teaching: 'satisfied', care: 'unsatisfied' },
    { teaching: 'fair', care: 'unsatisfied' },
    ...many(3, { teaching: 'satisfied' }),
    ...many(3, { teaching: 'fair' }),
  ]);
  await answer('甲', parentGroup, schoolId, many(3, { teaching: 'unsatisfied', care: 'unsatisfied' }));
  await answer('乙', studentGroup, schoolId, many(7, { teaching: 'satisfied', care: 'satisfied' }));
  await answer('丙', studentGroup, schoolId, many(3, { teaching: 'unsatisfied', care: 'unsatisfied', comments: '丙老师专属意见' }));
  await answer('丁', studentGroup, schoolId, [...many(6, { teaching: 'satisfied', care: 'satisfied', comments: '一校对丁老师的意见' }), ...many(6, { teaching: 'fair', care: 'fair' })]);
  await answer('丁', studentGroup, school2Id, many(6, { teaching: 'fair', care: 'satisfied', comments: '二校对丁老师的意见' }));
}, 300_000);

afterAll(() => handle.close());

async function closeAndRelease(action: 'release_schools' | 'release_staff') {
  await handle.db.update(rounds).set({ opensAt: new Date(Date.now() - 7_200_000), closesAt: new Date(Date.now() - 1000) }).where(and(eq(rounds.id, roundId), eq(rounds.status, 'open')));
  const r = await api('office', 'POST', `/api/v1/rounds/${roundId}/actions`, { action });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
}

describe('attack 1: results through the annual assessment', () => {
  let yearId: string;

  beforeAll(async () => {
    const created = await api('office', 'POST', '/api/v1/assessment-years', {
      unit: '披露小学',
      year: 2026,
      title: '披露小学 2026 年度考核',
      components: [
        { key: 'student', kind: 'student', name: '学生评教', weight: 70, source: 'round_score', roundIds: [roundId] },
        { key: 'regular', kind: 'regular', name: '平时考核', weight: 30, source: 'entries' },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    yearId = created.body.id;
    const entries = await api('office', 'POST', `/api/v1/assessment-years/${yearId}/entries`, { entries: ['PL01', 'PL02', 'PL03', 'PL04'].map((s) => ({ staff: s, period: '全年', score: 90 })) });
    expect(entries.status).toBeLessThan(300);
    // computed while the round is still open and unreleased
    expect((await api('office', 'POST', `/api/v1/assessment-years/${yearId}/actions`, { action: 'compute' })).status).toBe(200);
  });

  const byName = (body: Json): Json => Object.fromEntries((body.assessments as Json[]).map((a) => [a.name, a]));

  it('a school admin reading the assessments before the round is released gets no figure from it', async () => {
    const office = byName((await api('office', 'GET', `/api/v1/assessment-years/${yearId}/assessments`)).body);
    expect(office['丙'].components[0].value).toEqual(expect.any(Number));
    expect(office['丙'].components[0].n).toBe(3);
    const seen = await api('principal', 'GET', `/api/v1/assessment-years/${yearId}/assessments`);
    expect(seen.status).toBe(200);
    for (const a of seen.body.assessments as Json[]) {
      expect(a.components[0]).toMatchObject({ key: 'student', value: null, satisfaction: null, n: null, withheld: true });
      // the composite and the rank would give the withheld component back
      expect([a.compositeScore, a.rank, a.withheld]).toEqual([null, null, true]);
      expect(a.components[1]).toMatchObject({ key: 'regular', value: 90, withheld: false });
    }
  });

  it('after release, only figures published whole are shown: the suppressed teacher, its complement and a partly hidden one stay withheld', async () => {
    await closeAndRelease('release_schools');
    const office = byName((await api('office', 'GET', `/api/v1/assessment-years/${yearId}/assessments`)).body);
    const seen = byName((await api('principal', 'GET', `/api/v1/assessment-years/${yearId}/assessments`)).body);
    // 丁: every cell behind the figure is published; the admin reads it (rounded) with its n: her
    // pooled figure over both schools (12 + 6), most of it from this school
    expect(seen['丁'].components[0]).toMatchObject({ value: Math.round(office['丁'].components[0].value * 10) / 10, n: 18, withheld: false });
    expect(seen['丁'].compositeScore).toBe(Math.round(office['丁'].compositeScore * 100) / 100);
    // 丙 (3 students), 乙 (its complement) and 甲 (3 parents hidden): nothing to subtract from
    for (const name of ['甲', '乙', '丙']) {
      expect(seen[name].components[0]).toMatchObject({ value: null, n: null, withheld: true });
      expect(seen[name].compositeScore).toBeNull();
    }
  });

  it('a staff member cannot subtract their dashboard figure from their assessment to recover the hidden parents', async () => {
    await closeAndRelease('release_staff');
    const office = byName((await api('office', 'GET', `/api/v1/assessment-years/${yearId}/assessments`)).body);
    const signed = await api('office', 'POST', `/api/v1/assessment-years/${yearId}/sign`, {
      items: Object.values(office).map((a: Json) => ({ staffId: a.staffId, grade: a.proposedGrade ?? 'qualified', ...(a.proposedGrade ? {} : { reason: '无得分，人工评定' }) })),
    });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect((await api('office', 'POST', `/api/v1/assessment-years/${yearId}/actions`, { action: 'announce' })).status).toBe(200);

    const dashboard = await results('jia', `level=subject&subjectId=${people['甲']}`);
    const students = dashboard.subject.groups.find((g: Json) => g.raterGroupId === studentGroup);
    const parents = dashboard.subject.groups.find((g: Json) => g.raterGroupId === parentGroup);
    expect(students.score).toEqual(expect.any(Number));
    expect([parents.suppressed, parents.score, parents.respondents]).toEqual([true, null, null]);
    const mine = await api('jia', 'GET', `/api/v1/assessment-years/${yearId}/assessments`);
    expect(mine.status).toBe(200);
    const row = (mine.body.assessments as Json[])[0]!;
    expect(row.name).toBe('甲');
    // the attack: parents = (component − 0.7 × students) ÷ 0.3, or from the composite
    const fromComponent = row.components[0].value === null ? null : (row.components[0].value - 0.7 * students.score) / 0.3;
    const fromComposite = row.compositeScore === null ? null : ((row.compositeScore - 0.3 * 90) / 0.7 - 0.7 * students.score) / 0.3;
    expect([fromComponent, fromComposite]).toEqual([null, null]);
    expect(row.grade).toEqual(expect.any(String));
    // the office's exact figure does include the parents (55): it differs from the dashboard
    expect(office['甲'].components[0].value).not.toBe(students.score);
  });
});

describe('attack 2: differencing the school total against the visible teachers', () => {
  const filter = `level=school&schoolId=${'{school}'}&raterGroupId={group}&dimension=教学`;
  const q = () => filter.replace('{school}', schoolId).replace('{group}', studentGroup);

  it('subtracting every visible teacher from the school total does not give the suppressed teacher', async () => {
    const office = await results('office', `level=subject&subjectId=${people['丙']}&raterGroupId=${studentGroup}&dimension=教学`);
    const truth = office.subject.groups.find((g: Json) => g.raterGroupId === studentGroup);
    expect([truth.respondents, truth.satisfaction]).toEqual([3, 0]);

    const seen = await results('principal', q());
    const groupOf = (s: Json) => s.groups.find((g: Json) => g.raterGroupId === studentGroup);
    const total = groupOf(seen.school);
    const visible = (seen.subjects as Json[]).filter((s) => !s.suppressed && groupOf(s) && !groupOf(s).suppressed);
    const hidden = (seen.subjects as Json[]).filter((s) => !visible.includes(s));
    // the attack: respondents and 满意 answers of the school minus those of every visible teacher
    const n = total.respondents - visible.reduce((sum, s) => sum + groupOf(s).respondents, 0);
    const yes = Math.round(total.satisfaction * total.respondents) - visible.reduce((sum, s) => sum + Math.round(groupOf(s).satisfaction * groupOf(s).respondents), 0);
    expect(n).not.toBe(3);
    expect(yes / n).not.toBe(0);
    // what it gives is the pooled complement: 丙 with 乙 (10 students, 7 满意)
    expect(hidden.map((s) => s.name).sort()).toEqual(['丙', '乙']);
    expect([n, yes]).toEqual([10, 7]);
    // no count travels with a hidden cell
    for (const s of hidden) expect([s.respondents, s.void, s.flagged, s.score, s.satisfaction, groupOf(s)?.respondents ?? null]).toEqual([null, null, null, null, null, null]);
    // the complement is hidden on its own page too, so it cannot be read there and subtracted
    const complement = await results('principal', `level=subject&subjectId=${people['乙']}`);
    expect(complement.subject).toMatchObject({ suppressed: true, respondents: null, score: null, satisfaction: null, dimensions: null });
    expect(numbersIn(complement.subject)).toEqual([]);
    expect(complement.items.every((i: Json) => i.suppressed && i.stats === null)).toBe(true);
  });

  it('publishes shares to one decimal of a percent and scores to one decimal below the office', async () => {
    const seen = await results('principal', `level=school&schoolId=${schoolId}`);
    const detail = await results('principal', `level=subject&subjectId=${people['丁']}`);
    for (const [path, x] of [...numbersIn(seen), ...numbersIn(detail)]) {
      if (/satisfaction|share/.test(path)) expect(Math.abs(x * 1000 - Math.round(x * 1000)), path).toBeLessThan(1e-9);
      else if (/score|shrunk|mean|median|sd|ci95|dimensions|Variance|pooledMean/i.test(path) && !/weight|Threshold/.test(path)) expect(Math.abs(x * 10 - Math.round(x * 10)), path).toBeLessThan(1e-9);
    }
    // the office still gets the exact figures, with the small cell marked
    const office = await results('office', `level=school&schoolId=${schoolId}`);
    expect((office.subjects as Json[]).find((s) => s.name === '丙')).toMatchObject({ respondents: 3, belowThreshold: true });
  });

  it('the xlsx results export holds no figure or count of the hidden teachers', async () => {
    const res = await (await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/rounds/{roundId}/results/export')!))(
      new Request(`http://localhost/api/v1/rounds/${roundId}/results/export?level=school&schoolId=${schoolId}`, { headers: auth.principal }),
      { params: Promise.resolve({ roundId }) },
    );
    expect(res.status).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const rows: unknown[][] = [];
    wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    for (const name of ['乙', '丙']) {
      const row = rows.find((r) => r[0] === name)!;
      expect(row.slice(2).filter((c) => typeof c === 'number')).toEqual([]);
    }
  });
});

describe('attack 3: filters and comments that isolate small cells', () => {
  it('a dimension filter gives no score built from an item only two people answered', async () => {
    const office = await results('office', `level=subject&subjectId=${people['甲']}&raterGroupId=${studentGroup}&dimension=关爱`);
    expect(office.subject.score).toBe(55);
    for (const qs of [`level=school&schoolId=${schoolId}&raterGroupId=${studentGroup}&dimension=关爱`, `level=school&schoolId=${schoolId}&dimension=关爱`]) {
      const seen = await results('principal', qs);
      const jia = (seen.subjects as Json[]).find((s) => s.name === '甲')!;
      expect(jia.score, qs).toBeNull();
      expect(jia.dimensions?.['关爱'] ?? null).toBeNull();
    }
    const page = await results('principal', `level=subject&subjectId=${people['甲']}&dimension=关爱`);
    expect(page.subject.score).toBeNull();
    expect(page.items.filter((i: Json) => i.question === 'care').every((i: Json) => i.suppressed && i.stats === null)).toBe(true);
    // nor can it be differenced out of the school's 关爱 figure: the remaining published cell (丁) is not alone with it
    const school = await results('principal', `level=school&schoolId=${schoolId}&raterGroupId=${studentGroup}&dimension=关爱`);
    const visible = (school.subjects as Json[]).filter((s) => s.score !== null);
    expect(visible.map((s) => s.name)).toEqual(['丁']);
    const ding = await results('office', `level=subject&subjectId=${people['丁']}&raterGroupId=${studentGroup}&dimension=关爱`);
    expect(school.school.score).not.toBe(ding.subject.score);
  });

  it("the school's comments leave out a teacher whose own comments are held back", async () => {
    const office = await results('office', `level=school&schoolId=${schoolId}`);
    expect(office.comments.list).toContain('丙老师专属意见');
    const seen = await results('principal', `level=school&schoolId=${schoolId}`);
    expect(seen.comments.suppressed).toBe(false);
    expect(seen.comments.list).toContain('一校对丁老师的意见');
    expect(seen.comments.list).not.toContain('丙老师专属意见');
    expect(JSON.stringify(seen.comments.keywords)).not.toContain('专属');
    const own = await results('principal', `level=subject&subjectId=${people['丙']}`);
    expect(own.comments).toEqual({ suppressed: true, total: 0, list: [], keywords: [] });
  });

  it("comments about a teacher rated in two schools reach each school's admin only from their own school", async () => {
    const one = await results('principal', `level=subject&subjectId=${people['丁']}`);
    expect(one.comments.list).toContain('一校对丁老师的意见');
    expect(one.comments.list).not.toContain('二校对丁老师的意见');
    expect(one.subject.respondents).toBe(12);
    const two = await results('principal2', `level=subject&subjectId=${people['丁']}`);
    expect(two.comments.list).toContain('二校对丁老师的意见');
    expect(two.comments.list).not.toContain('一校对丁老师的意见');
    expect(two.subject.respondents).toBe(6);
    const office = await results('office', `level=subject&subjectId=${people['丁']}`);
    expect(office.comments.list).toEqual(expect.arrayContaining(['一校对丁老师的意见', '二校对丁老师的意见']));
  });

  it('the trends API and the district level carry no figure of a hidden cell either', async () => {
    const trends = await api('principal', 'GET', `/api/v1/results/trends?subjectId=${people['丙']}`);
    expect(trends.status).toBe(200);
    for (const r of trends.body.rounds as Json[]) if (r.subject) expect([r.subject.score, r.subject.respondents]).toEqual([null, null]);
    const district = await results('principal', 'level=district');
    expect(district.schools.map((s: Json) => s.key)).toEqual([schoolId]);
  });
});
