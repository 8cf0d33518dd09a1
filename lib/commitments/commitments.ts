/**
 * 公开承诺 (public commitments): each staff member (from their workspace) and each school (its
 * school admin) promises something by a date; the office approves it for publication on the
 * school's public page (/gongkai/{school}), and once the author reports fulfilment (履诺情况) the
 * office confirms it fulfilled or not.
 *
 * States: pending → approved | rejected; a rejected (or still pending) one is edited by its author
 * and goes back to pending; approved → reported → fulfilled | unfulfilled. An approved commitment
 * whose deadline (a day, Asia/Shanghai) has passed without a report is overdue, and the office may
 * confirm it unfulfilled straight away.
 *
 * Who sees what: the office and the supervision post every commitment beneath their unit; a school
 * admin their school's (the school's own and each staff member's); a staff member only their own.
 * Only the author edits or reports (a person their own; a school admin the school's), only the
 * office approves, rejects and confirms. Every change is audited.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNotNull, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { loadCampaign, shanghaiDay } from '@/lib/campaigns/campaigns';
import type { Db } from '@/lib/db/client';
import { commitments, staff, units, type Commitment } from '@/lib/db/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { likePattern, offsetOf } from '@/lib/paging';
import { parseInput } from '@/lib/validation';
import { commitmentActionInput, commitmentListQuery, createCommitmentInput, editCommitmentInput, type CommitmentAction } from './schemas';

type Status = Commitment['status'];
export type CommitmentStep = CommitmentAction | 'edit';

export function isCommitmentOverdue(c: { status: Status; dueOn: string }, now = new Date()): boolean {
  return c.status === 'approved' && c.dueOn < shanghaiDay(now);
}

/** A person's own, or (for a school admin) the school's own. */
export function isAuthor(scope: Scope, c: { unitId: string; staffId: string | null }): boolean {
  if (c.staffId) return Boolean(scope.staffId) && scope.staffId === c.staffId;
  return scope.role === 'school_admin' && scope.unitId === c.unitId;
}

/** What the caller may do next with a commitment they can see. */
export function stepsFor(scope: Scope, c: { unitId: string; staffId: string | null; status: Status; dueOn: string }, now = new Date()): CommitmentStep[] {
  const out: CommitmentStep[] = [];
  const author = isAuthor(scope, c);
  const office = scope.role === 'office';
  if (author && (c.status === 'pending' || c.status === 'rejected')) out.push('edit');
  if (office && c.status === 'pending') out.push('approve', 'reject');
  if (author && c.status === 'approved') out.push('report');
  if (office && (c.status === 'reported' || isCommitmentOverdue(c, now))) out.push('confirm');
  return out;
}

/** The commitments a caller may read, as a condition on `commitments`. */
async function visibleTo(db: Db, scope: Scope): Promise<SQL> {
  if (scope.role === 'office' || scope.role === 'supervisor') return inArray(commitments.unitId, await unitIdsInScope(db, scope));
  if (scope.role === 'school_admin') return scope.staffId ? or(eq(commitments.unitId, scope.unitId), eq(commitments.staffId, scope.staffId))! : eq(commitments.unitId, scope.unitId);
  // staff: their own only, never a colleague's
  return scope.staffId ? eq(commitments.staffId, scope.staffId) : sql`false`;
}

const columns = { c: commitments, unitName: units.name, staffName: staff.name, position: staff.position };
type Row = { c: Commitment; unitName: string; staffName: string | null; position: string | null };

function toJson(r: Row, scope: Scope, now: Date) {
  const c = r.c;
  return {
    id: c.id,
    unitId: c.unitId,
    unitName: r.unitName,
    kind: c.staffId ? ('personal' as const) : ('school' as const),
    staffId: c.staffId,
    staffName: r.staffName,
    position: r.position,
    campaignId: c.campaignId,
    body: c.body,
    dueOn: c.dueOn,
    status: c.status,
    remark: c.remark,
    fulfilment: c.fulfilment,
    overdue: isCommitmentOverdue(c, now),
    approvedAt: c.approvedAt?.toISOString() ?? null,
    reportedAt: c.reportedAt?.toISOString() ?? null,
    confirmedAt: c.confirmedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    /** what the caller may do next */
    actions: stepsFor(scope, c, now),
  };
}
export type CommitmentJson = ReturnType<typeof toJson>;

