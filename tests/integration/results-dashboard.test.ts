/**
 * The results dashboard's API on the demo district: staged release and scope by role (a teacher
 * sees only their own results, a school admin only their school, nothing before release), the
 * xlsx exports (formula injection, no link or response ids in raw answers) and trends across rounds.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, eq, like, ne } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { links, raterGroups, responses, roundForms, rounds, staff, templateVersions, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { writeResponse } from '@/lib/responses/store';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let past: { id: string };
let open: { id: string };
let home: { id: string };
let other: { id: string };
let me: string;
let colleague: string;
const cookies: Record<string, string> = {};

const endpoint = (path: string) => ENDPOINTS.find((e) => e.path === path && e.method === 'get')!;

async function login(username: string, password: string, n: number): Promise<string> {
  const post = await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/session' && e.method === 'post')!);
  const res = await post(
    new Request('http://localhost/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', 'x-forwarded-for': `10.8.0.${n}` },
      body: JSON.stringify({ username, password }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function get(who: string, path: string, url: string, params: Record<string, string> = {}) {
  const fn = await routeHandler(endpoint(path));
  return fn(new Request(`http://localhost${url}`, { headers: { cookie: cookies[who]! } }), { params: Promise.resolve(params) });
}

async function workbook(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
  return wb;
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const db = handle.db;
  // last spring's student and parent round, and this term's parent round (the demo also holds a
  // released 民主评议 of the school leaders and an open 六查六看 round)
  past = (await db.select().from(rounds).where(and(eq(rounds.status, 'released'), like(rounds.title, '%学生评教%'))))[0]!;
  open = (await db.select().from(rounds).where(and(eq(rounds.status, 'open'), like(rounds.title, '%家长满意度%'))))[0]!;
  home = (await db.select().from(units).where(eq(units.name, '巷道中心小学')))[0]!;
  other = (await db.select().from(units).where(eq(units.name, '槐山小学')))[0]!;
  const [teacher] = await db.select().from(users).where(eq(users.username, DEMO_TEACHER.username));
  me = teacher!.staffId!;
  const [c] = await db.select().from(staff).where(and(eq(staff.unitId, home!.id), ne(staff.id, me), eq(staff.position, '班主任')));
  colleague = c!.id;
  cookies.office = await login(DEMO_LOGIN.username, DEMO_LOGIN.password, 1);
  cookies.principal = await login(DEMO_SCHOOL_ADMIN.username, DEMO_SCHOOL_ADMIN.password, 2);
  cookies.teacher = await login(DEMO_TEACHER.username, DEMO_TEACHER.password, 3);
});
afterAll(() => handle.close());

const RESULTS = '/api/v1/rounds/{roundId}/results';
const EXPORT = '/api/v1/rounds/{roundId}/results/export';
const TRENDS = '/api/v1/results/trends';

describe('staged release and scope', () => {
  it('a teacher reads their own released results, and gets 403 for another teacher’s results, export or trend', async () => {
    const mine = await get('teacher', RESULTS, `/api/v1/rounds/${past.id}/results?level=subject&subjectId=${me}`, { roundId: past.id });
    expect(mine.status).toBe(200);
    const body = (await mine.json()) as { subject: { key: string; score: number }; school: { key: string }; district: { score: number } };
    expect(body.subject.key).toBe(me);
    expect(body.subject.score).toBeGreaterThan(0);
    expect(body.school.key).toBe(home.id);
    for (const [path, url] of [
      [RESULTS, `/api/v1/rounds/${past.id}/results?level=subject&subjectId=${colleague}`],
      [EXPORT, `/api/v1/rounds/${past.id}/results/export?level=subject&subjectId=${colleague}`],
      [EXPORT, `/api/v1/rounds/${past.id}/results/export?level=school&schoolId=${home.id}`],
      [EXPORT, `/api/v1/rounds/${past.id}/results/export?kind=raw`],
    ] as const) {
      const res = await get('teacher', path, url, { roundId: past.id });
      expect(res.status, url).toBe(403);
    }
    expect((await get('teacher', TRENDS, `/api/v1/results/trends?subjectId=${colleague}`)).status).toBe(403);
    const own = await get('teacher', EXPORT, `/api/v1/rounds/${past.id}/results/export?level=subject&subjectId=${me}`, { roundId: past.id });
    const wb = await workbook(own);
    expect(wb.getWorksheet('汇总')!.getRow(2).getCell(1).value).toBe(body.subject && (await nameOf(me)));
    const trend = (await (await get('teacher', TRENDS, `/api/v1/results/trends?subjectId=${me}`)).json()) as { rounds: { id: string; subject: { score: number } }[] };
    expect(trend.rounds.map((r) => r.id)).toEqual([past.id]);
    expect(trend.rounds[0]!.subject.score).toBe(body.subject.score);
  });

  it('a school admin opens their own school but not another one; before release they are told it is not released', async () => {
    const own = await get('principal', RESULTS, `/api/v1/rounds/${past.id}/results?level=school&schoolId=${home.id}`, { roundId: past.id });
    expect(own.status).toBe(200);
    const otherSchool = await get('principal', RESULTS, `/api/v1/rounds/${past.id}/results?level=school&schoolId=${other.id}`, { roundId: past.id });
    expect(otherSchool.status).toBe(403);
    const otherExport = await get('principal', EXPORT, `/api/v1/rounds/${past.id}/results/export?level=school&schoolId=${other.id}`, { roundId: past.id });
    expect(otherExport.status).toBe(403);
    const unreleased = await get('principal', RESULTS, `/api/v1/rounds/${open.id}/results?level=school&schoolId=${home.id}`, { roundId: open.id });
    expect(unreleased.status).toBe(403);
    const error = ((await unreleased.json()) as { error: { message: string } }).error;
    expect(error.message).toContain('尚未向您发布');
    expect((await get('principal', EXPORT, `/api/v1/rounds/${past.id}/results/export?kind=raw`, { roundId: past.id })).status).toBe(403);
  });

  it('the past round has teachers below the anonymity threshold: suppressed with no numbers for the school admin', async () => {
    const res = await get('principal', RESULTS, `/api/v1/rounds/${past.id}/results?level=school&schoolId=${home.id}`, { roundId: past.id });
    const body = (await res.json()) as { subjects: { type: string; suppressed: boolean; score: number | null; respondents: number }[] };
    const teachers = body.subjects.filter((s) => s.type === 'staff');
    expect(teachers.filter((s) => !s.suppressed).length).toBeGreaterThan(teachers.length / 2);
    const hidden = teachers.filter((s) => s.suppressed);
    expect(hidden.length).toBeGreaterThanOrEqual(1);
    for (const s of hidden) expect(s.score).toBeNull();
  });
});

async function nameOf(staffId: string) {
  const [s] = await handle.db.select().from(staff).where(eq(staff.id, staffId));
  return s!.name;
}

describe('xlsx export', () => {
  it('writes a comment =HYPERLINK(...) as text, never a formula, in the results and the raw answers', async () => {
    const db = handle.db;
    const [form] = await db.select().from(roundForms).where(and(eq(roundForms.roundId, past.id), eq(roundForms.subjectMode, 'class_teachers')));
    const [group] = await db.select().from(raterGroups).where(eq(raterGroups.id, form!.raterGroupId));
    const evil = '=HYPERLINK("http://x","y")';
    const answers = { items: { punctual: '5', clear: '5', respect: '5', homework: '5', help: '5' }, no_punishment: 'no', overall: 5, comments: evil };
    const [version] = await db.select().from(templateVersions).where(eq(templateVersions.id, form!.templateVersionId));
    const facts = factsFromAnswers(scoredQuestions(version!.definition), answers);
    await writeResponse(db, { roundId: past.id, formId: form!.id, raterGroupId: group!.id, schoolId: home.id, idempotencyKey: randomUUID(), data: { [me]: answers } }, [
      { subject: { type: 'staff', key: me }, facts },
    ]);
    const wb = await workbook(await get('office', EXPORT, `/api/v1/rounds/${past.id}/results/export?level=subject&subjectId=${me}`, { roundId: past.id }));
    const sheet = wb.getWorksheet('意见建议')!;
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((c) => cells.push(c)));
    const cell = cells.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(`'${evil}`);
    expect(cell.formula).toBeUndefined();

    const raw = await workbook(await get('office', EXPORT, `/api/v1/rounds/${past.id}/results/export?kind=raw`, { roundId: past.id }));
    const texts: string[] = [];
    for (const ws of raw.worksheets) ws.eachRow((row) => row.eachCell((c) => {
      expect(c.type).not.toBe(ExcelJS.ValueType.Formula);
      texts.push(String(c.value));
    }));
    expect(texts).toContain(`'${evil}`);
    // never a link, response id or idempotency key
    const ids = [
      ...(await db.select({ id: links.id }).from(links).where(eq(links.roundId, past.id))).map((l) => l.id),
      ...(await db.select({ id: responses.id, key: responses.idempotencyKey }).from(responses).where(eq(responses.roundId, past.id))).flatMap((r) => [r.id, r.key]),
    ];
    const joined = texts.join('\n');
    for (const id of ids) expect(joined).not.toContain(id);
    // one sheet per form, and a note on the order, the missing dates and the groups left out
    expect(raw.worksheets.map((w) => w.name).sort()).toEqual(['学生评教表', '家长满意度问卷', '说明'].sort());
  });
});

describe('trends across rounds', () => {
  it('gives the office each school’s figures per round, oldest first, equal to the results of each round', async () => {
    const res = await get('office', TRENDS, '/api/v1/results/trends');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { rounds: { id: string; schools: { id: string; satisfaction: number | null }[] }[] };
    // every round that is not a draft, by closing date: last spring's, this year's 民主评议, the open parent round, the open 六查六看 round
    const byTitle = async (pattern: string) => (await handle.db.select().from(rounds).where(like(rounds.title, pattern)))[0]!;
    const appraisal = await byTitle('%民主评议');
    const inspection = await byTitle('%六查六看%');
    expect(body.rounds.map((r) => r.id)).toEqual([past.id, appraisal.id, open.id, inspection.id]);
    for (const r of body.rounds) {
      const results = (await (await get('office', RESULTS, `/api/v1/rounds/${r.id}/results?level=district`, { roundId: r.id })).json()) as { schools: { key: string; satisfaction: number }[] };
      expect(r.schools.map((s) => [s.id, s.satisfaction])).toEqual(results.schools.map((s) => [s.key, s.satisfaction]));
    }
    // the school admin's trend: only released rounds, only their school
    const principal = (await (await get('principal', TRENDS, '/api/v1/results/trends')).json()) as { rounds: { id: string; schools: { id: string }[] }[] };
    expect(principal.rounds.map((r) => r.id)).toEqual([past.id, appraisal.id]);
    expect(principal.rounds[0]!.schools.map((s) => s.id)).toEqual([home.id]);
  });
});
