/**
 * Handling 效能投诉 like a government hotline: 受理 (accept or decline with a reason) → 转办 to the
 * responsible unit → 办理 with a reply → 回访 (the complainant's rating, lib/complaints/public.ts) →
 * 办结. Every step has a working-day deadline, is recorded as an event (late or not) and audited.
 *
 * Who sees a complaint: the office of its district (and above), and — once accepted — the school
 * admins of the unit it is about or was passed to, unless the complaint names them. Staff and
 * supervisors never see single complaints, so a named teacher's colleagues cannot read them.
 * The complainant's name and contact are shown to the office only.
 */
import { aliasedTable, and, asc, desc, eq, inArray, isNull, lt, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { calendarFor } from '@/lib/calendar/calendar';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { complaintEvents, complaints, staff, units, users, type Complaint } from '@/lib/db/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { FINAL_STATUSES, isOverdue, stepDue } from './deadlines';
import { stepDaysFor } from './rules';
import { complaintActionInput, complaintListQuery } from './schemas';

/** The complaints a caller may see, as a condition on `complaints`. */
async function visibleTo(db: Db, scope: Scope): Promise<SQL> {
  if (scope.role === 'office') {
    const ids = await unitIdsInScope(db, scope);
    return or(inArray(complaints.unitId, ids), inArray(complaints.handlingUnitId, ids))!;
  }
  if (scope.role === 'school_admin') {
    return and(
      or(eq(complaints.unitId, scope.unitId), eq(complaints.handlingUnitId, scope.unitId)),
      notInArray(complaints.status, ['received', 'declined']),
      scope.staffId ? or(isNull(complaints.staffId), ne(complaints.staffId, scope.staffId)) : sql`true`,
    )!;
  }
  throw new ForbiddenError('role_not_allowed');
}

const about = aliasedTable(units, 'about_unit');
const handler = aliasedTable(units, 'handling_unit');

type Joined = { c: Complaint; unitName: string; handlingUnitName: string | null; staffName: string | null };

function listRow(r: Joined, now: Date) {
  return {
    id: r.c.id,
    unitId: r.c.unitId,
    unitName: r.unitName,
    personName: r.c.personName,
    staffId: r.c.staffId,
    staffName: r.staffName,
    category: r.c.category,
    status: r.c.status,
    handlingUnitId: r.c.handlingUnitId,
    handlingUnitName: r.handlingUnitName,
    createdAt: r.c.createdAt.toISOString(),
    stepDueAt: r.c.stepDueAt?.toISOString() ?? null,
    overdue: isOverdue(r.c, now),
  };
}

export async function listComplaints(db: Db, scope: Scope, raw: unknown = {}, now = new Date()) {
  const q = parseInput(complaintListQuery, raw);
  const where = [await visibleTo(db, scope)];
  if (q.status) where.push(eq(complaints.status, q.status));
  if (q.overdue) where.push(lt(complaints.stepDueAt, now), notInArray(complaints.status, [...FINAL_STATUSES]));
  const rows = await db
    .select({ c: complaints, unitName: about.name, handlingUnitName: handler.name, staffName: staff.name })
    .from(complaints)
    .innerJoin(about, eq(about.id, complaints.unitId))
    .leftJoin(handler, eq(handler.id, complaints.handlingUnitId))
    .leftJoin(staff, eq(staff.id, complaints.staffId))
    .where(and(...where))
    .orderBy(desc(complaints.createdAt))
    .limit(500);
  const list = rows.map((r) => listRow(r, now));
  return { complaints: list, overdue: list.filter((c) => c.overdue).length };
}

async function loadVisible(db: Db, scope: Scope, id: string): Promise<Joined> {
  const visible = await visibleTo(db, scope);
  const rows = await db
    .select({ c: complaints, unitName: about.name, handlingUnitName: handler.name, staffName: staff.name })
    .from(complaints)
    .innerJoin(about, eq(about.id, complaints.unitId))
    .leftJoin(handler, eq(handler.id, complaints.handlingUnitId))
    .leftJoin(staff, eq(staff.id, complaints.staffId))
    .where(and(eq(complaints.id, id), visible));
  const row = rows[0];
  // a complaint the caller may not see is as unknown to them as one that does not exist
  if (!row) throw new NotFoundError('complaint');
  return row;
}

export async function getComplaint(db: Db, scope: Scope, id: string, now = new Date()) {
  const row = await loadVisible(db, scope, id);
  const events = await db
    .select({ status: complaintEvents.status, at: complaintEvents.at, note: complaintEvents.note, late: complaintEvents.late, actor: users.displayName })
    .from(complaintEvents)
    .leftJoin(users, eq(users.id, complaintEvents.actorUserId))
    .where(eq(complaintEvents.complaintId, id))
    .orderBy(asc(complaintEvents.at));
  const office = scope.role === 'office';
  return {
    ...listRow(row, now),
    body: row.c.body,
    // the complainant's identity is for the office only: a school cannot approach the family
    name: office ? row.c.name : null,
    contact: office ? row.c.contact : null,
    anonymous: !row.c.name && !row.c.contact,
    declineReason: row.c.declineReason,
    reply: row.c.reply,
    rating: row.c.rating,
    ratingComment: row.c.ratingComment,
    events: events.map((e) => ({ status: e.status, at: e.at.toISOString(), note: e.note, late: e.late, actor: e.actor })),
  };
}

const FROM: Record<string, readonly string[]> = {
  accept: ['received'],
  decline: ['received'],
  // a reply the complainant was unsatisfied with may be passed on again
  assign: ['accepted', 'rated'],
  reply: ['assigned'],
  close: ['replied', 'rated'],
};
const TO = { accept: 'accepted', decline: 'declined', assign: 'assigned', reply: 'replied', close: 'closed' } as const;

export async function complaintAction(db: Db, scope: Scope, actor: Actor, id: string, raw: unknown, now = new Date()) {
  const input = parseInput(complaintActionInput, raw);
  const { c } = await loadVisible(db, scope, id);
  // the office takes every step; a school admin only answers what was passed to their school
  const mayAct = scope.role === 'office' || (input.action === 'reply' && c.handlingUnitId === scope.unitId);
  if (!mayAct) throw new ForbiddenError('role_not_allowed');
  if (!FROM[input.action]!.includes(c.status)) throw new ConflictError('complaint_step');
  if (input.action === 'assign' && c.status === 'rated' && c.rating !== 'unsatisfied') throw new ConflictError('complaint_step');
  const set: Partial<typeof complaints.$inferInsert> = {};
  let note: string | null = null;
  if (input.action === 'accept' && input.staffId) {
    const [s] = await db.select({ unitId: staff.unitId }).from(staff).where(eq(staff.id, input.staffId));
    if (!s || s.unitId !== c.unitId) throw new ValidationError({ staffId: [{ key: 'invalid' }] });
    set.staffId = input.staffId;
  }
  if (input.action === 'decline') set.declineReason = note = input.reason;
  if (input.action === 'assign') {
    const inScope = await unitIdsInScope(db, scope);
    const [u] = await db.select({ id: units.id, kind: units.kind, name: units.name }).from(units).where(eq(units.id, input.unitId));
    if (!u || !inScope.includes(u.id) || (u.kind !== 'school' && u.kind !== 'office')) throw new ValidationError({ unitId: [{ key: 'invalid' }] });
    set.handlingUnitId = u.id;
    note = input.note ? `${u.name}：${input.note}` : u.name;
  }
  if (input.action === 'reply') set.reply = note = input.reply;
  if (input.action === 'close') note = input.note ?? null;
  const status = TO[input.action];
  const days = await stepDaysFor(db, c.unitId);
  const calendar = await calendarFor(db, c.unitId, now);
  const late = isOverdue(c, now);
  await db.transaction(async (tx) => {
    const done = await tx
      .update(complaints)
      .set({ ...set, status, stepDueAt: stepDue(status, now, days, calendar), updatedAt: now })
      .where(and(eq(complaints.id, id), eq(complaints.status, c.status)))
      .returning({ id: complaints.id });
    // another handler took the step first
    if (!done.length) throw new ConflictError('complaint_step');
    await tx.insert(complaintEvents).values({ complaintId: id, status, at: now, note, late, actorUserId: actor.type === 'user' ? actor.userId : null });
    await recordAudit(tx, actor, {
      action: `complaint.${input.action}`,
      entityType: 'complaint',
      entityId: id,
      unitId: c.unitId,
      summary: { from: c.status, to: status, late, ...(set.handlingUnitId ? { handlingUnitId: set.handlingUnitId } : {}) },
    });
  });
  return getComplaint(db, scope, id, now);
}