function baseQuery(db: Db) {
  return db.select(columns).from(commitments).innerJoin(units, eq(units.id, commitments.unitId)).leftJoin(staff, eq(staff.id, commitments.staffId));
}

export async function listCommitments(db: Db, scope: Scope, raw: unknown = {}, now = new Date()) {
  const q = parseInput(commitmentListQuery, raw);
  const where: SQL[] = [await visibleTo(db, scope)];
  if (q.unitId) where.push(eq(commitments.unitId, q.unitId));
  if (q.campaignId) where.push(eq(commitments.campaignId, q.campaignId));
  if (q.status) where.push(eq(commitments.status, q.status));
  if (q.kind) where.push(q.kind === 'school' ? isNull(commitments.staffId) : isNotNull(commitments.staffId));
  if (q.overdue) where.push(eq(commitments.status, 'approved'), lt(commitments.dueOn, shanghaiDay(now)));
  if (q.mine) {
    const own = [scope.staffId ? eq(commitments.staffId, scope.staffId) : null, scope.role === 'school_admin' ? and(isNull(commitments.staffId), eq(commitments.unitId, scope.unitId)) : null].filter((x): x is SQL => Boolean(x));
    where.push(own.length ? or(...own)! : sql`false`);
  }
  if (q.q) {
    const p = likePattern(q.q);
    where.push(or(ilike(commitments.body, p), ilike(units.name, p), ilike(staff.name, p))!);
  }
  const all = and(...where);
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(commitments)
    .innerJoin(units, eq(units.id, commitments.unitId))
    .leftJoin(staff, eq(staff.id, commitments.staffId))
    .where(all);
  const rows = await baseQuery(db)
    .where(all)
    .orderBy(asc(units.name), sql`${commitments.staffId} is not null`, asc(staff.name), desc(commitments.createdAt), asc(commitments.id))
    .limit(q.limit)
    .offset(offsetOf(q));
  return { items: rows.map((r) => toJson(r, scope, now)), page: q.page, limit: q.limit, total: n };
}

async function loadVisible(db: Db, scope: Scope, id: string): Promise<Row> {
  const [row] = await baseQuery(db).where(and(eq(commitments.id, id), await visibleTo(db, scope)));
  // another person's or another school's commitment is as unknown as one that does not exist
  if (!row) throw new NotFoundError('commitment');
  return row;
}

export async function getCommitment(db: Db, scope: Scope, id: string, now = new Date()) {
  return toJson(await loadVisible(db, scope, id), scope, now);
}

const userOf = (actor: Actor) => (actor.type === 'user' ? actor.userId : null);

export async function createCommitment(db: Db, scope: Scope, actor: Actor, raw: unknown, now = new Date()) {
  if (scope.role === 'supervisor') throw new ForbiddenError('role_not_allowed');
  const input = parseInput(createCommitmentInput, raw);
  const kind = input.kind ?? (scope.role === 'school_admin' ? 'school' : 'personal');
  let unitId: string;
  let staffId: string | null = null;
  if (kind === 'school') {
    // the school's own commitment: its school admin
    if (scope.role !== 'school_admin') throw new ForbiddenError('role_not_allowed');
    unitId = scope.unitId;
  } else {
    if (!scope.staffId) throw new ForbiddenError('no_staff_record');
    const [s] = await db.select({ unitId: staff.unitId }).from(staff).where(eq(staff.id, scope.staffId));
    if (!s) throw new ForbiddenError('no_staff_record');
    unitId = s.unitId;
    staffId = scope.staffId;
  }
  if (input.campaignId) {
    // a campaign the author can see (their district's)
    await loadCampaign(db, scope, input.campaignId).catch(() => {
      throw new ValidationError({ campaignId: [{ key: 'invalid' }] });
    });
  }
  return db.transaction(async (tx) => {
    const [c] = await tx
      .insert(commitments)
      .values({ unitId, staffId, campaignId: input.campaignId ?? null, body: input.body, dueOn: input.dueOn, createdByUserId: userOf(actor), createdAt: now, updatedAt: now })
      .returning();
    await recordAudit(tx, actor, { action: 'commitment.create', entityType: 'commitment', entityId: c!.id, unitId, summary: { kind, dueOn: c!.dueOn } });
    return getCommitment(tx, scope, c!.id, now);
  });
}

