/**
 * Attack: a school admin tries to read the pooled figure of a district leader rated by every school
 * and by outside representatives (the district part), or another school's part of it, through every
 * door of the real app: the subject page, a rater-group filter, the district part as a "school",
 * the xlsx export and the trend. Each gives only their own school's part.
 *
 * Ballots (A/B/C/D = 100/80/60/40, one item), threshold 3:
 * | part          | group      | ballots     | mean    |
 * | 东关 (A)      | colleagues | A A B       | 93.3333 |
 * | 西街 (B)      | colleagues | C C D       | 53.3333 |
 * | district      | reps       | B C C       | 66.6667 |
 * pooled: colleagues over 6 ballots (more than 5: drop one 100 and the 40) → 60 60 80 100 → 75,
 * 0.5×75 + 0.5×66.6667 = 70.83335 → 70.8334; 东关's admin must read 93.3 only.
 *
 * Second attack: 东关's teacher 双校 (GA04) also teaches at 西街 and is on the same ballots; only a
 * third of their ballots come from 东关, so 东关's admin must not read their pooled figure in the
 * annual assessment until the office releases the round's pooled figures (an audited round action):
 * | part          | group      | ballots     | mean    |
 * | 东关 (A)      | colleagues | A B B       | 86.6667 |
 * | 西街 (B)      | colleagues | B B C       | 73.3333 |
 * | district      | reps       | A B B       | 86.6667 |
 * pooled: colleagues 100 80 80 80 80 60 → drop 100 and 60 → 80; 0.5×80 + 0.5×86.6667 = 83.33335 → 83.3334;
 * 东关's part is 3 of 9 respondents: mostly elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, raterGroups, roundForms, staff, units } from '@/lib/db/schema';
import { createYear, yearAction } from '@/lib/assessment/mutations';
import { prepareDatabase } from '@/lib/db/setup';
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
let roundId: string;
let leaderId: string;
let districtId: string;
let repsGroup: string;
let twoSchoolId: string;

async function get(path: string, key: string, params: Record<string, string>) {
  const e = ENDPOINTS.find((x) => x.method === 'get' && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  return (await routeHandler(e))(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve(params) });
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: false });
  setAppDatabase(handle);
  const db = handle.db;
  const [county] = await db.insert(units).values({ kind: 'county', name: '攻击县' }).returning();
  const [district] = await db.insert(units).values({ kind: 'district', name: '攻击学区', parentId: county!.id }).returning();
  districtId = district!.id;
  const office = { role: 'office' as const, unitId: districtId };
  const [officeUnit] = await db.insert(units).values({ kind: 'office', name: '攻击学区办公室', parentId: districtId }).returning();
  const [a] = await db.insert(units).values({ kind: 'school', name: '东关小学', parentId: districtId }).returning();
  const [b] = await db.insert(units).values({ kind: 'school', name: '西街小学', parentId: districtId }).returning();
  const [leader] = await db
    .insert(staff)
    .values([
      { unitId: officeUnit!.id, staffNo: 'GJ01', name: '学区主任', position: '学区主任' },
      ...[1, 2, 3].flatMap((i) => [
        { unitId: a!.id, staffNo: `GA0${i}`, name: `东关${i}`, position: '教师' },
        { unitId: b!.id, staffNo: `GB0${i}`, name: `西街${i}`, position: '教师' },
      ]),
      { unitId: a!.id, staffNo: 'GA04', name: '双校', position: '教师' },
    ])
    .returning();
  leaderId = leader!.id;
  twoSchoolId = (await db.select().from(staff).where(eq(staff.staffNo, 'GA04')))[0]!.id;
  officeKey = (await createApiKey(db, actor, { name: 'office', role: 'office', unit: '攻击学区' })).key;
  adminKey = (await createApiKey(db, actor, { name: 'admin', role: 'school_admin', unit: '东关小学' })).key;
  const { template } = await createTemplate(db, office, actor, {
    kind: 'appraisal',
    name: '评议票',
    definition: { pingyiSubject: 'ballot', elements: [{ type: 'radiogroup', name: 'g', title: '评价', isRequired: true, choices: ['A', 'B', 'C', 'D'], pingyiScores: { A: 100, B: 80, C: 60, D: 40 } }] },
  });
  const round = await createRound(db, office, actor, {
    title: '攻击评议',
    schoolYear: '2026-2027',
    term: 1,
    units: ['东关小学', '西街小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    anonymityThreshold: 3,
    raterGroups: [
      { kind: 'colleague', name: '同事', weight: 50 },
      { kind: 'representative', name: '评议代表', weight: 50 },
    ],
    forms: [0, 1].map((g) => ({ templateId: template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot: ['GJ01', 'GA04'] })),
  });
  roundId = round.id;
  await roundAction(db, office, actor, roundId, { action: 'open' });
  const groups = await db.select().from(raterGroups).where(eq(raterGroups.roundId, roundId));
  repsGroup = groups.find((g) => g.name === '评议代表')!.id;
  const forms = await db.select().from(roundForms).where(eq(roundForms.roundId, roundId));
  const formOf = (name: string) => forms.find((f) => f.raterGroupId === groups.find((g) => g.name === name)!.id)!.id;
  await issueLinks(db, office, actor, roundId, { kind: 'personal', formId: formOf('同事'), people: ['GA01', 'GA02', 'GA03', 'GB01', 'GB02', 'GB03'] });
  await issueLinks(db, office, actor, roundId, { kind: 'personal', formId: formOf('评议代表'), people: ['代表一', '代表二', '代表三'] });
  const links = await listLinks(db, office, actor, roundId, { kind: 'personal', via: 'api' });
  const token = (label: string) => links.find((l) => l.label.includes(label))!.token;
  const post = await routeHandler(ENDPOINTS.find((e) => e.method === 'post' && e.path === '/api/v1/respond/{token}')!);
  // [who, grade of the leader, grade of 双校]
  const answers: [string, string, string][] = [
    ['GA01', 'A', 'A'], ['GA02', 'A', 'B'], ['GA03', 'B', 'B'],
    ['GB01', 'C', 'B'], ['GB02', 'C', 'B'], ['GB03', 'D', 'C'],
    ['代表一', 'B', 'A'], ['代表二', 'C', 'B'], ['代表三', 'C', 'B'],
  ];
  for (const [who, g, g2] of answers) {
    const t = token(who);
    const res = await post(
      new Request(`http://localhost/api/v1/respond/${t}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost' },
        body: JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [leaderId]: { g }, [twoSchoolId]: { g: g2 } } }),
      }),
      { params: Promise.resolve({ token: t }) },
    );
    expect(res.status).toBe(201);
  }
  await roundAction(db, office, actor, roundId, { action: 'close' });
  await roundAction(db, office, actor, roundId, { action: 'release_schools' });
}, 120_000);
afterAll(() => handle.close());

describe('a school admin reads only their own part of a person rated across the district', () => {
  it('the office reads the pooled figure (the check that the numbers are there)', async () => {
    const body = (await (await get(`/api/v1/rounds/${roundId}/results?level=subject&subjectId=${leaderId}`, officeKey, { roundId })).json()) as { subject: { score: number } };
    expect(body.subject.score).toBeCloseTo(70.8334, 4);
  });

  it('the subject page, a rater-group filter and the trend give 东关’s part only', async () => {
    const own = (await (await get(`/api/v1/rounds/${roundId}/results?level=subject&subjectId=${leaderId}`, adminKey, { roundId })).json()) as {
      subject: { score: number; respondents: number };
      parts: { key: string }[];
    };
    expect([own.subject.score, own.subject.respondents]).toEqual([93.3, 3]);
    expect(own.parts).toHaveLength(1);
    const reps = await get(`/api/v1/rounds/${roundId}/results?level=subject&subjectId=${leaderId}&raterGroupId=${repsGroup}`, adminKey, { roundId });
    expect(((await reps.json()) as { subject: { score: number | null } }).subject.score).toBeNull();
    const trend = (await (await get(`/api/v1/results/trends?subjectId=${leaderId}`, adminKey, {})).json()) as { rounds: { subject: { score: number } | null }[] };
    expect(trend.rounds.map((r) => r.subject?.score ?? null)).toEqual([93.3]);
  });

  it('the district part cannot be asked for as a school, and the export carries the same part', async () => {
    const asSchool = await get(`/api/v1/rounds/${roundId}/results?level=school&schoolId=${districtId}`, adminKey, { roundId });
    expect(asSchool.status).toBe(403);
    const xlsx = await get(`/api/v1/rounds/${roundId}/results/export?level=subject&subjectId=${leaderId}`, adminKey, { roundId });
    const sheets = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(sheets['汇总']![1]!.slice(2, 4)).toEqual(['3', '93.3']);
    const district = (await (await get(`/api/v1/rounds/${roundId}/results?level=district`, adminKey, { roundId })).json()) as { subjects: unknown[] };
    expect(district.subjects).toEqual([]);
  });
});

describe('the pooled figure of a teacher rated mostly in another school waits for the office’s release', () => {
  let yearId: string;
  const send = async (method: 'get' | 'post', path: string, key: string, params: Record<string, string>, body?: unknown) => {
    const e = ENDPOINTS.find((x) => x.method === method && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path))!;
    const init: RequestInit = { method: method.toUpperCase(), headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) };
    return (await routeHandler(e))(new Request(`http://localhost${path}`, init), { params: Promise.resolve(params) });
  };
  type Row = { staffNo: string; components: { value: number | null; withheld?: boolean }[]; compositeScore: number | null; withheld: boolean };
  const twoSchool = async (key: string) => {
    const res = await send('get', `/api/v1/assessment-years/${yearId}/assessments`, key, { yearId });
    expect(res.status).toBe(200);
    return ((await res.json()) as { assessments: Row[] }).assessments.find((r) => r.staffNo === 'GA04')!;
  };

  beforeAll(async () => {
    const office = { role: 'office' as const, unitId: districtId };
    const year = await createYear(handle.db, office, actor, {
      unit: '东关小学',
      year: 2026,
      title: '东关小学2026年度考核',
      components: [{ key: 'democratic', kind: 'democratic', name: '民主评议', weight: 100, source: 'round_score', roundIds: [roundId] }],
    });
    yearId = year.id;
    await yearAction(handle.db, office, actor, yearId, { action: 'compute' });
  });

  it('before the release the office reads 83.3334 and 东关’s admin is refused it', async () => {
    expect((await twoSchool(officeKey)).components[0]!.value).toBeCloseTo(83.3334, 4);
    const seen = await twoSchool(adminKey);
    expect(seen.components[0]).toMatchObject({ value: null, withheld: true });
    expect([seen.compositeScore, seen.withheld]).toEqual([null, true]);
  });

  it('a school admin cannot release it; the office can, and the release is in the audit log', async () => {
    expect((await send('post', `/api/v1/rounds/${roundId}/actions`, adminKey, { roundId }, { action: 'release_pooled' })).status).toBe(403);
    expect((await twoSchool(adminKey)).withheld).toBe(true);
    expect((await send('post', `/api/v1/rounds/${roundId}/actions`, officeKey, { roundId }, { action: 'release_pooled' })).status).toBe(200);
    const seen = await twoSchool(adminKey);
    expect(seen.components[0]).toMatchObject({ value: 83.3, withheld: false });
    expect([seen.compositeScore, seen.withheld]).toEqual([83.33, false]);
    const audit = await handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, roundId), eq(auditLog.action, 'round.release_pooled')));
    expect(audit).toHaveLength(1);
  });

  it('withdrawn, it is refused again (and that too is audited)', async () => {
    expect((await send('post', `/api/v1/rounds/${roundId}/actions`, officeKey, { roundId }, { action: 'withhold_pooled' })).status).toBe(200);
    expect((await twoSchool(adminKey)).components[0]).toMatchObject({ value: null, withheld: true });
    expect(await handle.db.select().from(auditLog).where(and(eq(auditLog.entityId, roundId), eq(auditLog.action, 'round.withhold_pooled')))).toHaveLength(1);
  });
});
