import { count, eq } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '@/lib/auth/scope';
import type { DbHandle } from '@/lib/db/client';
import { auditLog, classes, staff, teachingAssignments, units } from '@/lib/db/schema';
import { translateIssues } from '@/lib/i18n/translate';
import { importRosterFile } from '@/lib/org/roster/apply';
import { rosterTables, toCsv, toXlsx } from '@/lib/org/roster/export';
import { readRosterFile, RosterImportError } from '@/lib/org/roster/read';
import { freshDatabase } from '../helpers/db';
import { makeXlsx } from '../helpers/xlsx';

let handle: DbHandle;
let office: Scope;
let schoolAdmin: Scope;
const actor = { type: 'cli', label: 'test' } as const;

const ROSTER = {
  学校: [
    ['学校名称', '学校代码', '上级单位'],
    ['红星小学', 'HX01', ''],
    ['东风中学', 'DF01', ''],
  ],
  班级: [
    ['学校名称', '班级名称', '年级', '学生人数', '家长人数'],
    ['红星小学', '一年级(1)班', '1', 40, 40],
    ['红星小学', '六年级(2)班', '六年级', 42, 41],
    ['东风中学', '初一(1)班', '初一', 50, ''],
  ],
  教职工: [
    ['工号', '姓名', '所属单位', '岗位', '任教学科', '是否在职'],
    ['HX0001', '王芳', '红星小学', '班主任', '语文', '是'],
    ['HX0002', '李强', '红星小学', '教师', '数学、科学', ''],
    ['DF0001', '赵敏', '东风中学', '教师', '英语', '是'],
  ],
  任课: [
    ['工号', '学校名称', '班级名称', '学科', '学年', '班主任'],
    ['HX0001', '红星小学', '一年级(1)班', '语文', '2026-2027', '是'],
    ['HX0002', '红星小学', '一年级(1)班', '数学', '2026-2027', ''],
    ['HX0002', '红星小学', '六年级(2)班', '数学', '2026-2027', '否'],
    ['DF0001', '东风中学', '初一(1)班', '英语', '2026-2027', '是'],
  ],
};

async function counts() {
  const n = async (t: typeof units | typeof classes | typeof staff | typeof teachingAssignments) => (await handle.db.select({ n: count() }).from(t))[0]!.n;
  return { units: await n(units), classes: await n(classes), staff: await n(staff), assignments: await n(teachingAssignments) };
}

async function expectRefused(promise: Promise<unknown>) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RosterImportError);
  return translateIssues('zh-CN', err as RosterImportError)!;
}

beforeAll(async () => {
  handle = await freshDatabase();
  const [county] = await handle.db.insert(units).values({ kind: 'county', name: '高台县教育体育局' }).returning();
  const [district] = await handle.db.insert(units).values({ kind: 'district', name: '新华学区', parentId: county!.id }).returning();
  office = { role: 'office', unitId: district!.id };
});
afterAll(() => handle.close());

