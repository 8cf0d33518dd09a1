/**
 * Evidence attachments of a ledger item through the real route handlers (multipart uploads with
 * API keys): an image is re-encoded so its EXIF block with the GPS position is gone; a file whose
 * name says PNG but whose bytes are HTML or SVG is refused with a field error and nothing stored;
 * an oversize file is refused 413 before it is parsed; the eleventh file is refused; a PDF with
 * JavaScript (plain or inside a deflated stream) is refused; a download gives back exactly the
 * stored bytes with headers that keep a browser from running it; removal rules; every change audited.
 */
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { and, count, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, ledgerAttachments } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { createLedgerItem, ledgerAction } from '@/lib/ledger/ledger';
import { freshDatabase } from '../helpers/db';
import { scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let fx: Awaited<ReturnType<typeof scopeFixtures>>;
let itemId: string;
const cli = { type: 'cli', label: 'att' } as const;

async function send(method: string, path: string, key: string, params: Record<string, string>, body?: FormData) {
  const bare = path.split('?')[0]!;
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(bare))!;
  const res = await (await routeHandler(e))(new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${key}` }, body }), { params: Promise.resolve(params) });
  return res;
}
const form = (name: string, bytes: Uint8Array | string, type = 'image/png') => {
  const f = new FormData();
  f.set('file', new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name, { type }));
  return f;
};
const upload = (key: string, f: FormData, id = itemId) => send('POST', `/api/v1/ledger/${id}/attachments`, key, { itemId: id }, f);
const stored = async (id = itemId) => (await handle.db.select({ n: count() }).from(ledgerAttachments).where(eq(ledgerAttachments.itemId, id)))[0]!.n;
const tiny = (color: string) => sharp({ create: { width: 6, height: 6, channels: 3, background: color } }).png().toBuffer();
/** the EXIF tag that points to the GPS block (0x8825), little-endian as sharp writes it */
const GPS_POINTER = Buffer.from([0x25, 0x88]);

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
  ({ id: itemId } = await createLedgerItem(handle.db, { role: 'school_admin', unitId: fx.school.id }, cli, { problem: '校门口接送秩序混乱', source: 'supervision', measure: '上下学时段安排值守', target: '无拥堵', dueOn: '2026-12-31' }));
});
afterAll(() => handle.close());

describe('ledger attachments', () => {
  it('re-encodes a PNG carrying EXIF with a GPS position: the stored and downloaded file has no EXIF at all', async () => {
    const withGps = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3a7' } })
      .png()
      .withExif({ IFD0: { Make: 'PhoneCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 12/1 0/1' } })
      .toBuffer();
    // the fixture really carries the position
    const exifBefore = (await sharp(withGps).metadata()).exif!;
    expect(exifBefore.indexOf(GPS_POINTER)).toBeGreaterThan(0);
    expect(withGps.includes('eXIf')).toBe(true);

    const res = await upload(fx.keys.school_admin, form('../../现场照片.PNG', withGps));
    expect(res.status).toBe(201);
    const added = (await res.json()) as { id: string; filename: string; contentType: string; size: number; sha256: string };
    expect(added.filename).toBe('现场照片.png');
    expect(added.contentType).toBe('image/png');

    const [row] = await handle.db.select().from(ledgerAttachments).where(eq(ledgerAttachments.id, added.id));
    // PGlite hands bytea back as a Uint8Array, postgres.js as a Buffer
    const bytes = Buffer.from(row!.bytes);
    const meta = await sharp(bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 40, 30]);
    expect(bytes.includes('eXIf')).toBe(false);
    expect(bytes.includes('PhoneCam')).toBe(false);
    expect(bytes.equals(withGps)).toBe(false);
    expect(row!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));

    // the download: exactly the stored bytes, as an attachment, not sniffable, sandboxed
    const dl = await send('GET', `/api/v1/ledger/${itemId}/attachments/${added.id}`, fx.keys.office, { itemId, attachmentId: added.id });
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
    expect(dl.headers.get('content-type')).toBe('image/png');
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="attachment\.png"; filename\*=UTF-8''%E7%8E%B0/);
    expect(dl.headers.get('x-content-type-options')).toBe('nosniff');
    expect(dl.headers.get('content-security-policy')).toContain('sandbox');
    const inline = await send('GET', `/api/v1/ledger/${itemId}/attachments/${added.id}?inline=1`, fx.keys.supervisor, { itemId, attachmentId: added.id });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/);

    // listed, and audited with the digest
    const list = await send('GET', `/api/v1/ledger/${itemId}/attachments`, fx.keys.supervisor, { itemId });
    const body = (await list.json()) as { attachments: { id: string; removable: boolean }[]; canUpload: boolean };
    expect(body.attachments.map((a) => a.id)).toEqual([added.id]);
    // a supervisor reads but neither adds nor removes
    expect([body.canUpload, body.attachments[0]!.removable]).toEqual([false, false]);
    const audits = await handle.db.select().from(auditLog).where(and(eq(auditLog.action, 'ledger.attachment.add'), eq(auditLog.entityId, itemId)));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.summary).toMatchObject({ attachmentId: added.id, sha256: added.sha256 });
  });

  it('refuses a .png that is really HTML or SVG (400, a field error on file) and stores nothing', async () => {
    const before = await stored();
    for (const [name, text] of [
      ['photo.png', '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'],
      ['photo.png', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'],
      ['scan.jpg', 'GIF89a not an allowed type'],
    ] as const) {
      const res = await upload(fx.keys.school_admin, form(name, text, 'image/png'));
      expect(res.status).toBe(400);
      const err = ((await res.json()) as { error: { code: string; fields: Record<string, string[]> } }).error;
      expect(err.code).toBe('validation');
      expect(err.fields.file![0]).toContain('JPEG');
    }
    // a PNG signature followed by garbage is not an image either
    const fake = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('<html><script>x</script>')]);
    const damaged = await upload(fx.keys.school_admin, form('x.png', fake));
    expect(damaged.status).toBe(400);
    expect(await stored()).toBe(before);
  });

  it('refuses a 6 MB file with 413 and stores nothing', async () => {
    const before = await stored();
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set([0xff, 0xd8, 0xff, 0xe0]);
    const res = await upload(fx.keys.school_admin, form('big.jpg', big, 'image/jpeg'));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('5 MB');
    expect(await stored()).toBe(before);
  });

  it('refuses a PDF with JavaScript, plain or deflated, and takes a plain one by its bytes, whatever its name', async () => {
    const before = await stored();
    const pdf = (body: string | Buffer) => Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), Buffer.from(body), Buffer.from('\n%%EOF\n')]);
    const plainJs = pdf('2 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj');
    const hexName = pdf('2 0 obj\n<< /OpenAction << /S /J#61vaScript /J#53 (x) >> >>\nendobj');
    const inStream = pdf(Buffer.concat([Buffer.from('2 0 obj\n<< /Type /ObjStm /Filter /FlateDecode >>\nstream\n'), deflateSync(Buffer.from('<< /S /Launch /F (cmd.exe) >>')), Buffer.from('\nendstream\nendobj')]));
    for (const bad of [plainJs, hexName, inStream]) {
      const res = await upload(fx.keys.school_admin, form('report.pdf', bad, 'application/pdf'));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { fields: Record<string, string[]> } }).error.fields.file![0]).toContain('PDF');
    }
    expect(await stored()).toBe(before);
    const ok = await upload(fx.keys.office, form('整改报告.docx', pdf('2 0 obj\n<< /Type /Page >>\nendobj'), 'application/msword'));
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ filename: '整改报告.pdf', contentType: 'application/pdf' });
  });

  it('takes ten files per item and refuses the eleventh with a field error', async () => {
    for (let n = await stored(); n < 10; n++) expect((await upload(fx.keys.school_admin, form(`p${n}.png`, await tiny(`#${(n * 111111).toString(16).padStart(6, '0').slice(0, 6)}`)))).status).toBe(201);
    expect(await stored()).toBe(10);
    const res = await upload(fx.keys.office, form('eleven.png', await tiny('#fff')));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: Record<string, string[]> } }).error.fields.file![0]).toContain('10');
    expect(await stored()).toBe(10);
  });

  it('removes a file only for its uploader or the office, and nothing on a verified item', async () => {
    const [first] = await handle.db.select().from(ledgerAttachments).where(eq(ledgerAttachments.itemId, itemId)).limit(1);
    const p = { itemId, attachmentId: first!.id };
    // an API key is no uploader: the school's key cannot remove what it sent, the office can
    expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${first!.id}`, fx.keys.school_admin, p)).status).toBe(403);
    expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${first!.id}`, fx.keys.supervisor, p)).status).toBe(403);
    expect(await stored()).toBe(10);
    expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${first!.id}`, fx.keys.office, p)).status).toBe(204);
    expect(await stored()).toBe(9);
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, 'ledger.attachment.remove'))).toHaveLength(1);

    const admin = { role: 'school_admin' as const, unitId: fx.school.id };
    await ledgerAction(handle.db, admin, cli, itemId, { action: 'start' });
    await ledgerAction(handle.db, admin, cli, itemId, { action: 'done', note: '已安排值守' });
    await ledgerAction(handle.db, { role: 'office', unitId: fx.home.id }, cli, itemId, { action: 'verify', effect: '抽查三次均无拥堵' });
    const [next] = await handle.db.select().from(ledgerAttachments).where(eq(ledgerAttachments.itemId, itemId)).limit(1);
    expect((await send('DELETE', `/api/v1/ledger/${itemId}/attachments/${next!.id}`, fx.keys.office, { itemId, attachmentId: next!.id })).status).toBe(409);
    expect((await upload(fx.keys.office, form('late.png', await tiny('#000')))).status).toBe(409);
    expect(await stored()).toBe(9);
  });
});
