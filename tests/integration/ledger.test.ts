/**
 * The 整改台帐 (rectification ledger) on a real database: the state machine with its roles,
 * illegal steps refused with nothing changed, a reopened item, overdue items, an item made from a
 * complaint, and the xlsx read back with exceljs.
 *
 * Overdue, looked at on 2026-07-20 (Asia/Shanghai); an item is overdue when its deadline has passed
 * and it is neither done nor verified:
 *
 * | item | deadline   | status      | overdue |
 * |------|------------|-------------|---------|
 * | A    | 2026-07-19 | open        | yes     |
 * | B    | 2026-07-20 | in_progress | no (due today) |
 * | C    | 2026-07-10 | done        | no      |
 * | D    | 2026-07-10 | verified    | no      |
 */
import ExcelJS from 'exceljs';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintAction } from '@/lib/complaints/handling';
import { fileComplaint, trackingHash } from '@/lib/complaints/public';
import type { DbHandle } from '@/lib/db/client';
import { auditLog, complaints, ledgerItems, ledgerNotes, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DomainError } from '@/lib/errors';
import { ledgerWorkbook } from '@/lib/ledger/export';
import { createLedgerItem, getLedgerItem, ledgerAction, listLedgerItems } from '@/lib/ledger/ledger';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
const cli = { type: 'cli', label: 'test' } as const;
let office: { role: 'office'; unitId: string };
let supervisor: { role: 'supervisor'; unitId: string };
let admin: { role: 'school_admin'; unitId: string };
let school: string;
let teacher: string;
const on = (d: string) => new Date(`${d}T10:00:00+08:00`);
const base = { problem: '课后作业量偏大', source: 'round' as const, sourceDetail: '家长满意度测评：作业负担', measure: '年级组统筹作业总量', target: '家长满意率达 90%' };

async function refused(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('not refused');
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  const db = handle.db;
  const [home] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  const [s] = await db.select().from(units).where(eq(units.name, '槐山小学'));
  office = { role: 'office', unitId: home!.id };
  supervisor = { role: 'supervisor', unitId: home!.id };
  school = s!.id;
  admin = { role: 'school_admin', unitId: school };
  teacher = (await db.select().from(staff).where(eq(staff.unitId, school)).limit(1))[0]!.id;
});
afterAll(() => handle.close());

