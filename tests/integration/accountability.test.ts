/**
 * 效能问责 records through the API on a real database, and what they do to the annual assessment:
 * a measure whose kind caps the grade, decided in the assessment's year and not revoked, keeps the
 * person's proposal at or below the cap, noted with the measure's name; no sanction entry needed.
 *
 * Year Y (a past year, not the demo's current one), school 问责小学, one component (平时考核 100%),
 * no 优秀 quota (100%), thresholds 优秀 ≥ 90, 合格 ≥ 75:
 *
 * | person | 平时考核 | by score | 问责 record                                     | proposed | note                         |
 * | 甲     | 95      | 优秀     | 降低考核等次 (cap 合格), decided Y-06-15          | 合格     | accountability_cap 降低考核等次 |
 * | 乙     | 95      | 优秀     | 降低考核等次, Y-03-01, revoked                    | 优秀     | —                            |
 * | 丙     | 95      | 优秀     | 降低考核等次, (Y-1)-12-31: the year before        | 优秀     | —                            |
 * | 丁     | 95      | 优秀     | 通报批评 (no cap), Y-05-01                        | 优秀     | —                            |
 * | 戊     | 95      | 优秀     | 效能告诫 (cap 合格), Y-01-01: first day counts    | 合格     | accountability_cap 效能告诫   |
 * | 己     | 80      | 合格     | 降低考核等次, Y-12-31: last day counts            | 合格     | — (already 合格: no note)     |
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { recordEntries } from '@/lib/assessment/entries';
import { createYear, yearAction } from '@/lib/assessment/mutations';
import type { Scope } from '@/lib/auth/scope';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { accountabilityRecords, auditLog, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

let handle: DbHandle;
let office: Scope;
let token: string;
const actor = { type: 'cli', label: 'test' } as const;
const Y = new Date().getUTCFullYear() - 3;
const names = ['甲', '乙', '丙', '丁', '戊', '己'];
let ids: Record<string, string>;
let types: Record<string, { id: string; capGrade: string | null }>;

async function api(method: string, path: string, params: Record<string, string> = {}, body?: unknown) {
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && new RegExp(`^${x.path.replace(/\{\w+\}/g, '[^/]+')}$`).test(path.split('?')[0]!))!;
  const res = await (await routeHandler(e))(
    new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** name → the person's assessment row of the year, as the API answers it */
async function assessed(yearId: string): Promise<Record<string, { compositeScore: number; proposedGrade: string; notes: unknown[] }>> {
  const { body } = await api('GET', `/api/v1/assessment-years/${yearId}/assessments`, { yearId });
  return Object.fromEntries((body.assessments as { name: string; compositeScore: number; proposedGrade: string; notes: unknown[] }[]).map((a) => [a.name, a]));
}

const record = (who: string, type: string, decidedOn: string) =>
  api('POST', '/api/v1/accountability/records', {}, { staffId: ids[who], typeId: types[type]!.id, reason: `${who}：工作日擅离岗位`, decidedOn });

beforeAll(async () => {
  handle = await freshDatabase();
  setAppDatabase(handle);
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  office = { role: 'office', unitId: district!.id };
  token = (await createApiKey(handle.db, actor, { name: 'accountability', role: 'office', unit: '巷道学区' })).key;
  const [school] = await handle.db.insert(units).values({ kind: 'school', name: '问责小学', parentId: district!.id }).returning();
  const people = await handle.db
    .insert(staff)
    .values(names.map((n, i) => ({ unitId: school!.id, staffNo: `WZ${String(i + 1).padStart(2, '0')}`, name: n, position: '教师' })))
    .returning();
  ids = Object.fromEntries(people.map((p) => [p.name, p.id]));
});
afterAll(() => handle.close());

