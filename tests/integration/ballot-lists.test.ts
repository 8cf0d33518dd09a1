/**
 * Saved ballot lists: the office keeps a named list of staff (工号) and units, a round's ballot
 * names it as `@list:NAME`, and the list is expanded once, when the round is created. A colleague
 * on the list never rates themselves: their personal link lists everyone else on it.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, ballotEntries, roundForms, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { submitResponse } from '@/lib/responses/respond';
import { getRoundResults } from '@/lib/scoring/queries';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

const actor = { type: 'cli', label: 'test' } as const;
let handle: DbHandle;
let officeKey: string;
let adminKey: string;
let templateId: string;
const office = () => ({ role: 'office' as const, unitId: districtId });
let districtId: string;
const ids: Record<string, string> = {};

async function call(method: string, path: string, key: string, body?: unknown) {
  const e = ENDPOINTS.find((x) => x.method === method && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path))!;
  const segments = path.split('/');
  const params = Object.fromEntries(e.path.split('/').flatMap((p, i) => (/^\{\w+\}$/.test(p) ? [[p.slice(1, -1), segments[i]!]] : [])));
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method: method.toUpperCase(), headers, body: body === undefined ? undefined : JSON.stringify(body) }), { params: Promise.resolve(params) });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Record<string, unknown>) };
}

const roundInput = (ballot: string[]) => ({
  title: '领导评议',
  schoolYear: '2026-2027',
  term: 1 as const,
  units: ['东关小学'],
  opensAt: new Date(Date.now() - 3_600_000).toISOString(),
  closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  raterGroups: [{ kind: 'colleague' as const, name: '同事', weight: 100 }],
  forms: [{ templateId, raterGroup: 0, subjectMode: 'ballot' as const, ballot }],
});

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: false });
  setAppDatabase(handle);
  const db = handle.db;
  const [county] = await db.insert(units).values({ kind: 'county', name: '名单县' }).returning();
  const [district] = await db.insert(units).values({ kind: 'district', name: '名单学区', parentId: county!.id }).returning();
  districtId = district!.id;
  const [officeUnit] = await db.insert(units).values({ kind: 'office', name: '名单学区办公室', parentId: districtId }).returning();
  const [school] = await db.insert(units).values({ kind: 'school', name: '东关小学', parentId: districtId }).returning();
  const [team] = await db.insert(units).values({ kind: 'team', name: '东关小学领导班子', parentId: school!.id }).returning();
  ids.team = team!.id;
  const people = await db
    .insert(staff)
    .values([
      { unitId: officeUnit!.id, staffNo: 'MD01', name: '学区主任', position: '学区主任' },
      { unitId: school!.id, staffNo: 'MA01', name: '东关校长', position: '校长' },
      { unitId: school!.id, staffNo: 'MA02', name: '东关老师', position: '教师' },
      { unitId: school!.id, staffNo: 'MA03', name: '东关书记', position: '党支部书记' },
      { unitId: school!.id, staffNo: 'MA04', name: '赵老师', position: '教师' },
      { unitId: school!.id, staffNo: 'MA05', name: '钱老师', position: '教师' },
    ])
    .returning();
  for (const p of people) ids[p.staffNo] = p.id;
  officeKey = (await createApiKey(db, actor, { name: 'office', role: 'office', unit: '名单学区' })).key;
  adminKey = (await createApiKey(db, actor, { name: 'admin', role: 'school_admin', unit: '东关小学' })).key;
  const { template } = await createTemplate(db, office(), actor, {
    kind: 'appraisal',
    name: '评议票',
    definition: { pingyiSubject: 'ballot', elements: [{ type: 'radiogroup', name: 'g', title: '评价', isRequired: true, choices: ['A', 'B'], pingyiScores: { A: 100, B: 80 } }] },
  });
  templateId = template.id;
}, 60_000);
afterAll(() => handle.close());

describe('saved ballot lists', () => {
  let listId: string;

  it('the office saves a list of 工号 and units; bad entries, a taken name and a school admin are refused', async () => {
    const bad = await call('post', '/api/v1/ballot-lists', officeKey, { name: '学区领导', entries: ['MD01', 'NOPE'] });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.body!.error as { fields: Record<string, string[]> }).fields)).toEqual(['entries.1']);
    const badName = await call('post', '/api/v1/ballot-lists', officeKey, { name: '学区 领导', entries: ['MD01'] });
    expect(badName.status).toBe(400);
    const made = await call('post', '/api/v1/ballot-lists', officeKey, { name: '学区领导', entries: ['MD01', 'MA01', 'MA02', 'MA01', '东关小学领导班子'] });
    expect(made.status).toBe(201);
    listId = made.body!.id as string;
    expect((await call('post', '/api/v1/ballot-lists', officeKey, { name: '学区领导', entries: ['MD01'] })).status).toBe(409);
    expect((await call('post', '/api/v1/ballot-lists', adminKey, { name: '校内', entries: ['MA02'] })).status).toBe(403);
    expect((await call('get', '/api/v1/ballot-lists', adminKey)).status).toBe(403);
    const listed = await call('get', '/api/v1/ballot-lists', officeKey);
    const lists = listed.body!.lists as { name: string; entries: { label: string }[] }[];
    // the repeated MA01 is kept once
    expect(lists.map((l) => [l.name, l.entries.map((e) => e.label)])).toEqual([['学区领导', ['MD01', 'MA01', 'MA02', '东关小学领导班子']]]);
  });

  it('@list:NAME expands on the ballot; a colleague on the list never rates themselves', async () => {
    await expect(createRound(handle.db, office(), actor, roundInput(['@list:没有这个']))).rejects.toMatchObject({ code: 'validation' });
    const round = await createRound(handle.db, office(), actor, roundInput(['@list:学区领导']));
    const [form] = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, round.id));
    const entries = await handle.db.select().from(ballotEntries).where(eq(ballotEntries.formId, form!.id)).orderBy(ballotEntries.sortOrder);
    expect(entries.map((e) => e.staffId ?? e.unitId)).toEqual([ids.MD01, ids.MA01, ids.MA02, ids.team]);
    // changing the list later leaves the round's ballot as it was
    expect((await call('patch', `/api/v1/ballot-lists/${listId}`, officeKey, { entries: ['MD01'] })).status).toBe(200);
    expect(await handle.db.select().from(ballotEntries).where(eq(ballotEntries.formId, form!.id))).toHaveLength(4);

    await roundAction(handle.db, office(), actor, round.id, { action: 'open' });
    await issueLinks(handle.db, office(), actor, round.id, { kind: 'personal', formId: form!.id, people: ['MA01', 'MA02'] });
    const links = await listLinks(handle.db, office(), actor, round.id, { kind: 'personal', via: 'api' });
    const getRespond = await routeHandler(ENDPOINTS.find((e) => e.method === 'get' && e.path === '/api/v1/respond/{token}')!);
    for (const [who, name] of [['MA01', '东关校长'], ['MA02', '东关老师']] as const) {
      const token = links.find((l) => l.label.includes(name))!.token;
      const res = await getRespond(new Request(`http://localhost/api/v1/respond/${token}`), { params: Promise.resolve({ token }) });
      const subjects = ((await res.json()) as { subjects: { key: string }[] }).subjects.map((s) => s.key);
      expect(subjects).not.toContain(ids[who]);
      expect(subjects).toEqual([ids.MD01, ids.MA01, ids.MA02, ids.team].filter((id) => id !== ids[who]));
    }
  });

  it('renaming, deleting, and every change is audited', async () => {
    expect((await call('patch', `/api/v1/ballot-lists/${listId}`, officeKey, { name: '新名称' })).status).toBe(200);
    expect((await call('delete', `/api/v1/ballot-lists/${listId}`, officeKey)).status).toBe(204);
    expect((await call('delete', `/api/v1/ballot-lists/${listId}`, officeKey)).status).toBe(404);
    const audit = await handle.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, listId));
    expect(audit.map((a) => a.action).sort()).toEqual(['ballot_list.create', 'ballot_list.delete', 'ballot_list.update', 'ballot_list.update']);
  });
});

/**
 * A 领导班子 ballot lists the team and its members in the same sitting (`@team-members`), each
 * with its own 等次 votes. Three teachers vote (优 优秀, 称 称职, 基 基本称职):
 * | subject          | 东关老师 | 赵老师 | 钱老师 | votes                 |
 * | 东关小学领导班子 | 优       | 优     | 称     | 优秀 2, 称职 1        |
 * | 东关校长 (MA01)  | 称       | 优     | 优     | 优秀 2, 称职 1        |
 * | 东关书记 (MA03)  | 基       | 称     | 称     | 称职 2, 基本称职 1    |
 */