/** The author changes a pending or returned commitment, which goes (back) to the office as pending. */
export async function editCommitment(db: Db, scope: Scope, actor: Actor, id: string, raw: unknown, now = new Date()) {
  const input = parseInput(editCommitmentInput, raw);
  const { c } = await loadVisible(db, scope, id);
  if (!isAuthor(scope, c)) throw new ForbiddenError('commitment_author_only');
  if (c.status !== 'pending' && c.status !== 'rejected') throw new ConflictError('commitment_step');
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(commitments)
      .set({ ...(input.body !== undefined ? { body: input.body } : {}), ...(input.dueOn !== undefined ? { dueOn: input.dueOn } : {}), status: 'pending', remark: null, updatedAt: now })
      .where(and(eq(commitments.id, id), eq(commitments.status, c.status)))
      .returning({ id: commitments.id });
    // the office acted on it in the meantime
    if (!changed.length) throw new ConflictError('commitment_step');
    await recordAudit(tx, actor, {
      action: 'commitment.edit',
      entityType: 'commitment',
      entityId: id,
      unitId: c.unitId,
      summary: { from: c.status, to: 'pending', fields: Object.keys(input) },
    });
  });
  return getCommitment(db, scope, id, now);
}

export async function commitmentAction(db: Db, scope: Scope, actor: Actor, id: string, raw: unknown, now = new Date()) {
  const input = parseInput(commitmentActionInput, raw);
  const { c } = await loadVisible(db, scope, id);
  const byOffice = input.action !== 'report';
  if (byOffice && scope.role !== 'office') throw new ForbiddenError('commitment_office_only');
  if (!byOffice && !isAuthor(scope, c)) throw new ForbiddenError('commitment_author_only');
  if (!stepsFor(scope, c, now).includes(input.action)) throw new ConflictError('commitment_step');
  const set: Partial<typeof commitments.$inferInsert> = { updatedAt: now };
  let to: Status;
  switch (input.action) {
    case 'approve':
      Object.assign(set, { status: (to = 'approved'), approvedAt: now, remark: null });
      break;
    case 'reject':
      Object.assign(set, { status: (to = 'rejected'), remark: input.reason });
      break;
    case 'report':
      Object.assign(set, { status: (to = 'reported'), reportedAt: now, fulfilment: input.fulfilment });
      break;
    case 'confirm':
      Object.assign(set, { status: (to = input.result), confirmedAt: now, remark: input.remark ?? null });
      break;
  }
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(commitments)
      .set(set)
      .where(and(eq(commitments.id, id), eq(commitments.status, c.status)))
      .returning({ id: commitments.id });
    if (!changed.length) throw new ConflictError('commitment_step');
    await recordAudit(tx, actor, {
      action: `commitment.${input.action}`,
      entityType: 'commitment',
      entityId: id,
      unitId: c.unitId,
      summary: { from: c.status, to, overdue: isCommitmentOverdue(c, now), ...(input.action === 'confirm' && c.status === 'approved' ? { unreported: true } : {}) },
    });
  });
  return getCommitment(db, scope, id, now);
}
