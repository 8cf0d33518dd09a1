/**
 * Attacks on a ledger item's evidence files through the real route handlers: the admin of another
 * school, a teacher of the item's own school, an office of another district and a request without
 * credentials can neither list nor download a file (404 / 403 / 401, and no byte of it in the
 * answer); none of them, nor a supervisor, can upload or remove one; another site cannot make a
 * logged-in school admin's browser upload one (CSRF); a school admin removes only their own
 * upload. Nothing is stored or removed by any refused request.
 */
import { count, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { login, SESSION_COOKIE } from '@/lib/auth/sessions';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { ledgerAttachments } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { addLedgerAttachment } from '@/lib/ledger/attachments';
import { createLedgerItem } from '@/lib/ledger/ledger';
import { freshDatabase } from '../helpers/db';
import { PASSWORD, scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;
let otherAdminKey: string;
let foreignOfficeKey: string;
let itemId: string;
let attachmentId: string;
let secret: Buffer;
const cli = { type: 'cli', label: 'sec' } as const;

async function send(method: string, path: string, headers: Record<string, string>, params: Record<string, string>, body?: FormData) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers, body }), { params: Promise.resolve(params) });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const png = (color: string) => sharp({ create: { width: 16, height: 16, channels: 3, background: color } }).png().toBuffer();
const form = (bytes: Buffer) => {
  const f = new FormData();
  f.set('file', new File([new Uint8Array(bytes)], 'evidence.png', { type: 'image/png' }));
  return f;
};
const stored = async () => (await handle.db.select({ n: count() }).from(ledgerAttachments))[0]!.n;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
  otherAdminKey = (await createApiKey(handle.db, cli, { name: 'sec-other-admin', role: 'school_admin', unit: '槐山小学' })).key;
  foreignOfficeKey = (await createApiKey(handle.db, cli, { name: 'sec-foreign-office', role: 'office', unit: '古城镇学区' })).key;
  const admin = { role: 'school_admin' as const, unitId: fx.school.id };
  ({ id: itemId } = await createLedgerItem(handle.db, admin, cli, { problem: '学生体检档案外泄风险', source: 'spot_check', measure: '档案上锁', target: '专人保管', dueOn: '2026-12-31' }));
  const added = await addLedgerAttachment(handle.db, admin, cli, itemId, { name: 'evidence.png', bytes: await png('#c33') });
  attachmentId = added.id;
  secret = Buffer.from((await handle.db.select().from(ledgerAttachments).where(eq(ledgerAttachments.id, attachmentId)))[0]!.bytes);
});
afterAll(() => handle.close());

describe('ledger attachment attacks', () => {
  it('nobody outside the item can list or download its files', async () => {
    const p = { itemId, attachmentId };
    const file = `/api/v1/ledger/${itemId}/attachments/${attachmentId}`;
    const list = `/api/v1/ledger/${itemId}/attachments`;
    const cases: [string, Record<string, string>, number][] = [
      ['another school’s admin', bearer(otherAdminKey), 404],
      ['another district’s office', bearer(foreignOfficeKey), 404],
      ['a teacher of the same school', bearer(fx.keys.staff), 403],
      ['a public request', {}, 401],
      ['a forged key', bearer('pk_forged_0000000000000000000000'), 401],
    ];
    for (const [who, headers, status] of cases) {
      for (const path of [file, `${file}?inline=1`, list]) {
        const res = await send('GET', path, headers, p);
        expect([who, path, res.status]).toEqual([who, path, status]);
        expect(res.bytes.includes(secret.subarray(0, 64))).toBe(false);
        expect(res.bytes.toString()).not.toContain('evidence');
      }
    }
    // the file's own school reads it
    const own = await send('GET', file, bearer(fx.keys.school_admin), p);
    expect(own.status).toBe(200);
    expect(own.bytes.equals(secret)).toBe(true);
  });

  it('a stranger can neither upload nor remove a file', async () => {
    const before = await stored();
    const bytes = await png('#33c');
    const p = { itemId };
    for (const [headers, status] of [
      [bearer(otherAdminKey), 404],
      [bearer(foreignOfficeKey), 404],
      [bearer(fx.keys.staff), 403],
      [bearer(fx.keys.supervisor), 403],
      // a public request from the app's own origin (from another, it is refused as CSRF first)
      [{ origin: 'http://localhost' }, 401],
      [{}, 403],
    ] as const) {
      expect((await send('POST', `/api/v1/ledger/${itemId}/attachments`, { ...headers }, p, form(bytes))).status).toBe(status);
      expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${attachmentId}`, { ...headers }, { itemId, attachmentId })).status).toBe(status);
    }
    expect(await stored()).toBe(before);
  });

  it('another site cannot make a logged-in admin’s browser upload; the admin removes only their own upload', async () => {
    const { token } = await login(handle.db, { username: fx.logins.school_admin.username, password: PASSWORD }, '10.77.0.1');
    const cookie = `${SESSION_COOKIE}=${token}`;
    const before = await stored();
    const bytes = await png('#3c3');
    const csrf = await send('POST', `/api/v1/ledger/${itemId}/attachments`, { cookie, origin: 'https://evil.example' }, { itemId }, form(bytes));
    expect(csrf.status).toBe(403);
    expect(await stored()).toBe(before);
    // from the app's own page it works, and the uploader may remove it again
    const mine = await send('POST', `/api/v1/ledger/${itemId}/attachments`, { cookie, origin: 'http://localhost' }, { itemId }, form(bytes));
    expect(mine.status).toBe(201);
    const mineId = (JSON.parse(mine.bytes.toString()) as { id: string }).id;
    // but not the file the school's API key sent (no uploader): 403, still there
    expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${attachmentId}`, { cookie, origin: 'http://localhost' }, { itemId, attachmentId })).status).toBe(403);
    expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${mineId}`, { cookie, origin: 'http://localhost' }, { itemId, attachmentId: mineId })).status).toBe(204);
    expect(await stored()).toBe(before);
  });
});