describe('a 领导班子 and its members in one sitting', () => {
  it('@team-members lists the team, then its members, each with their own 等次 votes', async () => {
    const { template } = await createTemplate(handle.db, office(), actor, {
      kind: 'appraisal',
      name: '班子评议票',
      definition: {
        pingyiSubject: 'ballot',
        elements: [
          { type: 'radiogroup', name: 'g', title: '评价', isRequired: true, choices: ['A', 'B'], pingyiScores: { A: 100, B: 80 } },
          { type: 'radiogroup', name: 'dc', title: '等次', isRequired: true, choices: ['优秀', '称职', '基本称职', '不称职'], pingyiRole: 'grade_vote' },
        ],
      },
    });
    const round = await createRound(handle.db, office(), actor, { ...roundInput(['@team-members']), title: '领导班子评议', anonymityThreshold: 3, forms: [{ templateId: template.id, raterGroup: 0, subjectMode: 'ballot' as const, ballot: ['@team-members'] }] });
    const [form] = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, round.id));
    const entries = await handle.db.select().from(ballotEntries).where(eq(ballotEntries.formId, form!.id)).orderBy(ballotEntries.sortOrder);
    expect(entries.map((e) => e.staffId ?? e.unitId)).toEqual([ids.team, ids.MA01, ids.MA03]);

    await roundAction(handle.db, office(), actor, round.id, { action: 'open' });
    await issueLinks(handle.db, office(), actor, round.id, { kind: 'personal', formId: form!.id, people: ['MA02', 'MA04', 'MA05'] });
    const links = await listLinks(handle.db, office(), actor, round.id, { kind: 'personal', via: 'api' });
    // a ballot giving everyone the same 等次 is void (voidSameGrade), so each one varies
    const votes: [string, string[]][] = [['东关老师', ['优秀', '称职', '基本称职']], ['赵老师', ['优秀', '优秀', '称职']], ['钱老师', ['称职', '优秀', '称职']]];
    for (const [who, grades] of votes) {
      const token = links.find((l) => l.label.includes(who))!.token;
      const answers = Object.fromEntries([ids.team!, ids.MA01!, ids.MA03!].map((id, i) => [id, { g: i === 0 ? 'A' : 'B', dc: grades[i]! }]));
      await submitResponse(handle.db, token, '10.17.1.1', { idempotencyKey: randomBytes(12).toString('hex'), answers });
    }
    const counted = async (subjectId: string) => {
      const r = await getRoundResults(handle.db, office(), round.id, { level: 'subject', subjectId });
      return Object.fromEntries(r.grades.flatMap((g) => g.votes ?? []).filter((v) => v.count > 0).map((v) => [v.text, v.count]));
    };
    expect(await counted(ids.team!)).toEqual({ 优秀: 2, 称职: 1 });
    expect(await counted(ids.MA01!)).toEqual({ 优秀: 2, 称职: 1 });
    expect(await counted(ids.MA03!)).toEqual({ 称职: 2, 基本称职: 1 });
  });
});