describe('the ledger state machine', () => {
  it('runs open → in_progress → done → verified with the right roles, noting and auditing every step', async () => {
    const db = handle.db;
    const { id, seq } = await createLedgerItem(db, admin, cli, { ...base, dueOn: '2026-07-31', responsibleStaffId: teacher }, on('2026-07-01'));
    expect(seq).toBeGreaterThanOrEqual(1);
    let item = await getLedgerItem(db, admin, id, on('2026-07-01'));
    expect(item.status).toBe('open');
    expect(item.actions).toEqual(['start', 'note']);
    await ledgerAction(db, admin, cli, id, { action: 'start', note: '已召开年级组会议' }, on('2026-07-02'));
    await ledgerAction(db, admin, cli, id, { action: 'note', note: '每周公示作业量' }, on('2026-07-05'));
    item = await ledgerAction(db, admin, cli, id, { action: 'done', note: '作业总量控制在规定以内' }, on('2026-07-10'));
    expect(item.status).toBe('done');
    // the school cannot verify its own item: 403, nothing changed
    const e = await refused(ledgerAction(db, admin, cli, id, { action: 'verify', effect: '自评合格' }, on('2026-07-11')));
    expect([e.status, e.params.reason]).toEqual([403, 'ledger_verifier_only']);
    expect((await getLedgerItem(db, office, id)).status).toBe('done');
    expect((await getLedgerItem(db, supervisor, id, on('2026-07-11'))).actions).toEqual(['verify', 'reopen', 'note']);
    item = await ledgerAction(db, supervisor, cli, id, { action: 'verify', effect: '抽查家长 20 人，满意 19 人' }, on('2026-07-12'));
    expect([item.status, item.effect]).toEqual(['verified', '抽查家长 20 人，满意 19 人']);
    expect(item.notes.map((n) => n.status)).toEqual(['open', 'in_progress', null, 'done', 'verified']);
    const audits = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.entityType, 'ledger_item'), eq(auditLog.entityId, id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['ledger.create', 'ledger.done', 'ledger.note', 'ledger.start', 'ledger.verify']);
  });

  it('refuses illegal steps with 409 and changes nothing', async () => {
    const db = handle.db;
    const { id } = await createLedgerItem(db, office, cli, { ...base, unitId: school, dueOn: '2026-07-31' });
    const before = await db.select().from(ledgerItems).where(eq(ledgerItems.id, id));
    const notes = async () => (await db.select({ n: count() }).from(ledgerNotes).where(eq(ledgerNotes.itemId, id)))[0]!.n;
    const n0 = await notes();
    for (const action of [{ action: 'done', note: '已完成' }, { action: 'verify', effect: '合格' }, { action: 'reopen', reason: '复查' }] as const) {
      const e = await refused(ledgerAction(db, office, cli, id, action));
      expect([e.status, e.params.reason]).toEqual([409, 'ledger_step']);
    }
    // bad input: field-level 400
    const bad = await refused(ledgerAction(db, office, cli, id, { action: 'done', note: '' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.fields ?? {})).toContain('note');
    // staff have no ledger
    expect((await refused(getLedgerItem(db, { role: 'staff', unitId: school, staffId: teacher }, id))).status).toBe(403);
    expect(await db.select().from(ledgerItems).where(eq(ledgerItems.id, id))).toEqual(before);
    expect(await notes()).toBe(n0);
    // a responsible person from another school is refused
    const [other] = await db.select().from(staff).where(eq(staff.unitId, office.unitId === school ? school : (await db.select().from(units).where(eq(units.name, '巷道中心小学')))[0]!.id)).limit(1);
    const wrong = await refused(createLedgerItem(db, office, cli, { ...base, unitId: school, dueOn: '2026-07-31', responsibleStaffId: other!.id }));
    expect([wrong.status, Object.keys(wrong.fields ?? {})]).toEqual([400, ['responsibleStaffId']]);
  });

  it('reopens a verified item, which the school then works again', async () => {
    const db = handle.db;
    const { id } = await createLedgerItem(db, admin, cli, { ...base, dueOn: '2026-07-31' });
    await ledgerAction(db, admin, cli, id, { action: 'start' });
    await ledgerAction(db, admin, cli, id, { action: 'done', note: '已整改' });
    await ledgerAction(db, office, cli, id, { action: 'verify', effect: '合格' });
    // the school may not reopen either
    expect((await refused(ledgerAction(db, admin, cli, id, { action: 'reopen', reason: '想再改' }))).status).toBe(403);
    let item = await ledgerAction(db, office, cli, id, { action: 'reopen', reason: '“回头看”复查：问题反弹' });
    expect([item.status, item.effect]).toEqual(['reopened', '合格']);
    item = await ledgerAction(db, admin, cli, id, { action: 'start', note: '再次整改' });
    expect(item.status).toBe('in_progress');
    expect(item.notes.map((n) => n.status)).toEqual(['open', 'in_progress', 'done', 'verified', 'reopened', 'in_progress']);
  });

  it('flags and filters overdue items (the table in the header)', async () => {
    const db = handle.db;
    const [s] = await db.select().from(units).where(eq(units.name, '巷道初级中学'));
    const scope = { role: 'school_admin' as const, unitId: s!.id };
    const make = (dueOn: string) => createLedgerItem(db, scope, cli, { ...base, dueOn }, on('2026-07-01'));
    const a = await make('2026-07-19');
    const b = await make('2026-07-20');
    const c = await make('2026-07-10');
    const d = await make('2026-07-10');
    await ledgerAction(db, scope, cli, b.id, { action: 'start' });
    for (const x of [c, d]) {
      await ledgerAction(db, scope, cli, x.id, { action: 'start' });
      await ledgerAction(db, scope, cli, x.id, { action: 'done', note: '完成' });
    }
    await ledgerAction(db, office, cli, d.id, { action: 'verify', effect: '合格' });
    const now = on('2026-07-20');
    const all = await listLedgerItems(db, scope, {}, now);
    expect(all.total).toBe(4);
    expect(all.items.map((i) => [i.id, i.overdue])).toEqual([[a.id, true], [b.id, false], [c.id, false], [d.id, false]]);
    expect(all.overdue).toBe(1);
    const only = await listLedgerItems(db, scope, { overdue: '1' }, now);
    expect([only.total, only.items.map((i) => i.id)]).toEqual([1, [a.id]]);
    // the next day B is overdue too
    expect((await listLedgerItems(db, scope, { overdue: '1' }, on('2026-07-21'))).total).toBe(2);
    // paging
    const p2 = await listLedgerItems(db, scope, { page: 2, limit: 3 }, now);
    expect([p2.page, p2.total, p2.items.map((i) => i.id)]).toEqual([2, 4, [d.id]]);
  });

  it('makes an item from a complaint the caller may see, and no other', async () => {
    const db = handle.db;
    const { trackingCode } = await fileComplaint(db, '10.77.0.1', { unitId: school, category: 'fees', body: '学校收取资料费三十元，未公示。' });
    const [c] = await db.select().from(complaints).where(eq(complaints.trackingHash, trackingHash(trackingCode.replace(/-/g, ''))));
    // not yet accepted: the school admin does not see it, so cannot use it
    expect((await refused(createLedgerItem(db, admin, cli, { complaintId: c!.id, problem: '乱收费', measure: '退费', target: '全部退还', dueOn: '2026-12-31' }))).status).toBe(404);
    await complaintAction(db, office, cli, c!.id, { action: 'accept' });
    const { id } = await createLedgerItem(db, admin, cli, { complaintId: c!.id, problem: '违规收取资料费', measure: '退还并公示', target: '全部退还', dueOn: '2026-12-31' });
    const item = await getLedgerItem(db, office, id);
    expect([item.source, item.complaintId, item.unitId]).toEqual(['complaint', c!.id, school]);
  });
});