describe('measure kinds', () => {
  it('creates the usual four on first use, with 效能告诫 and 降低考核等次 capping at 合格', async () => {
    const { status, body } = await api('GET', '/api/v1/accountability/types');
    expect(status).toBe(200);
    types = Object.fromEntries((body.types as { name: string; id: string; capGrade: string | null }[]).map((t) => [t.name, t]));
    expect(Object.entries(types).map(([n, t]) => [n, t.capGrade])).toEqual([
      ['效能告诫', 'qualified'],
      ['诫勉谈话', null],
      ['通报批评', null],
      ['降低考核等次', 'qualified'],
    ]);
    // a second visit does not add another four
    expect((await api('GET', '/api/v1/accountability/types')).body.types).toHaveLength(4);
  });

  it('adds a kind, refuses a duplicate name (409) and a bad cap (400, field error)', async () => {
    const added = await api('POST', '/api/v1/accountability/types', {}, { name: '组织处理', capGrade: 'basically_qualified' });
    expect(added.status).toBe(201);
    expect((await api('POST', '/api/v1/accountability/types', {}, { name: '组织处理' })).status).toBe(409);
    const bad = await api('POST', '/api/v1/accountability/types', {}, { name: '停职检查', capGrade: 'best' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['capGrade']);
    const retired = await api('PATCH', `/api/v1/accountability/types/${added.body.id}`, { typeId: added.body.id }, { active: false });
    expect(retired.body.active).toBe(false);
    // a retired kind takes no new records
    const refused = await api('POST', '/api/v1/accountability/records', {}, { staffId: ids['甲'], typeId: added.body.id, reason: '试用已停用的类型', decidedOn: `${Y}-02-01` });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual(['typeId']);
  });
});

describe('records feed the annual assessment', () => {
  let yearId: string;
  beforeAll(async () => {
    const year = await createYear(handle.db, office, actor, {
      unit: '问责小学',
      year: Y,
      title: `问责小学 ${Y} 年度考核`,
      components: [{ key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' }],
      rules: { thresholds: { excellent: 90, qualified: 75, basicallyQualified: 60 }, excellentQuotaPercent: 100 },
    });
    yearId = year.id;
    await recordEntries(handle.db, office, actor, yearId, {
      entries: names.map((n, i) => ({ staff: `WZ${String(i + 1).padStart(2, '0')}`, period: '全年', score: n === '己' ? 80 : 95 })),
    });
  });

  it('records measures (201) and refuses bad input with field errors, changing nothing', async () => {
    const before = await handle.db.select().from(accountabilityRecords);
    const bad = await api('POST', '/api/v1/accountability/records', {}, { staffId: ids['甲'], typeId: types['降低考核等次']!.id, reason: '', decidedOn: `${Y}-13-01` });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['decidedOn', 'reason']);
    const unknownComplaint = await api('POST', '/api/v1/accountability/records', {}, { staffId: ids['甲'], typeId: types['降低考核等次']!.id, reason: '有投诉', decidedOn: `${Y}-06-15`, complaintId: crypto.randomUUID() });
    expect(unknownComplaint.status).toBe(400);
    expect(Object.keys(unknownComplaint.body.error.fields)).toEqual(['complaintId']);
    expect(await handle.db.select().from(accountabilityRecords)).toEqual(before);

    const jia = await record('甲', '降低考核等次', `${Y}-06-15`);
    expect(jia.status).toBe(201);
    expect(jia.body).toMatchObject({ staffName: '甲', unitName: '问责小学', typeName: '降低考核等次', capGrade: 'qualified', decidedOn: `${Y}-06-15`, revoked: false });
    const yi = await record('乙', '降低考核等次', `${Y}-03-01`);
    expect((await record('丙', '降低考核等次', `${Y - 1}-12-31`)).status).toBe(201);
    expect((await record('丁', '通报批评', `${Y}-05-01`)).status).toBe(201);
    expect((await record('戊', '效能告诫', `${Y}-01-01`)).status).toBe(201);
    expect((await record('己', '降低考核等次', `${Y}-12-31`)).status).toBe(201);

    const revoked = await api('POST', `/api/v1/accountability/records/${yi.body.id}/revoke`, { recordId: yi.body.id }, { reason: '经复查，情况不属实' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ revoked: true, revokedReason: '经复查，情况不属实' });
    // revoked once only
    const again = await api('POST', `/api/v1/accountability/records/${yi.body.id}/revoke`, { recordId: yi.body.id }, { reason: '再撤一次' });
    expect(again.status).toBe(409);
    const audit = await handle.db.select().from(auditLog).where(eq(auditLog.entityId, yi.body.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['accountability.create', 'accountability.revoke']);
  });

  it('lists with filters: the year, only active ones, a person', async () => {
    const inYear = await api('GET', `/api/v1/accountability/records?year=${Y}`);
    expect(inYear.body.total).toBe(5); // 丙's is the year before
    const active = await api('GET', `/api/v1/accountability/records?year=${Y}&status=active`);
    expect((active.body.records as { staffName: string }[]).map((r) => r.staffName).sort()).toEqual(['丁', '己', '戊', '甲'].sort());
    const one = await api('GET', `/api/v1/accountability/records?staffId=${ids['丙']}`);
    expect(one.body.records).toHaveLength(1);
    expect(one.body.records[0].decidedOn).toBe(`${Y - 1}-12-31`);
  });

  it('caps the proposal as in the table above, naming the measure', async () => {
    expect((await yearAction(handle.db, office, actor, yearId, { action: 'compute' })).computed).toBe(6);
    const by = await assessed(yearId);
    expect(names.map((n) => [n, by[n]!.compositeScore, by[n]!.proposedGrade])).toEqual([
      ['甲', 95, 'qualified'],
      ['乙', 95, 'excellent'],
      ['丙', 95, 'excellent'],
      ['丁', 95, 'excellent'],
      ['戊', 95, 'qualified'],
      ['己', 80, 'qualified'],
    ]);
    expect(by['甲']!.notes).toEqual([{ code: 'accountability_cap', params: { measure: '降低考核等次', cap: 'qualified' } }]);
    expect(by['戊']!.notes).toEqual([{ code: 'accountability_cap', params: { measure: '效能告诫', cap: 'qualified' } }]);
    for (const n of ['乙', '丙', '丁', '己']) expect(by[n]!.notes).toEqual([]);
  });

  it('revoking 甲’s record lifts the cap at the next computation', async () => {
    const [jia] = await handle.db.select().from(accountabilityRecords).where(eq(accountabilityRecords.staffId, ids['甲']!));
    expect((await api('POST', `/api/v1/accountability/records/${jia!.id}/revoke`, { recordId: jia!.id }, { reason: '申诉成立' })).status).toBe(200);
    await yearAction(handle.db, office, actor, yearId, { action: 'compute' });
    const jiaRow = (await assessed(yearId))['甲']!;
    expect([jiaRow.proposedGrade, jiaRow.notes]).toEqual(['excellent', []]);
  });
});
