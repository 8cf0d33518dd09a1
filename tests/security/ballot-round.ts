/**
 * A democratic-appraisal round answered through personal one-time links, for the unlinkability
 * and polling attacks: schools with a number of named representatives each (their links are
 * labelled 姓名（工号）), a ballot on two people, every call through the real route handlers.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { roundForms, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

const actor = { type: 'cli', label: 'test' } as const;
export const GRADES = ['A', 'B', 'C', 'D'] as const;

const route = (method: string, path: string) => routeHandler(ENDPOINTS.find((e) => e.method === method && e.path === path)!);

export interface Representative {
  label: string;
  school: string;
  token: string;
  linkId: string;
}

export async function ballotRound(schools: { name: string; representatives: number }[]) {
  const handle: DbHandle = await freshDatabase();
  await prepareDatabase(handle, { seed: false });
  setAppDatabase(handle);
  const db = handle.db;
  const [county] = await db.insert(units).values({ kind: 'county', name: '评议县' }).returning();
  const [district] = await db.insert(units).values({ kind: 'district', name: '评议学区', parentId: county!.id }).returning();
  const office = { role: 'office' as const, unitId: district!.id };
  const key = (await createApiKey(db, actor, { name: 'office', role: 'office', unit: '评议学区' })).key;
  const people: string[] = [];
  const ballot: { id: string; staffNo: string }[] = [];
  for (const [s, school] of schools.entries()) {
    const [unit] = await db.insert(units).values({ kind: 'school', name: school.name, parentId: district!.id, sortOrder: s }).returning();
    const rows = await db
      .insert(staff)
      .values([
        { unitId: unit!.id, staffNo: `Z${s}00`, name: `校长${s}`, position: '校长', subjects: [] },
        ...Array.from({ length: school.representatives }, (_, i) => ({ unitId: unit!.id, staffNo: `R${s}${String(i).padStart(2, '0')}`, name: `代表${s}-${i}`, position: '教师', subjects: [] })),
      ])
      .returning();
    ballot.push({ id: rows[0]!.id, staffNo: rows[0]!.staffNo });
    people.push(...rows.slice(1).map((r) => r.staffNo));
  }
  const { template } = await createTemplate(db, office, actor, {
    kind: 'appraisal',
    name: '民主评议票',
    definition: {
      pingyiSubject: 'ballot',
      elements: [
        { type: 'radiogroup', name: 'grade', title: '等次', isRequired: true, choices: [...GRADES], pingyiScores: { A: 100, B: 80, C: 60, D: 40 } },
        { type: 'rating', name: 'work', title: '工作作风', isRequired: true, rateMax: 5 },
      ],
    },
  });
  const now = Date.now();
  const round = await createRound(db, office, actor, {
    title: '民主评议',
    schoolYear: '2026-2027',
    term: 1,
    units: schools.map((s) => s.name),
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'representative', name: '党代表', weight: 100 }],
    forms: [{ templateId: template.id, raterGroup: 0, subjectMode: 'ballot', ballot: ballot.map((b) => b.staffNo) }],
  });
  await roundAction(db, office, actor, round.id, { action: 'open' });
  const [form] = await db.select().from(roundForms).where(eq(roundForms.roundId, round.id));
  const auth = { authorization: `Bearer ${key}` };

  /** The office's API, with its key. */
  const api = {
    async issue() {
      const post = await route('post', '/api/v1/rounds/{roundId}/links');
      const res = await post(
        new Request(`http://localhost/api/v1/rounds/${round.id}/links`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'personal', formId: form!.id, people }) }),
        { params: Promise.resolve({ roundId: round.id }) },
      );
      if (res.status !== 201) throw new Error(`issue: ${res.status} ${await res.text()}`);
    },
    async links() {
      const get = await route('get', '/api/v1/rounds/{roundId}/links');
      const res = await get(new Request(`http://localhost/api/v1/rounds/${round.id}/links`, { headers: auth }), { params: Promise.resolve({ roundId: round.id }) });
      if (res.status !== 200) throw new Error(`links: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { links: Record<string, unknown>[] }).links;
    },
    async progress() {
      const get = await route('get', '/api/v1/rounds/{roundId}/progress');
      const res = await get(new Request(`http://localhost/api/v1/rounds/${round.id}/progress`, { headers: auth }), { params: Promise.resolve({ roundId: round.id }) });
      return (await res.json()) as Record<string, unknown>;
    },
    async round() {
      const get = await route('get', '/api/v1/rounds/{roundId}');
      const res = await get(new Request(`http://localhost/api/v1/rounds/${round.id}`, { headers: auth }), { params: Promise.resolve({ roundId: round.id }) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async rawExport() {
      const get = await route('get', '/api/v1/rounds/{roundId}/results/export');
      return get(new Request(`http://localhost/api/v1/rounds/${round.id}/results/export?kind=raw`, { headers: auth }), { params: Promise.resolve({ roundId: round.id }) });
    },
    async action(action: string, extra: Record<string, unknown> = {}) {
      const post = await route('post', '/api/v1/rounds/{roundId}/actions');
      const res = await post(
        new Request(`http://localhost/api/v1/rounds/${round.id}/actions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ action, ...extra }) }),
        { params: Promise.resolve({ roundId: round.id }) },
      );
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
  };

  await api.issue();
  const reps: Representative[] = (await api.links()).map((l) => ({ label: String(l.label), school: String(l.schoolName), token: String(l.token), linkId: String(l.id) }));

  /** One representative answers through the real respond route; returns the answers sent. */
  let n = 0;
  async function answer(rep: Representative, grades: [string, string], idempotencyKey = randomBytes(12).toString('hex')) {
    n++;
    const data = Object.fromEntries(ballot.map((b, i) => [b.id, { grade: grades[i % 2]!, work: 1 + ((n + i) % 5) }]));
    const post = await route('post', '/api/v1/respond/{token}');
    const res = await post(
      new Request(`http://localhost/api/v1/respond/${rep.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost', 'x-forwarded-for': '10.9.0.1' },
        body: JSON.stringify({ idempotencyKey, answers: data }),
      }),
      { params: Promise.resolve({ token: rep.token }) },
    );
    if (res.status !== 201) throw new Error(`respond: ${res.status} ${await res.text()}`);
    return { data, idempotencyKey };
  }

  return { handle, db, roundId: round.id, office, api, reps, ballot, answer };
}

/** Two grades per representative, all pairs different, so each ballot's content names its author. */
export function distinctGrades(i: number): [string, string] {
  return [GRADES[Math.floor(i / GRADES.length) % GRADES.length]!, GRADES[i % GRADES.length]!];
}

/** Fisher–Yates with Math.random: the order the representatives happen to answer in. */
export function shuffled<T>(list: readonly T[]): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
