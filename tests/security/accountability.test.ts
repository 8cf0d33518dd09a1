/**
 * Attacks on 效能问责 records through the real route handlers, with session cookies (a staff
 * member's account is linked to their staff record) and API keys. A record is for the office and
 * the person concerned only:
 * - a colleague at the same school, the admin of the person's own school, the admin of another
 *   school and a teacher of another school read none of it: the list leaves it out and the record
 *   answers 404, as for one that does not exist;
 * - a teacher (or a school admin) cannot record or revoke a measure (403), and nothing changes;
 * - the person reads their own records, and only theirs.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecord } from '@/lib/accountability/records';
import { listTypes } from '@/lib/accountability/types';
import { hashPassword } from '@/lib/auth/secrets';
import { createApiKey } from '@/lib/auth/users';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { accountabilityRecords, staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';
import { callApi, login, STAFF_PASSWORD } from '../helpers/workspace';

let handle: DbHandle;
const cli = { type: 'cli', label: 'sec' } as const;
let recordId: string;
let otherRecordId: string;
let typeId: string;
let personId: string;
const REASON = '上课期间长时间玩手机，经查属实';
const cookies: Record<string, string> = {};
let schoolAdminKey: string;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const db = handle.db;
  const [district] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await db.select().from(units).where(eq(units.name, '巷道中心小学'));
  const [otherSchool] = await db.select().from(units).where(eq(units.name, '槐山小学'));
  // staff without an account of the demo's (an account is linked to at most one staff record)
  const free = (unitId: string) =>
    db.select({ id: staff.id, name: staff.name }).from(staff).leftJoin(users, eq(users.staffId, staff.id)).where(and(eq(staff.unitId, unitId), isNull(users.id))).limit(3);
  const [a, b, c] = await free(school!.id);
  const [d] = await free(otherSchool!.id);
  personId = a!.id;
  const passwordHash = await hashPassword(STAFF_PASSWORD);
  await db.insert(users).values([
    { username: 'wz_person', displayName: a!.name, passwordHash, role: 'staff', unitId: school!.id, staffId: a!.id },
    { username: 'wz_colleague', displayName: b!.name, passwordHash, role: 'staff', unitId: school!.id, staffId: b!.id },
    { username: 'wz_own_admin', displayName: c!.name, passwordHash, role: 'school_admin', unitId: school!.id, staffId: c!.id },
    { username: 'wz_other_admin', displayName: '槐山管理员', passwordHash, role: 'school_admin', unitId: otherSchool!.id },
    { username: 'wz_other_teacher', displayName: d!.name, passwordHash, role: 'staff', unitId: otherSchool!.id, staffId: d!.id },
    { username: 'wz_supervisor', displayName: '监督员', passwordHash, role: 'supervisor', unitId: district!.id },
  ]);
  for (const u of ['wz_person', 'wz_colleague', 'wz_own_admin', 'wz_other_admin', 'wz_other_teacher', 'wz_supervisor']) cookies[u] = await login(u);
  schoolAdminKey = (await createApiKey(db, cli, { name: 'sec-admin', role: 'school_admin', unit: '巷道中心小学' })).key;
  const office = { role: 'office' as const, unitId: district!.id };
  typeId = (await listTypes(db, office)).types.find((t) => t.name === '效能告诫')!.id;
  ({ id: recordId } = await createRecord(db, office, cli, { staffId: a!.id, typeId, reason: REASON, decidedOn: '2026-03-02' }));
  // a colleague's record, which the person must not see either
  ({ id: otherRecordId } = await createRecord(db, office, cli, { staffId: b!.id, typeId, reason: '值班脱岗', decidedOn: '2026-04-01' }));
});
afterAll(() => handle.close());

const snapshot = () => handle.db.select().from(accountabilityRecords).orderBy(accountabilityRecords.id);

describe('accountability attacks', () => {
  it.each(['wz_colleague', 'wz_own_admin', 'wz_other_admin', 'wz_other_teacher', 'wz_supervisor'])('%s reads none of someone else’s records', async (who) => {
    const cookie = cookies[who]!;
    const one = await callApi('GET', `/api/v1/accountability/records/${recordId}`, { cookie });
    expect(one.status).toBe(404);
    expect(JSON.stringify(one.body)).not.toContain(REASON);
    for (const q of ['', `?staffId=${personId}`, '?q=手机', '?year=2026']) {
      const list = await callApi('GET', `/api/v1/accountability/records${q}`, { cookie });
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(recordId);
      expect(JSON.stringify(list.body)).not.toContain(REASON);
    }
    // nor the kinds, which are the office's list
    expect((await callApi('GET', '/api/v1/accountability/types', { cookie })).status).toBe(403);
  });

  it('a school admin’s API key sees nothing of its staff’s records', async () => {
    const list = await callApi('GET', '/api/v1/accountability/records', { key: schoolAdminKey });
    expect(list.body.records).toEqual([]);
    expect((await callApi('GET', `/api/v1/accountability/records/${recordId}`, { key: schoolAdminKey })).status).toBe(404);
  });

  it('a teacher or a school admin cannot record or revoke a measure, and nothing changes', async () => {
    const before = await snapshot();
    const body = { staffId: personId, typeId, reason: '栽赃同事', decidedOn: '2026-05-01' };
    for (const who of ['wz_colleague', 'wz_person', 'wz_own_admin']) {
      const created = await callApi('POST', '/api/v1/accountability/records', { cookie: cookies[who], body });
      expect(created.status).toBe(403);
      const revoked = await callApi('POST', `/api/v1/accountability/records/${recordId}/revoke`, { cookie: cookies[who], body: { reason: '自行撤销' } });
      expect(revoked.status).toBe(403);
    }
    expect((await callApi('POST', '/api/v1/accountability/records', { key: schoolAdminKey, body })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('the person reads their own record, and not the colleague’s', async () => {
    const cookie = cookies['wz_person']!;
    const list = await callApi('GET', '/api/v1/accountability/records', { cookie });
    expect(list.status).toBe(200);
    expect((list.body.records as { id: string; reason: string; typeName: string; recordedBy: string | null }[]).map((r) => [r.id, r.reason, r.typeName, r.recordedBy])).toEqual([[recordId, REASON, '效能告诫', null]]);
    expect((await callApi('GET', `/api/v1/accountability/records/${recordId}`, { cookie })).status).toBe(200);
    expect((await callApi('GET', `/api/v1/accountability/records/${otherRecordId}`, { cookie })).status).toBe(404);
    // asking for the colleague by id still yields only one's own
    const asked = await callApi('GET', `/api/v1/accountability/records?staffId=${(await handle.db.select().from(accountabilityRecords).where(eq(accountabilityRecords.id, otherRecordId)))[0]!.staffId}`, { cookie });
    expect(asked.body.records).toEqual([]);
  });
});
