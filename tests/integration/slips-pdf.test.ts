/**
 * Slips as a print-ready PDF: one batch of one-time codes comes out as an A4 document (2 × 5 slips
 * a sheet, each class on fresh sheets), with every code of the batch on it as text, the Chinese
 * text extractable (the CJK font is embedded, subset), the QR codes drawn as vectors (no image in
 * the document), and nothing of another batch. Parsed with pdf.js, as a reader would open it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, classes, links, roundForms, roundUnits, rounds } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { linkToken, tokenSecret } from '@/lib/rounds/tokens';
import { slipSheets, SLIPS_PER_PAGE } from '@/lib/rounds/slips-pdf';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let key: string;
let roundId: string;
let title: string;
let classCount: number;
const PER_CLASS = 12;
// pdf.js's metrics for the standard 14 fonts (the code is set in Courier)
const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';

async function call(method: 'get' | 'post', path: string, body?: unknown) {
  const e = ENDPOINTS.find((x) => x.method === method && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  return (await routeHandler(e))(
    new Request(`http://localhost${path}`, {
      method: method.toUpperCase(),
      headers: { authorization: `Bearer ${key}`, 'accept-language': 'zh-CN', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { params: Promise.resolve({ roundId }) },
  );
}

async function parse(bytes: Uint8Array) {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
  const pages: string[] = [];
  let images = 0;
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    pages.push((await page.getTextContent()).items.map((it) => ('str' in it ? it.str : '')).join('\n'));
    const ops = await page.getOperatorList();
    images += ops.fnArray.filter((f) => f === OPS.paintImageXObject || f === OPS.paintInlineImageXObject).length;
    const [, , w, h] = page.view;
    expect([Math.round(w!), Math.round(h!)]).toEqual([595, 842]);
  }
  return { numPages: pdf.numPages, pages, images };
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  key = (await createApiKey(handle.db, { type: 'cli', label: 't' }, { name: 'slips', role: 'office', unit: '巷道学区' })).key;
  const [round] = await handle.db.select().from(rounds).where(eq(rounds.status, 'open')).limit(1);
  roundId = round!.id;
  title = round!.title;
  const [form] = await handle.db.select().from(roundForms).where(eq(roundForms.roundId, roundId)).limit(1);
  const [school] = await handle.db.select().from(roundUnits).where(eq(roundUnits.roundId, roundId)).limit(1);
  classCount = (await handle.db.select().from(classes).where(and(eq(classes.schoolId, school!.unitId), eq(classes.active, true)))).length;
  // two batches for one school: the PDF of batch 2 must hold batch 2's codes and none of batch 1's
  for (const count of [3, PER_CLASS]) expect((await call('post', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId: form!.id, schoolId: school!.unitId, count })).status).toBe(201);
}, 300_000);
afterAll(() => handle.close());

const batchTokens = async (batch: number) => {
  const secret = await tokenSecret(handle.db);
  const rows = await handle.db.select({ id: links.id, classId: links.classId }).from(links).where(and(eq(links.roundId, roundId), eq(links.batch, batch))).orderBy(asc(links.classId), asc(links.id));
  return rows.map((r) => ({ token: linkToken(secret, r.id), classId: r.classId! }));
};

describe('slips PDF for a batch', () => {
  it('has every code of the batch once, each class on its own sheets, A4, Chinese text, vector QR codes', async () => {
    const res = await call('get', `/api/v1/rounds/${roundId}/slips?batch=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="slips-.+-b2\.pdf"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const { numPages, pages, images } = await parse(bytes);
    const codes = await batchTokens(2);
    expect(codes).toHaveLength(classCount * PER_CLASS);
    // 12 slips a class at 10 a sheet: 2 sheets a class
    expect(numPages).toBe(classCount * Math.ceil(PER_CLASS / SLIPS_PER_PAGE));
    expect(numPages).toBe(slipSheets(codes.map((c) => ({ kind: 'code', token: c.token, schoolName: '', className: c.classId, label: '' }))));
    const text = pages.join('\n');
    for (const c of codes) expect(text.split(c.token).length - 1, c.token).toBe(1);
    for (const c of await batchTokens(1)) expect(text).not.toContain(c.token);
    // the embedded CJK font extracts as the Chinese it was given
    expect(pages[0]).toContain(title);
    expect(pages[0]).toContain('每个编码仅可使用一次');
    expect(pages[0]).toContain(`第 2 批 · 1/${numPages}`);
    expect(images).toBe(0);
    // subset: the 8 MB font is not embedded whole
    expect(bytes.length).toBeLessThan(200_000 + codes.length * 2_000);
  });

  it('one class: only that class’s codes', async () => {
    const codes = await batchTokens(2);
    const classId = codes[0]!.classId;
    const res = await call('get', `/api/v1/rounds/${roundId}/slips?batch=2&classId=${classId}`);
    expect(res.status).toBe(200);
    const { numPages, pages } = await parse(new Uint8Array(await res.arrayBuffer()));
    expect(numPages).toBe(2);
    const text = pages.join('\n');
    for (const c of codes) expect(text.includes(c.token), c.token).toBe(c.classId === classId);
  });

  it('an unknown batch is 404, a malformed one 400 naming the field; the listing is audited', async () => {
    expect((await call('get', `/api/v1/rounds/${roundId}/slips?batch=99`)).status).toBe(404);
    const bad = await call('get', `/api/v1/rounds/${roundId}/slips?batch=x`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('batch');
    const audited = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'links.list_tokens'));
    expect(audited.some((a) => (a.summary as { via?: string }).via === 'pdf')).toBe(true);
  });
});
