/**
 * Lists at county scale come a page at a time through the API: no answer grows with the number of
 * rows. Here a round holds thousands of one-time codes (the case that made the links API answer
 * 5.7 MB for 24,000 codes): each page is bounded, the pages together are the whole list once,
 * a search narrows it, and an oversize page is refused naming the field.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { createYear, yearAction } from '@/lib/assessment/mutations';
import { classes, links, roundForms, rounds, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let key: string;
let roundId: string;
let codes: number;

async function get(path: string, params: Record<string, string>) {
  const e = ENDPOINTS.find((x) => x.method === 'get' && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}`, 'accept-language': 'zh-CN' } }), {
    params: Promise.resolve(params),
  });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  key = (await createApiKey(handle.db, { type: 'cli', label: 't' }, { name: 'paging', role: 'office', unit: '巷道学区' })).key;
  const [round] = await handle.db.select().from(rounds).where(eq(rounds.status, 'open')).limit(1);
  roundId = round!.id;
  const [form] = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, roundId)).limit(1);
  // 200 codes for every class of the round's schools, in one batch: thousands of rows
  const e = ENDPOINTS.find((x) => x.method === 'post' && x.path === '/api/v1/rounds/{roundId}/links')!;
  const res = await (await routeHandler(e))(
    new Request(`http://localhost/api/v1/rounds/${roundId}/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'code', formId: form!.id, count: 200 }),
    }),
    { params: Promise.resolve({ roundId }) },
  );
  expect(res.status).toBe(201);
  codes = Number((await handle.db.select({ n: sql<number>`count(*)` }).from(links).where(and(eq(links.roundId, roundId), eq(links.kind, 'code'))))[0]!.n);
}, 300_000);
afterAll(() => handle.close());

interface LinksPage {
  links: { id: string; className: string | null; schoolName: string; label: string }[];
  page: number;
  limit: number;
  total: number;
}

describe('links and codes a page at a time', () => {
  it('the first page holds 100 codes of thousands, and its size does not depend on how many there are', async () => {
    expect(codes).toBeGreaterThanOrEqual(2000);
    const first = await get(`/api/v1/rounds/${roundId}/links?kind=code`, { roundId });
    expect(first.status).toBe(200);
    const body = JSON.parse(first.text) as LinksPage;
    expect(body.links).toHaveLength(100);
    expect([body.page, body.limit, body.total]).toEqual([1, 100, codes]);
    // about 400 bytes a code: a page stays well under 100 KB however many codes there are
    expect(first.text.length).toBeLessThan(100_000);
  });

  it('walking the pages gives every code exactly once, in a stable order', async () => {
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const body = JSON.parse((await get(`/api/v1/rounds/${roundId}/links?kind=code&limit=500&page=${page}`, { roundId })).text) as LinksPage;
      seen.push(...body.links.map((l) => l.id));
      if (body.links.length < 500) break;
    }
    expect(seen).toHaveLength(codes);
    expect(new Set(seen).size).toBe(codes);
  });

  it('q finds the codes of one class; the total counts the matches', async () => {
    const [cls] = await handle.db.select().from(classes).innerJoin(links, eq(links.classId, classes.id)).where(eq(links.roundId, roundId)).limit(1);
    const name = cls!.classes.name;
    const expected = Number(
      (await handle.db.select({ n: sql<number>`count(*)` }).from(links).innerJoin(classes, eq(classes.id, links.classId)).where(and(eq(links.roundId, roundId), eq(links.kind, 'code'), eq(classes.name, name))))[0]!.n,
    );
    const body = JSON.parse((await get(`/api/v1/rounds/${roundId}/links?kind=code&limit=500&q=${encodeURIComponent(name)}`, { roundId })).text) as LinksPage;
    expect(body.total).toBeGreaterThanOrEqual(expected);
    expect(body.total).toBeLessThan(codes);
    expect(body.links.every((l) => l.className?.includes(name) || l.schoolName.includes(name) || l.label.includes(name))).toBe(true);
    // a term that matches nothing: an empty page, not an error
    const none = JSON.parse((await get(`/api/v1/rounds/${roundId}/links?q=${encodeURIComponent('没有这个班%')}`, { roundId })).text) as LinksPage;
    expect([none.links.length, none.total]).toEqual([0, 0]);
  });

  it('a page larger than 500 is refused, naming the field', async () => {
    const res = await get(`/api/v1/rounds/${roundId}/links?limit=5000`, { roundId });
    expect(res.status).toBe(400);
    expect(Object.keys((JSON.parse(res.text) as { error: { fields: Record<string, string[]> } }).error.fields)).toEqual(['limit']);
  });

  it('the CSV download is still the whole list', async () => {
    const res = await get(`/api/v1/rounds/${roundId}/links?format=csv&kind=code`, { roundId });
    expect(res.status).toBe(200);
    expect(res.text.trim().split(/\r?\n/)).toHaveLength(codes + 1);
  });
});

type Row = { id: string | number; name?: string; username?: string; staffName?: string; action?: string };
const LISTS: [path: string, key: string, params: () => Record<string, string>][] = [
  ['/api/v1/classes', 'classes', () => ({})],
  ['/api/v1/staff', 'staff', () => ({})],
  ['/api/v1/users', 'users', () => ({})],
  ['/api/v1/audit', 'entries', () => ({})],
  ['/api/v1/templates', 'templates', () => ({})],
  ['/api/v1/assignments', 'assignments', () => ({})],
];

describe('classes, staff, users, audit, templates, assignments and assessments a page at a time', () => {
  beforeAll(async () => {
    // an assessment year with every staff member of the district computed: the list to page
    const office = { role: 'office' as const, unitId: (await handle.db.select().from(units).where(eq(units.name, '巷道学区')))[0]!.id };
    const cli = { type: 'cli', label: 'paging' } as const;
    const { id } = await createYear(handle.db, office, cli, { unit: '巷道学区', year: new Date().getUTCFullYear() - 1, title: '巷道学区往年', components: [{ key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' }] });
    await yearAction(handle.db, office, cli, id, { action: 'compute' });
    LISTS.push([`/api/v1/assessment-years/${id}/assessments`, 'assessments', () => ({ yearId: id })]);
  });

  // the cases are made once the year exists: one test walks every list
  it('pages of 2 walk each whole list once; total is the count; q narrows', async () => {
    expect(LISTS).toHaveLength(7);
    for (const [path, key, params] of LISTS) await walk(path, key, params());
  }, 120_000);

  async function walk(path: string, key: string, params: Record<string, string>) {
    const read = async (url: string) => JSON.parse((await get(url, params)).text) as { page: number; limit: number; total: number } & Record<string, Row[]>;
    const all = await read(`${path}?limit=500`);
    expect(all[key]!.length, path).toBe(all.total);
    expect(all.total, path).toBeGreaterThan(2);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 2); page++) {
      const body = await read(`${path}?limit=2&page=${page}`);
      expect([body.page, body.limit, body.total], path).toEqual([page, 2, all.total]);
      expect(body[key]!.length).toBeLessThanOrEqual(2);
      seen.push(...body[key]!.map((r) => String(r.id)));
    }
    expect(new Set(seen).size, path).toBe(all.total);
    expect(seen.sort()).toEqual(all[key]!.map((r) => String(r.id)).sort());
    const nameOf = (r: Row) => r.name ?? r.username ?? r.staffName ?? r.action!;
    // a term that is not every row's: the last row's (audit: the oldest entry's action)
    const name = nameOf(all[key]!.at(-1)!);
    const found = await read(`${path}?limit=500&q=${encodeURIComponent(name)}`);
    expect(found[key]!.some((r) => nameOf(r) === name), path).toBe(true);
    expect(found.total, path).toBeLessThan(all.total);
    expect(found.total, path).toBe(found[key]!.length);
  }
});
