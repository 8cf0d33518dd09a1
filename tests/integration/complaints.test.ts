/**
 * 效能投诉 handling as a state machine with working-day deadlines, on a real database (the demo
 * district). One complaint goes through every step late, so each step is seen overdue once:
 *
 * | step (status)        | entered (Asia/Shanghai)   | days | due (end of day, Shanghai) | checked at    | overdue |
 * |----------------------|---------------------------|------|----------------------------|---------------|---------|
 * | 受理 (received)       | Mon 2026-12-07 10:00      | 3    | Wed 2026-12-09 24:00       | Thu 12-10 10:00 | yes   |
 * | 转办 (accepted)       | Thu 2026-12-10 10:00      | 2    | Fri 2026-12-11 24:00       | Mon 12-14 10:00 | yes   |
 * | 办理 (assigned)       | Mon 2026-12-14 10:00      | 10   | Fri 2026-12-25 24:00       | Mon 12-28 10:00 | yes   |
 * | 回访 (replied)        | Mon 2026-12-28 10:00      | 5    | Fri 2027-01-01 24:00       | Mon 01-04 10:00 | yes   |
 * | 办结 (rated)          | Mon 2027-01-04 10:00      | 2    | Tue 2027-01-05 24:00       | Wed 01-06 10:00 | yes   |
 * | closed               | Wed 2027-01-06 10:00      | —    | —                          | —             | no      |
 *
 * (Working days are Monday to Friday, the day of entry counting, as lib/assessment/calendar.ts counts.)
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintAction, getComplaint, listComplaints } from '@/lib/complaints/handling';
import { fileComplaint, rateComplaint, trackComplaint, trackingHash } from '@/lib/complaints/public';
import { getComplaintRules, setComplaintRules } from '@/lib/complaints/rules';
import { complaintStats } from '@/lib/complaints/stats';
import type { DbHandle } from '@/lib/db/client';
import { auditLog, complaintEvents, complaints, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DEMO_TRACKING_CODE } from '@/lib/seed/campaign';
import { DomainError } from '@/lib/errors';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
let school: { id: string };
let office: { role: 'office'; unitId: string };
let admin: { role: 'school_admin'; unitId: string; staffId: string | null };
let teacher: { id: string };
const cli = { type: 'cli', label: 'test' } as const;
/** 10:00 in Shanghai on a date */
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);
/** 24:00 in Shanghai at the end of a date: when a step due that day becomes overdue */
const dayAfter = (date: string) => new Date(new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000);

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  const db = handle.db;
  const [home] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  school = (await db.select().from(units).where(eq(units.name, '巷道中心小学')))[0]!;
  const people = await db.select().from(staff).where(eq(staff.unitId, school.id));
  teacher = people[1]!;
  office = { role: 'office', unitId: home!.id };
  admin = { role: 'school_admin', unitId: school.id, staffId: people[0]!.id };
});
afterAll(() => handle.close());

/** The id of the complaint a tracking code opens (the public answer carries only the code). */
const idOf = async (code: string) => (await handle.db.select({ id: complaints.id }).from(complaints).where(eq(complaints.trackingHash, trackingHash(code.replace(/-/g, '')))))[0]!.id;

const complaint = { category: 'fees' as const, body: '班主任要求每位学生交资料费五十元，没有收据。', personName: '某老师' };

