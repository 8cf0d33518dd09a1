/**
 * The school and district reports as PDF downloads (`…/results/export?format=pdf`): parsed with
 * pdf.js, the report holds the same figures the results API gives the caller — every teacher of
 * the school with n, score and its 95% interval as the table writes them, the school and district
 * rows — and the raw-answers export refuses format=pdf naming the field.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { formatInterval, formatValue } from '@/lib/charts/datasets';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { rounds } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import type { RoundResults } from '@/lib/scoring/schemas';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
let handle: DbHandle;
let key: string;
let roundId: string;

async function get(path: string) {
  const e = ENDPOINTS.find((x) => x.method === 'get' && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  return (await routeHandler(e))(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ roundId }) });
}

async function text(res: Response) {
  const pdf = await getDocument({ data: new Uint8Array(await res.arrayBuffer()), isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const lines: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) lines.push(...(await (await pdf.getPage(i)).getTextContent()).items.map((it) => ('str' in it ? it.str : '')));
  return lines;
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  key = (await createApiKey(handle.db, { type: 'cli', label: 't' }, { name: 'report', role: 'office', unit: '巷道学区' })).key;
  roundId = (await handle.db.select().from(rounds).where(eq(rounds.status, 'released')))[0]!.id;
}, 300_000);
afterAll(() => handle.close());

describe('results reports as PDF', () => {
  it('a school report: every teacher with n, score and interval as the API has them', async () => {
    const district = (await (await get(`/api/v1/rounds/${roundId}/results?level=district`)).json()) as RoundResults;
    const school = district.schools.find((s) => !s.suppressed)!;
    const detail = (await (await get(`/api/v1/rounds/${roundId}/results?level=school&schoolId=${school.key}`)).json()) as RoundResults;
    const res = await get(`/api/v1/rounds/${roundId}/results/export?level=school&schoolId=${school.key}&format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const lines = await text(res);
    expect(lines.join('')).toContain(school.name);
    const teachers = detail.subjects.filter((s) => s.type === 'staff' && !s.suppressed);
    expect(teachers.length).toBeGreaterThan(2);
    for (const t of teachers) {
      expect(lines, t.name).toContain(`${t.name}（n=${t.respondents}）`);
    }
    expect(lines).toContain(formatValue(detail.school!.score, false));
    expect(lines).toContain(formatInterval(detail.school!.scoreCi95, false));
    expect(lines).toContain(formatInterval(detail.district!.satisfactionCi95, true));
  });

  it('the district report names every school; raw answers cannot be a PDF', async () => {
    const district = (await (await get(`/api/v1/rounds/${roundId}/results?level=district`)).json()) as RoundResults;
    const lines = await text(await get(`/api/v1/rounds/${roundId}/results/export?level=district&format=pdf`));
    for (const s of district.schools) expect(lines).toContain(s.name);
    const bad = await get(`/api/v1/rounds/${roundId}/results/export?kind=raw&format=pdf`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('format');
  });
});