describe('the ledger xlsx', () => {
  it('has the usual columns and reads back with exceljs', async () => {
    const db = handle.db;
    const { id } = await createLedgerItem(db, admin, cli, { ...base, problem: '=HYPERLINK("http://x","y")', dueOn: '2026-08-31', responsibleStaffId: teacher });
    await ledgerAction(db, admin, cli, id, { action: 'start', note: '制定方案' });
    const bytes = await ledgerWorkbook(db, admin, {}, 'zh-CN', on('2026-07-20'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('整改台帐')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['序号', '存在问题', '整改措施', '整改目标', '整改时限', '责任人', '整改进展', '整改效果', '是否销号']);
    const rows = (await listLedgerItems(db, admin, { limit: 500 }, on('2026-07-20'))).items;
    expect(ws.rowCount).toBe(rows.length + 1);
    const [teacherName] = await db.select({ name: staff.name }).from(staff).where(eq(staff.id, teacher));
    const seq = rows.find((r) => r.id === id)!.seq;
    const row = ws.getRow(seq + 1).values as unknown[];
    expect(row.slice(1, 7)).toEqual([seq, `'=HYPERLINK("http://x","y")`, base.measure, base.target, '2026-08-31', teacherName!.name]);
    expect(String(row[7])).toMatch(/制定方案\n整改中$/);
    expect(row[9]).toBe('否');
    // the first item of the school (verified in the first test) says 是
    expect(ws.getRow(2).values).toContain('是');
  });
});
