/**
 * Attacks on the 整改台帐 through the HTTP API with real API keys: the school admin of another
 * school can neither read nor change an item (404, as for one that does not exist, and nothing
 * changed); a school admin cannot verify or reopen their own school's item (403); a school admin
 * cannot file an item for another school; staff have no ledger.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { ledgerItems, ledgerNotes } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { createLedgerItem, ledgerAction } from '@/lib/ledger/ledger';
import { freshDatabase } from '../helpers/db';
import { scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;
let otherAdminKey: string;
let itemId: string;
const cli = { type: 'cli', label: 'sec' } as const;

async function send(method: string, path: string, key: string, params: Record<string, string> = {}, body?: unknown) {
  const bare = path.split('?')[0]!;
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare))!;
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }), {
    params: Promise.resolve(params),
  });
  const text = await res.text();
  return { status: res.status, text };
}

const snapshot = async () => ({
  item: await handle.db.select().from(ledgerItems).where(eq(ledgerItems.id, itemId)),
  notes: await handle.db.select().from(ledgerNotes).where(eq(ledgerNotes.itemId, itemId)),
});

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
  // the admin of 槐山小学, a school of the same district as 巷道中心小学
  otherAdminKey = (await createApiKey(handle.db, cli, { name: 'sec-other-admin', role: 'school_admin', unit: '槐山小学' })).key;
  const admin = { role: 'school_admin' as const, unitId: fx.school.id };
  ({ id: itemId } = await createLedgerItem(handle.db, admin, cli, { problem: '食堂卫生不达标', source: 'supervision', measure: '每日检查', target: '检查合格', dueOn: '2026-12-31' }));
  await ledgerAction(handle.db, admin, cli, itemId, { action: 'start' });
  await ledgerAction(handle.db, admin, cli, itemId, { action: 'done', note: '已整改' });
});
afterAll(() => handle.close());

describe('ledger attacks', () => {
  it('the admin of another school can neither read nor change an item', async () => {
    const before = await snapshot();
    const p = { itemId };
    expect((await send('GET', `/api/v1/ledger/${itemId}`, otherAdminKey, p)).status).toBe(404);
    for (const body of [{ action: 'note', note: '篡改' }, { action: 'start' }, { action: 'verify', effect: '合格' }, { action: 'reopen', reason: '再改' }]) {
      expect((await send('POST', `/api/v1/ledger/${itemId}/actions`, otherAdminKey, p, body)).status).toBe(404);
    }
    const list = await send('GET', `/api/v1/ledger?unitId=${fx.school.id}`, otherAdminKey);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(itemId);
    expect(list.text).not.toContain('食堂卫生不达标');
    const xlsx = await send('GET', `/api/v1/ledger/export?unitId=${fx.school.id}`, otherAdminKey);
    expect(xlsx.status).toBe(200);
    expect(xlsx.text).not.toContain('食堂卫生');
    // nor file an item for it
    const filed = await send('POST', '/api/v1/ledger', otherAdminKey, {}, { unitId: fx.school.id, problem: '栽赃', source: 'other', measure: '无需整改', target: '无需整改', dueOn: '2026-12-31' });
    expect(filed.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('a school admin cannot verify or reopen their own item; the office can verify it', async () => {
    const before = await snapshot();
    const own = await send('POST', `/api/v1/ledger/${itemId}/actions`, fx.keys.school_admin, { itemId }, { action: 'verify', effect: '自评合格' });
    expect(own.status).toBe(403);
    expect(own.text).toContain('销号');
    expect((await send('POST', `/api/v1/ledger/${itemId}/actions`, fx.keys.school_admin, { itemId }, { action: 'reopen', reason: '再改' })).status).toBe(403);
    expect((await send('POST', `/api/v1/ledger/${itemId}/actions`, fx.keys.staff, { itemId }, { action: 'verify', effect: '合格' })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
    const ok = await send('POST', `/api/v1/ledger/${itemId}/actions`, fx.keys.office, { itemId }, { action: 'verify', effect: '复查合格' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text).status).toBe('verified');
  });
});
