import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { classes, staff } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';
import { makeXlsx, readXlsx } from '../helpers/xlsx';

let handle: DbHandle;
let key: string;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  key = (await createApiKey(handle.db, { type: 'cli', label: 't' }, { name: 'org', role: 'office', unit: '巷道学区' })).key;
});
afterAll(() => handle.close());

async function call(method: string, path: string, init: { body?: unknown; form?: FormData; params?: Record<string, string>; lang?: string } = {}) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, 'accept-language': init.lang ?? 'zh-CN' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await (await routeHandler(e))(
    new Request(`http://localhost${path}`, { method, headers, body: init.form ?? (init.body === undefined ? undefined : JSON.stringify(init.body)) }),
    { params: Promise.resolve(init.params ?? {}) },
  );
  return res;
}

describe('roster records through the API', () => {
  it('creates a class and a staff member with the same checks as an import', async () => {
    const res = await call('POST', '/api/v1/classes', { body: { school: '槐山小学', name: '七彩班', grade: 5, expectedStudents: 30 } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const [row] = await handle.db.select().from(classes).where(eq(classes.id, id));
    expect(row).toMatchObject({ name: '七彩班', grade: 5, expectedStudents: 30, expectedParents: 30 });

    const bad = await call('POST', '/api/v1/staff', { body: { staffNo: 'N 1', name: '', unit: '不存在', position: '校董' } });
    expect(bad.status).toBe(400);
    const { error } = (await bad.json()) as { error: { fields: Record<string, string[]> } };
    expect(Object.keys(error.fields).sort()).toEqual(['name', 'staffNo']);

    const unknownUnit = await call('POST', '/api/v1/staff', { body: { staffNo: 'N1', name: '钱老师', unit: '不存在', position: '校董' } });
    const fields = ((await unknownUnit.json()) as { error: { fields: Record<string, string[]> } }).error.fields;
    expect(fields).toEqual({ unit: ['找不到单位：不存在'], position: ['岗位应为：校长、副校长、书记、主任、教师、班主任、工勤、其他'] });
  });

  it('creating a record that exists is a conflict, not a silent overwrite', async () => {
    const res = await call('POST', '/api/v1/classes', { body: { school: '槐山小学', name: '七彩班', grade: 1 } });
    expect(res.status).toBe(409);
    const [row] = await handle.db.select().from(classes).where(eq(classes.name, '七彩班'));
    expect(row!.grade).toBe(5);
  });

  it('deactivates staff instead of deleting them', async () => {
    const [someone] = await handle.db.select().from(staff).limit(1);
    const res = await call('PATCH', `/api/v1/staff/${someone!.id}`, { body: { active: false }, params: { staffId: someone!.id } });
    expect(res.status).toBe(200);
    const [after] = await handle.db.select().from(staff).where(eq(staff.id, someone!.id));
    expect(after!.active).toBe(false);
    const list = (await (await call('GET', '/api/v1/staff?active=false')).json()) as { staff: { id: string }[] };
    expect(list.staff.map((s) => s.id)).toContain(someone!.id);
  });
});

describe('roster files through the API', () => {
  it('a dry run checks without writing; the real import applies', async () => {
    const file = await makeXlsx({ 班级: [['学校名称', '班级名称', '年级'], ['槐山小学', '试点班', '3']] });
    const form = () => {
      const f = new FormData();
      f.set('file', new File([Buffer.from(file)], '班级.xlsx'));
      return f;
    };
    const dry = await call('POST', '/api/v1/roster/import?dryRun=true', { form: form() });
    expect(await dry.json()).toEqual({ applied: false, summary: { classes: { created: 1, updated: 0, unchanged: 0, deactivated: 0 } } });
    expect(await handle.db.select().from(classes).where(eq(classes.name, '试点班'))).toHaveLength(0);
    const real = await call('POST', '/api/v1/roster/import', { form: form() });
    expect(((await real.json()) as { applied: boolean }).applied).toBe(true);
    expect(await handle.db.select().from(classes).where(eq(classes.name, '试点班'))).toHaveLength(1);
  });

  it('a bad file answers 400 with every issue located, in the caller’s language', async () => {
    const f = new FormData();
    f.set('file', new File([new TextEncoder().encode('学校名称,班级名称,年级\r\n槐山小学,甲班,十三\r\n无名小学,乙班,2\r\n')], 'c.csv'));
    const res = await call('POST', '/api/v1/roster/import', { form: f, lang: 'en' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; message: string; issues: { message: string }[] } };
    expect(error.code).toBe('roster_invalid');
    expect(error.message).toBe('The file has 2 error(s); nothing was written.');
    expect(error.issues.map((i) => i.message)).toEqual([
      '班级 row 2, 年级: Grade not understood (e.g. 6, 六年级, 初一, 高二): 十三',
      '班级 row 3, 学校名称: No such school: 无名小学',
    ]);
  });

  it('a missing file field is a field error; an upload over 20 MB is 413', async () => {
    const none = await call('POST', '/api/v1/roster/import', { form: new FormData() });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: { fields: Record<string, string[]> } }).error.fields).toEqual({ file: ['必填。'] });
    const big = new FormData();
    big.set('file', new File([new Uint8Array(20 * 1024 * 1024 + 10)], 'big.csv'));
    expect((await call('POST', '/api/v1/roster/import', { form: big })).status).toBe(413);
  });

  it('exports xlsx and CSV, and serves a template with Chinese headers', async () => {
    const xlsx = await call('GET', '/api/v1/roster/export?format=xlsx');
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = await readXlsx(new Uint8Array(await xlsx.arrayBuffer()));
    expect(Object.keys(book)).toEqual(['学校', '班级', '教职工', '任课']);
    expect(book['学校']!.slice(1).map((r) => r[0]).sort()).toEqual(['巷道中心小学', '巷道初级中学', '槐山小学'].sort());
    const csv = await call('GET', '/api/v1/roster/export?format=csv&sheet=classes');
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith('\uFEFF学校名称,班级名称,年级,学生人数,家长人数,是否启用\r\n')).toBe(true);
    const template = await readXlsx(new Uint8Array(await (await call('GET', '/api/v1/roster/template')).arrayBuffer()));
    expect(template['任课']).toEqual([
      ['工号', '学校名称', '班级名称', '学科', '学年', '班主任'],
      ['XD0001', '巷道中心小学', '六年级(2)班', '语文', '2026-2027', '是'],
    ]);
  });
});
