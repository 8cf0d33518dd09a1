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
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { raterGroups, roundForms, staff, units } from '@/lib/db/schema';
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
    ])
    .returning();
  leaderId = leader!.id;
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
    forms: [0, 1].map((g) => ({ templateId: template.id, raterGroup: g, subjectMode: 'ballot' as const, ballot: ['GJ01'] })),
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
  const answers: [string, string][] = [['GA01', 'A'], ['GA02', 'A'], ['GA03', 'B'], ['GB01', 'C'], ['GB02', 'C'], ['GB03', 'D'], ['代表一', 'B'], ['代表二', 'C'], ['代表三', 'C']];
  for (const [who, g] of answers) {
    const t = token(who);
    const res = await post(
      new Request(`http://localhost/api/v1/respond/${t}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost' },
        body: JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [leaderId]: { g } } }),
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