describe('the demo campaign', () => {
  it('holds complaints in every state, the week-old unaccepted one overdue, and its code opens the replied one', async () => {
    const { complaints: list, overdue } = await listComplaints(handle.db, office);
    expect(list.map((c) => c.status).sort()).toEqual(['assigned', 'closed', 'received', 'received', 'replied']);
    expect(overdue).toBe(1);
    expect(list.find((c) => c.overdue)!.status).toBe('received');
    const seen = await trackComplaint(handle.db, '10.1.9.9', { code: DEMO_TRACKING_CODE });
    expect([seen.status, seen.canRate]).toEqual(['replied', true]);
  });

  it('statistics for the supervision post: counts per school and category, no text', async () => {
    // the demo's five: 巷道中心小学 attitude (received) + other (replied); 槐山小学 fees (received, overdue)
    // + attitude (closed after 10 days: filed 20 days ago, closed 10 days ago); 巷道初级中学 slack (assigned)
    const stats = await complaintStats(handle.db, { role: 'supervisor', unitId: office.unitId });
    expect(stats.bySchool.map((r) => [r.unitName, r.total, r.open, r.overdue, r.closed, r.meanDaysToClose])).toEqual([
      ['巷道中心小学', 2, 2, 0, 0, null],
      ['槐山小学', 2, 1, 1, 1, 10],
      ['巷道初级中学', 1, 1, 0, 0, null],
    ]);
    expect(stats.byCategory).toEqual([
      { category: 'slack', n: 1 },
      { category: 'fees', n: 1 },
      { category: 'attitude', n: 2 },
      { category: 'other', n: 1 },
    ]);
    expect(stats.byMonth.reduce((n, m) => n + m.n, 0)).toBe(5);
    expect(JSON.stringify(stats)).not.toContain('家长');
    await expect(complaintStats(handle.db, admin)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('a complaint late at every step', () => {
  let code: string;
  let id: string;

  it('files, and is overdue for 受理 after the third working day', async () => {
    const db = handle.db;
    const filed = await fileComplaint(db, '10.1.0.1', { unitId: school.id, ...complaint, contact: '13900001111' }, at('2026-12-07'));
    code = filed.trackingCode;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(filed.acceptBy).toBe(dayAfter('2026-12-09').toISOString());
    id = await idOf(code);
    const before = await listComplaints(db, office, {}, new Date(dayAfter('2026-12-09').getTime() - 60_000));
    expect(before.complaints.find((c) => c.id === id)!.overdue).toBe(false);
    const after = await listComplaints(db, office, {}, at('2026-12-10'));
    expect(after.complaints.find((c) => c.id === id)!.overdue).toBe(true);
    expect((await listComplaints(db, office, { overdue: '1' }, at('2026-12-10'))).complaints.map((c) => c.id)).toContain(id);
  });

  it('accepted late (matched to the teacher), then overdue for 转办 after two working days', async () => {
    const db = handle.db;
    const c = await complaintAction(db, office, cli, id, { action: 'accept', staffId: teacher.id }, at('2026-12-10'));
    expect(c.status).toBe('accepted');
    expect(c.stepDueAt).toBe(dayAfter('2026-12-11').toISOString());
    expect(c.events.at(-1)!.late).toBe(true);
    expect((await getComplaint(db, office, id, at('2026-12-14'))).overdue).toBe(true);
  });

  it('passed on to the school late, then overdue for 办理 after ten working days', async () => {
    const db = handle.db;
    const c = await complaintAction(db, office, cli, id, { action: 'assign', unitId: school.id }, at('2026-12-14'));
    expect([c.status, c.handlingUnitId, c.stepDueAt]).toEqual(['assigned', school.id, dayAfter('2026-12-25').toISOString()]);
    expect((await getComplaint(db, office, id, new Date(dayAfter('2026-12-25').getTime() - 1))).overdue).toBe(false);
    expect((await getComplaint(db, office, id, at('2026-12-28'))).overdue).toBe(true);
  });

  it('the school admin replies late, then 回访 is overdue after five working days', async () => {
    const db = handle.db;
    const c = await complaintAction(db, admin, cli, id, { action: 'reply', reply: '经核实，已责令退还全部资料费，并对该教师进行批评教育。' }, at('2026-12-28'));
    expect([c.status, c.stepDueAt, c.events.at(-1)!.late]).toEqual(['replied', dayAfter('2027-01-01').toISOString(), true]);
    const seen = await trackComplaint(db, '10.1.0.2', { code }, at('2027-01-04'));
    expect([seen.status, seen.overdue, seen.canRate, seen.reply]).toEqual(['replied', true, true, c.reply]);
  });

  it('the complainant rates late with the code, then 办结 is overdue after two working days', async () => {
    const db = handle.db;
    const seen = await rateComplaint(db, '10.1.0.2', { code, rating: 'satisfied' }, at('2027-01-04'));
    expect([seen.status, seen.rating, seen.canRate, seen.stepDueAt]).toEqual(['rated', 'satisfied', false, dayAfter('2027-01-05').toISOString()]);
    expect((await getComplaint(db, office, id, at('2027-01-06'))).overdue).toBe(true);
    await expect(rateComplaint(db, '10.1.0.2', { code, rating: 'unsatisfied' }, at('2027-01-06'))).rejects.toMatchObject({ code: 'conflict' });
  });

  it('closed late: final, nothing due, every step recorded as late and audited', async () => {
    const db = handle.db;
    const c = await complaintAction(db, office, cli, id, { action: 'close' }, at('2027-01-06'));
    expect([c.status, c.stepDueAt, c.overdue]).toEqual(['closed', null, false]);
    const events = await db.select().from(complaintEvents).where(eq(complaintEvents.complaintId, id));
    expect(events.map((e) => [e.status, e.late]).sort()).toEqual(
      [['received', false], ['accepted', true], ['assigned', true], ['replied', true], ['rated', true], ['closed', true]].sort(),
    );
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'complaint'), eq(auditLog.entityId, id)));
    expect(audit.map((a) => a.action).sort()).toEqual(['complaint.accept', 'complaint.assign', 'complaint.close', 'complaint.file', 'complaint.rate', 'complaint.reply'].sort());
    // the log holds neither the complainant's contact nor the text
    expect(JSON.stringify(audit)).not.toContain('13900001111');
    expect(JSON.stringify(audit)).not.toContain('资料费');
    const track = await trackComplaint(db, '10.1.0.2', { code }, at('2027-01-06'));
    expect(track.steps.map((s) => s.status)).toEqual(['received', 'accepted', 'assigned', 'replied', 'rated', 'closed']);
  });
});

describe('steps out of order, declining, visibility and configurable periods', () => {
  it('refuses a step the complaint is not at, and changes nothing', async () => {
    const db = handle.db;
    const { trackingCode } = await fileComplaint(db, '10.1.0.3', { unitId: school.id, category: 'attitude', body: '门卫对家长态度恶劣，多次大声呵斥。' }, at('2026-12-07'));
    const id = await idOf(trackingCode);
    expect((await listComplaints(db, office, { status: 'received' })).complaints.map((c) => c.id)).toContain(id);
    for (const step of [{ action: 'reply', reply: '已处理完毕。' }, { action: 'close' }, { action: 'assign', unitId: school.id }]) {
      await expect(complaintAction(db, office, cli, id, step)).rejects.toMatchObject({ code: 'conflict', params: { reason: 'complaint_step' } });
    }
    // a school admin never takes the office's steps
    await expect(complaintAction(db, admin, cli, id, { action: 'accept' })).rejects.toBeInstanceOf(DomainError);
    const declined = await complaintAction(db, office, cli, id, { action: 'decline', reason: '反映的问题不属于教育系统管辖。' });
    expect([declined.status, declined.stepDueAt]).toEqual(['declined', null]);
    const seen = await trackComplaint(db, '10.1.0.3', { code: trackingCode });
    expect([seen.status, seen.declineReason, seen.reply]).toEqual(['declined', '反映的问题不属于教育系统管辖。', null]);
  });

  it('the school admin sees accepted complaints about the school, without who complained, and none naming them', async () => {
    const db = handle.db;
    const filed = await fileComplaint(db, '10.1.0.4', { unitId: school.id, category: 'slack', body: '校长经常上班时间不在学校，家长找不到人。', name: '王家长', contact: '13800002222' }, at('2026-12-07'));
    const aboutPrincipal = await idOf(filed.trackingCode);
    expect((await listComplaints(db, admin)).complaints.map((c) => c.id)).not.toContain(aboutPrincipal);
    await complaintAction(db, office, cli, aboutPrincipal, { action: 'accept', staffId: admin.staffId! });
    // accepted, but it names the school admin: still invisible to them
    expect((await listComplaints(db, admin)).complaints.map((c) => c.id)).not.toContain(aboutPrincipal);
    await expect(getComplaint(db, admin, aboutPrincipal)).rejects.toMatchObject({ code: 'not_found' });
    const officeView = await getComplaint(db, office, aboutPrincipal);
    expect([officeView.name, officeView.contact]).toEqual(['王家长', '13800002222']);
    // the first complaint (about the teacher) is visible to the admin without the complainant's contact
    const mine = (await listComplaints(db, admin)).complaints;
    const aboutTeacher = mine.find((c) => c.staffId === teacher.id)!;
    const detail = await getComplaint(db, admin, aboutTeacher.id);
    expect([detail.name, detail.contact]).toEqual([null, null]);
    await expect(listComplaints(db, { role: 'staff', unitId: school.id })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listComplaints(db, { role: 'supervisor', unitId: office.unitId })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('periods are configurable per district and apply to steps entered afterwards', async () => {
    const db = handle.db;
    expect((await getComplaintRules(db, office)).days).toEqual({ received: 3, accepted: 2, assigned: 10, replied: 5, rated: 2 });
    await expect(setComplaintRules(db, office, cli, { days: { received: 0, accepted: 2, assigned: 10, replied: 5, rated: 2 } })).rejects.toMatchObject({ code: 'validation' });
    await setComplaintRules(db, office, cli, { days: { received: 1, accepted: 1, assigned: 5, replied: 3, rated: 1 } });
    // filed on a Saturday: the first working day is Monday
    const { acceptBy } = await fileComplaint(db, '10.1.0.5', { unitId: school.id, category: 'other', body: '学校食堂饭菜分量不足，价格偏高。' }, at('2026-12-12'));
    expect(acceptBy).toBe(dayAfter('2026-12-14').toISOString());
  });
});