describe('roster import from xlsx', () => {
  it('creates schools, classes, staff and assignments in one go, with a summary and an audit entry', async () => {
    const file = await makeXlsx({ 说明: [['本表由学区办公室维护']], ...ROSTER });
    const summary = await importRosterFile(handle.db, office, actor, { name: '花名册.xlsx', bytes: file });
    expect(summary).toEqual({
      schools: { created: 2, updated: 0, unchanged: 0, deactivated: 0 },
      classes: { created: 3, updated: 0, unchanged: 0, deactivated: 0 },
      staff: { created: 3, updated: 0, unchanged: 0, deactivated: 0 },
      assignments: { created: 4, updated: 0, unchanged: 0, deactivated: 0 },
    });
    const [six] = await handle.db.select().from(classes).where(eq(classes.name, '六年级(2)班'));
    expect(six).toMatchObject({ grade: 6, expectedStudents: 42, expectedParents: 41 });
    const [junior] = await handle.db.select().from(classes).where(eq(classes.name, '初一(1)班'));
    // 初一 is grade 7; a blank parent count defaults to the student count
    expect(junior).toMatchObject({ grade: 7, expectedParents: 50 });
    const [li] = await handle.db.select().from(staff).where(eq(staff.staffNo, 'HX0002'));
    expect(li).toMatchObject({ name: '李强', position: '教师', subjects: ['数学', '科学'], active: true });
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'roster.import'));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.summary).toMatchObject({ source: '花名册.xlsx' });
    const school = (await handle.db.select().from(units).where(eq(units.name, '红星小学')))[0]!;
    schoolAdmin = { role: 'school_admin', unitId: school.id };
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await counts();
    const file = await makeXlsx(ROSTER);
    const summary = await importRosterFile(handle.db, office, actor, { name: 'again.xlsx', bytes: file });
    expect(summary.staff).toEqual({ created: 0, updated: 0, unchanged: 3, deactivated: 0 });
    expect(summary.assignments).toEqual({ created: 0, updated: 0, unchanged: 4, deactivated: 0 });
    expect(await counts()).toEqual(before);
    expect(await handle.db.select().from(auditLog).where(eq(auditLog.action, 'roster.import'))).toHaveLength(1);
  });

  it('updates by key and counts deactivations', async () => {
    const file = await makeXlsx({
      教职工: [
        ['工号', '姓名', '所属单位', '岗位', '任教学科', '是否在职'],
        ['HX0002', '李强', '红星小学', '教师', '数学', '否'],
      ],
    });
    const summary = await importRosterFile(handle.db, office, actor, { name: 'leave.xlsx', bytes: file });
    expect(summary).toEqual({ staff: { created: 0, updated: 1, unchanged: 0, deactivated: 1 } });
    const [li] = await handle.db.select().from(staff).where(eq(staff.staffNo, 'HX0002'));
    expect(li).toMatchObject({ active: false, subjects: ['数学'] });
  });
});

describe('partial files', () => {
  it('a file without an optional column leaves that field of existing records alone', async () => {
    const before = (await handle.db.select().from(classes).where(eq(classes.name, '六年级(2)班')))[0]!;
    const file = await makeXlsx({ 班级: [['学校名称', '班级名称', '年级'], ['红星小学', '六年级(2)班', '6']] });
    const summary = await importRosterFile(handle.db, office, actor, { name: 'few-columns.xlsx', bytes: file });
    expect(summary.classes).toEqual({ created: 0, updated: 0, unchanged: 1, deactivated: 0 });
    const after = (await handle.db.select().from(classes).where(eq(classes.name, '六年级(2)班')))[0]!;
    expect(after).toEqual(before);
  });
});

describe('roster import from CSV', () => {
  it('reads GBK, as Chinese Excel saves CSV by default', async () => {
    const text = '工号,姓名,所属单位,岗位,任教学科\r\nHX0003,孙丽,红星小学,教师,音乐\r\n';
    const gbk = iconv.encode(text, 'gbk');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const summary = await importRosterFile(handle.db, office, actor, { name: 'staff.csv', bytes: new Uint8Array(gbk) });
    expect(summary).toEqual({ staff: { created: 1, updated: 0, unchanged: 0, deactivated: 0 } });
    const [sun] = await handle.db.select().from(staff).where(eq(staff.staffNo, 'HX0003'));
    expect(sun!.name).toBe('孙丽');
  });

  it('reads UTF-8 with a BOM', async () => {
    const bytes = new TextEncoder().encode('\uFEFF学校名称,班级名称,年级\r\n红星小学,二年级(1)班,2\r\n');
    expect(await importRosterFile(handle.db, office, actor, { name: 'classes.csv', bytes })).toEqual({
      classes: { created: 1, updated: 0, unchanged: 0, deactivated: 0 },
    });
  });
});

