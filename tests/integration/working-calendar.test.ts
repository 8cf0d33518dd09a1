/**
 * The working-day calendar on a real database: the office of 巷道学区 enters the 2026 国庆 holiday
 * through the API (a bad line refuses the whole text and changes nothing), and a complaint filed
 * about one of its schools gets step deadlines counted with it.
 *
 * Calendar: 1–7 Oct 2026 休 (Thu … Wed), Sat 10 Oct 班. Default periods: 受理 3, 转办 2 working days.
 *
 * | step                         | from                 | counted days                 | due (24:00 Shanghai)      |
 * | filed, 受理 within 3          | Wed 30 Sep 10:00     | 30 Sep, 8 Oct, 9 Oct          | 9 Oct  → 2026-10-09T16:00Z |
 * |   (weekends only it would be) |                      | 30 Sep, 1 Oct, 2 Oct          | 2 Oct  → 2026-10-02T16:00Z |
 * | accepted, 转办 within 2       | Fri 9 Oct 10:00      | 9 Oct, 10 Oct (Sat, 班)       | 10 Oct → 2026-10-10T16:00Z |
 * | a school of 古城镇学区 (no calendar): 受理 within 3 from 30 Sep | 30 Sep, 1, 2 Oct | 2 Oct |
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@/lib/auth/users';
import { complaintAction } from '@/lib/complaints/handling';
import { fileComplaint } from '@/lib/complaints/public';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { auditLog, calendarDays, complaints, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { callApi } from '../helpers/workspace';

let handle: DbHandle;
let key: string;
let districtId: string;
let schoolId: string;
let foreignSchoolId: string;
const cli = { type: 'cli', label: 'test' } as const;
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);
const LINES = '2026-10-01..2026-10-07 国庆节 休\n2026-10-10 国庆节 班';
const body = '学校周末补课收取费用，家长意见很大。';

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await handle.db.select().from(units).where(eq(units.name, '巷道中心小学'));
  districtId = district!.id;
  schoolId = school!.id;
  const [foreign] = await handle.db.insert(units).values({ kind: 'district', name: '古城镇学区', parentId: district!.parentId }).returning();
  const [foreignSchool] = await handle.db.insert(units).values({ kind: 'school', name: '古城小学', parentId: foreign!.id }).returning();
  foreignSchoolId = foreignSchool!.id;
  key = (await createApiKey(handle.db, cli, { name: 'calendar', role: 'office', unit: '巷道学区' })).key;
});
afterAll(() => handle.close());

describe('the office’s calendar', () => {
  it('refuses a text with a bad line (400, with the line number) and keeps nothing of it', async () => {
    const res = await callApi('PUT', '/api/v1/calendar/2026', { key, body: { lines: `${LINES}\n2026-10-32 错误 休` }, lang: 'zh-CN' });
    expect(res.status).toBe(400);
    expect(res.body.error!.fields!.lines).toEqual([expect.stringContaining('第 3 行')]);
    expect(await handle.db.select().from(calendarDays)).toEqual([]);
  });

  it('stores the lines as days, reads them back folded, and audits the change', async () => {
    const put = await callApi('PUT', '/api/v1/calendar/2026', { key, body: { lines: LINES } });
    expect(put.status).toBe(200);
    expect(put.body.days).toHaveLength(8);
    const got = await callApi('GET', '/api/v1/calendar/2026', { key });
    expect(got.body.lines).toBe(LINES);
    expect((await callApi('GET', '/api/v1/calendar/2025', { key })).body.days).toEqual([]);
    const [audit] = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'calendar.update'));
    expect(audit!.summary).toEqual({ year: 2026, holidays: 7, workdays: 1 });
    const rows = await handle.db.select().from(calendarDays).where(eq(calendarDays.unitId, districtId));
    expect(rows).toHaveLength(8);
  });
});

describe('complaint deadlines follow the calendar', () => {
  it('受理 is due at the end of 9 Oct (not 2 Oct), 转办 at the end of the swapped Saturday', async () => {
    const filed = await fileComplaint(handle.db, '10.2.0.1', { unitId: schoolId, category: 'fees', body }, at('2026-09-30'));
    expect(filed.acceptBy).toBe('2026-10-09T16:00:00.000Z');
    const [c] = await handle.db.select().from(complaints).where(eq(complaints.unitId, schoolId));
    const accepted = await complaintAction(handle.db, { role: 'office', unitId: districtId }, cli, c!.id, { action: 'accept' }, at('2026-10-09'));
    expect(accepted.stepDueAt).toBe('2026-10-10T16:00:00.000Z');
  });

  it('a district without a calendar counts weekends only', async () => {
    const filed = await fileComplaint(handle.db, '10.2.0.2', { unitId: foreignSchoolId, category: 'fees', body }, at('2026-09-30'));
    expect(filed.acceptBy).toBe('2026-10-02T16:00:00.000Z');
  });
});
