/**
 * A school whose staff log in to their workspace: 巷道学区-like district 互评学区 with 互评小学
 * (a principal and six teachers, each with a login linked by 工号) and 邻校 (two teachers), and an
 * open round with a colleague ballot (民主评议表 on every staff member of 互评小学) and the
 * 六查六看 self-inspection, through the built-in templates. Every call goes through the real
 * route handlers.
 */
import { and, eq } from 'drizzle-orm';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { raterGroups, roundForms, staff, templates, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { freshDatabase } from './db';
import { routeHandler } from './routes';

const actor = { type: 'cli', label: 'test' } as const;
export const STAFF_PASSWORD = 'workspace-password-1';

export type Json = Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string[]> } };

/** Calls the endpoint serving `method path` with a key or a session cookie, as a browser or client would. */
export async function callApi(method: string, path: string, opts: { key?: string; cookie?: string; body?: unknown; lang?: string } = {}) {
  const [pathname] = path.split('?');
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(pathname!));
  if (!e) throw new Error(`no endpoint for ${method} ${path}`);
  const names = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const values = new RegExp(`^${e.path.replace(/\{\w+\}/g, '([^/]+)')}$`).exec(pathname!)!.slice(1);
  const headers: Record<string, string> = { origin: 'http://localhost', 'x-forwarded-for': '10.9.0.1' };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.lang) headers['accept-language'] = opts.lang;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }), {
    params: Promise.resolve(Object.fromEntries(names.map((n, i) => [n, values[i]!]))),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json, headers: res.headers };
}

export async function login(username: string, password = STAFF_PASSWORD): Promise<string> {
  const res = await callApi('POST', '/api/v1/session', { body: { username, password } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Answers of the built-in 民主评议表 for one colleague. */
export const appraisal = (grade = 'competent', level = 'satisfied') => ({
  five_checks: { ideas: level, style: level, service: level, delivery: level, efficiency: level },
  grade,
});

/** Answers of the built-in 六查六看自评表. */
export const selfInspection = (level = 'good') => ({
  six_checks: { spirit: level, execution: level, attitude: level, efficiency: level, law: level, quality: level },
  problems: '作业批改不够及时',
  measures: '每天当堂批改，周五前全部反馈',
});

/**
 * opts.handle: build it in this database (e.g. a PGlite directory a server will start on) instead
 * of a fresh one; opts.initialPasswords: staff logins must change their password first.
 */
export async function workspaceRound(opts: { selfWeight?: number; handle?: DbHandle; initialPasswords?: boolean } = {}) {
  const handle: DbHandle = opts.handle ?? (await freshDatabase());
  await prepareDatabase(handle, { seed: false });
  if (!opts.handle) setAppDatabase(handle);
  const db = handle.db;
  const [county] = await db.insert(units).values({ kind: 'county', name: '互评县' }).returning();
  const [district] = await db.insert(units).values({ kind: 'district', name: '互评学区', parentId: county!.id }).returning();
  const [school] = await db.insert(units).values({ kind: 'school', name: '互评小学', parentId: district!.id }).returning();
  const [other] = await db.insert(units).values({ kind: 'school', name: '邻校', parentId: district!.id, sortOrder: 1 }).returning();
  const office = { role: 'office' as const, unitId: district!.id };
  const officeKey = (await createApiKey(db, actor, { name: 'office', role: 'office', unit: '互评学区' })).key;
  const people = await db
    .insert(staff)
    .values([
      { unitId: school!.id, staffNo: 'HP00', name: '王校长', position: '校长' },
      ...Array.from({ length: 6 }, (_, i) => ({ unitId: school!.id, staffNo: `HP0${i + 1}`, name: `教师${i + 1}`, position: '教师' })),
      { unitId: other!.id, staffNo: 'LX01', name: '邻校教师1', position: '教师' },
      { unitId: other!.id, staffNo: 'LX02', name: '邻校教师2', position: '教师' },
    ])
    .returning();
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  await db.insert(users).values(
    people.map((p) => ({
      username: p.staffNo.toLowerCase(),
      displayName: p.name,
      passwordHash,
      role: p.position === '校长' ? ('school_admin' as const) : ('staff' as const),
      unitId: p.unitId,
      staffId: p.id,
      mustChangePassword: opts.initialPasswords ?? false,
    })),
  );
  await db.insert(users).values({ username: 'lx_admin', displayName: '邻校管理员', passwordHash, role: 'school_admin', unitId: other!.id });
  const builtIn = async (key: string) => (await db.select().from(templates).where(eq(templates.builtInKey, key)))[0]!.id;
  const selfWeight = opts.selfWeight ?? 0;
  const now = Date.now();
  const round = await createRound(db, office, actor, {
    title: '教职工互评与自查',
    schoolYear: '2026-2027',
    term: 1,
    units: ['互评小学', '邻校'],
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    raterGroups: [
      { kind: 'colleague', name: '同事互评', weight: 100 - selfWeight },
      { kind: 'self', name: '自评', weight: selfWeight },
    ],
    forms: [
      { templateId: await builtIn('democratic-appraisal'), raterGroup: 0, subjectMode: 'ballot', title: '同事互评', ballot: people.filter((p) => p.unitId === school!.id).map((p) => p.staffNo) },
      { templateId: await builtIn('self-inspection'), raterGroup: 1, subjectMode: 'self', title: '六查六看自评' },
    ],
  });
  await roundAction(db, office, actor, round.id, { action: 'open' });
  const forms = await db
    .select({ id: roundForms.id, kind: raterGroups.kind })
    .from(roundForms)
    .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
    .where(eq(roundForms.roundId, round.id));
  const byNo = Object.fromEntries(people.map((p) => [p.staffNo, p]));
  const [principalUser] = await db.select().from(users).where(and(eq(users.username, 'hp00')));
  return {
    handle,
    db,
    round,
    office,
    officeKey,
    school: school!,
    other: other!,
    staff: byNo,
    principalUser: principalUser!,
    ballotFormId: forms.find((f) => f.kind === 'colleague')!.id,
    selfFormId: forms.find((f) => f.kind === 'self')!.id,
  };
}
