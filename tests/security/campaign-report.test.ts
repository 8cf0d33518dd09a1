/**
 * Attacks on the campaign report and campaign edits through the HTTP API with real API keys, on the
 * demo district: a school admin's report (JSON, xlsx, PDF) names no other school of the district; a
 * teacher and the supervision post get nothing in any format; a school admin cannot edit the
 * campaign nor point its comparison at other rounds (403, nothing changed); an office of another
 * district cannot read or edit it (404, as for a campaign that does not exist).
 */
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { campaignComparisons, campaigns, rounds, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let campaignId: string;
const keys: Record<string, string> = {};
const cli = { type: 'cli', label: 'sec' } as const;

async function send(method: string, path: string, key: string, body?: unknown) {
  const bare = path.split('?')[0]!;
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare))!;
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), {
    params: Promise.resolve({ campaignId }),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const db = handle.db;
  const [home] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  [{ id: campaignId }] = (await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.unitId, home!.id))) as [{ id: string }];
  // another district under the same county
  const [other] = await db.insert(units).values({ kind: 'district', name: '古城镇学区', parentId: home!.parentId }).returning();
  for (const [name, role, unit] of [
    ['admin', 'school_admin', '槐山小学'],
    ['teacher', 'staff', '槐山小学'],
    ['supervisor', 'supervisor', '巷道学区'],
    ['foreign', 'office', other!.name],
  ] as const) keys[name] = (await createApiKey(db, cli, { name: `sec-${name}`, role, unit })).key;
}, 300_000);
afterAll(() => handle.close());

describe('the campaign report cannot be read or steered beyond the caller’s scope', () => {
  it('a school admin’s report in every format names no other school', async () => {
    const others = ['巷道中心小学', '巷道初级中学'];
    const json = await send('GET', `/api/v1/campaigns/${campaignId}/report`, keys.admin!);
    expect(json.status).toBe(200);
    const text = json.bytes.toString('utf8');
    expect(text).toContain('槐山小学');
    for (const name of others) expect(text).not.toContain(name);
    expect(JSON.parse(text).accountability).toBeNull();
    const xlsx = await send('GET', `/api/v1/campaigns/${campaignId}/report?format=xlsx`, keys.admin!);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => cells.push(...(row.values as unknown[]).map((v) => String(v ?? '')))));
    expect(cells.join(' ')).toContain('槐山小学');
    for (const name of others) expect(cells.join(' ')).not.toContain(name);
    expect(wb.worksheets.map((w) => w.name).join()).not.toContain('效能问责');
  });

  it('a teacher and the supervision post get nothing, in any format; an office of another district neither', async () => {
    for (const who of ['teacher', 'supervisor'])
      for (const format of ['json', 'xlsx', 'pdf']) {
        const res = await send('GET', `/api/v1/campaigns/${campaignId}/report?format=${format}`, keys[who]!);
        expect([who, format, res.status, res.type]).toEqual([who, format, 403, expect.stringContaining('application/json')]);
      }
    expect((await send('GET', `/api/v1/campaigns/${campaignId}/report?format=pdf`, keys.foreign!)).status).toBe(404);
  });

  it('nobody but the campaign’s office edits it or sets its comparison; nothing changes', async () => {
    const db = handle.db;
    const before = await db.select().from(campaigns).where(eq(campaigns.id, campaignId));
    const [a, b] = await db.select({ id: rounds.id }).from(rounds).limit(2);
    const body = { title: '被篡改的行动', comparison: { baselineRoundId: a!.id, followUpRoundId: b!.id } };
    expect((await send('PATCH', `/api/v1/campaigns/${campaignId}`, keys.admin!, body)).status).toBe(403);
    expect((await send('PATCH', `/api/v1/campaigns/${campaignId}`, keys.supervisor!, body)).status).toBe(403);
    expect((await send('PATCH', `/api/v1/campaigns/${campaignId}`, keys.foreign!, body)).status).toBe(404);
    expect(await db.select().from(campaigns).where(eq(campaigns.id, campaignId))).toEqual(before);
    expect(await db.select().from(campaignComparisons)).toEqual([]);
  });
});