describe('a bad file is refused whole, with every error named', () => {
  it('reports five different errors with sheet, row and column, and writes nothing', async () => {
    const before = await counts();
    const file = await makeXlsx({
      班级: [
        ['学校名称', '班级名称', '年级', '学生人数'],
        ['红星小学', '三年级(1)班', '13', 40], // grade out of range
        ['不存在小学', '一年级(1)班', '1', 40], // unknown school
      ],
      教职工: [
        ['工号', '姓名', '所属单位', '岗位'],
        ['HX0009', '周杰', '红星小学', '教师'],
        ['HX0009', '吴刚', '红星小学', '教师'], // duplicate staff number
        ['HX0010', '', '红星小学', '教师'], // missing name
      ],
      任课: [
        ['工号', '学校名称', '班级名称', '学科', '学年'],
        ['ZZ9999', '红星小学', '一年级(1)班', '语文', '2026-2027'], // unknown staff
      ],
    });
    const issues = await expectRefused(importRosterFile(handle.db, office, actor, { name: 'bad.xlsx', bytes: file }));
    expect(issues.map((i) => [i.sheet, i.row, i.column, i.code])).toEqual([
      ['班级', 2, '年级', 'grade_range'],
      ['班级', 3, '学校名称', 'unknown_school'],
      ['教职工', 3, '工号', 'duplicate'],
      ['教职工', 4, '姓名', 'required'],
      ['任课', 2, '工号', 'unknown_staff'],
    ]);
    expect(issues[0]!.message).toBe('班级 第 2 行 年级：年级超出范围（1–12）：13');
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty file, a file that is not a spreadsheet, an oversize file and missing columns', async () => {
    const codes = async (name: string, bytes: Uint8Array) => (await expectRefused(importRosterFile(handle.db, office, actor, { name, bytes }))).map((i) => i.code);
    expect(await codes('empty.xlsx', new Uint8Array())).toEqual(['empty_file']);
    expect(await codes('photo.xlsx', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]))).toEqual(['not_spreadsheet']);
    expect(await codes('broken.xlsx', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0]))).toEqual(['not_spreadsheet']);
    expect(await codes('big.csv', new Uint8Array(20 * 1024 * 1024 + 1))).toEqual(['file_too_large']);
    expect(await codes('headers.csv', new TextEncoder().encode('工号,姓名\r\nA1,张三\r\n'))).toEqual(['no_known_sheet']);
    const missing = await makeXlsx({ 教职工: [['工号', '姓名', '岗位', '备注'], ['A1', '张三', '教师', 'x']] });
    expect(await codes('missing.xlsx', missing)).toEqual(['unknown_column', 'missing_column']);
  });

  it('a school admin may not touch another school or import schools', async () => {
    const file = await makeXlsx({
      学校: [['学校名称'], ['新建小学']],
      班级: [['学校名称', '班级名称', '年级'], ['东风中学', '初二(1)班', '8']],
    });
    const issues = await expectRefused(importRosterFile(handle.db, schoolAdmin, actor, { name: 'x.xlsx', bytes: file }));
    expect(issues.map((i) => i.code)).toEqual(['not_allowed', 'unknown_school']);
  });
});

describe('export', () => {
  it('round-trips through the import unchanged, as xlsx and as CSV', async () => {
    const tables = await rosterTables(handle.db, office);
    expect(tables.staff![0]).toEqual(['工号', '姓名', '所属单位', '岗位', '任教学科', '是否在职']);
    expect(tables.staff!.length).toBe(5);
    const before = await counts();
    const xlsx = await importRosterFile(handle.db, office, actor, { name: 'export.xlsx', bytes: await toXlsx(tables) });
    for (const s of Object.values(xlsx)) expect(s.created + s.updated).toBe(0);
    const csv = toCsv(tables.assignments!);
    expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const fromCsv = await importRosterFile(handle.db, office, actor, { name: 'assignments.csv', bytes: csv });
    expect(fromCsv.assignments).toEqual({ created: 0, updated: 0, unchanged: 4, deactivated: 0 });
    expect(await counts()).toEqual(before);
  });

  it('neutralises formula-like cells in CSV and restores them on import', async () => {
    const table = [
      ['工号', '姓名', '所属单位', '岗位'],
      ['F1', '=HYPERLINK("http://x")', '红星小学', '教师'],
      ['F2', '@SUM(A1)', '红星小学', '教师'],
    ];
    const bytes = toCsv(table);
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(csv).toBe('\uFEFF工号,姓名,所属单位,岗位\r\nF1,"\'=HYPERLINK(""http://x"")",红星小学,教师\r\nF2,\'@SUM(A1),红星小学,教师\r\n');
    const sheets = await readRosterFile({ name: 'f.csv', bytes });
    expect(sheets.staff!.map((r) => r.cells.name)).toEqual(['=HYPERLINK("http://x")', '@SUM(A1)']);
  });
});
