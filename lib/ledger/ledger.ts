/**
 * The 整改台帐 (rectification ledger): problems found by self-inspection, appraisal rounds,
 * complaints, spot checks or the supervision post become items of a school's ledger with a measure,
 * a target, a deadline and a responsible person, tracked until verified (销号).
 *
 * States: open → in_progress → done → verified; the office or a supervisor may reopen a done or
 * verified item (reopened → in_progress → done …). A school admin creates items for their school,
 * starts and finishes them and adds progress notes; only the office or a supervisor verifies or
 * reopens, so a school never closes its own item. Every change is a note and an audit entry.
 * An item is overdue when its deadline (a day, Asia/Shanghai) has passed and it is not done or verified.
 */
import { and, asc, count, eq, ilike, inArray, lt, notInArray, or, type SQL } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { loadCampaign, shanghaiDay } from '@/lib/campaigns/campaigns';
import { getComplaint } from '@/lib/complaints/handling';
import { getRound } from '@/lib/rounds/queries';
import type { Db } from '@/lib/db/client';
import { campaigns, ledgerItems, ledgerNotes, staff, units, users, type LedgerItem } from '@/lib/db/schema';
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { likePattern, offsetOf } from '@/lib/paging';
import { parseInput } from '@/lib/validation';
import { followUpFigures } from './follow-up';
import { createLedgerItemInput, ledgerActionInput, ledgerListQuery, type LedgerAction } from './schemas';

type Status = LedgerItem['status'];
const SETTLED: Status[] = ['done', 'verified'];

export function isLedgerOverdue(item: { status: Status; dueOn: string }, now = new Date()): boolean {
  return !SETTLED.includes(item.status) && item.dueOn < shanghaiDay(now);
}

/** Where each action may start from, the state it leads to, and who may take it. */
export const LEDGER_STEPS: Record<LedgerAction, { from: readonly Status[]; to: Status | null; roles: readonly Scope['role'][] }> = {
  start: { from: ['open', 'reopened'], to: 'in_progress', roles: ['office', 'school_admin'] },
  done: { from: ['in_progress'], to: 'done', roles: ['office', 'school_admin'] },
  verify: { from: ['done'], to: 'verified', roles: ['office', 'supervisor'] },
  reopen: { from: ['done', 'verified'], to: 'reopened', roles: ['office', 'supervisor'] },
  note: { from: ['open', 'in_progress', 'done', 'reopened'], to: null, roles: ['office', 'school_admin', 'supervisor'] },
};

/** The schools whose ledgers the caller reads: beneath their unit (office, supervisor), their own (school admin). */
async function visibleUnits(db: Db, scope: Scope): Promise<string[]> {
  if (scope.role === 'office' || scope.role === 'supervisor') return unitIdsInScope(db, scope);
  if (scope.role === 'school_admin') return [scope.unitId];
  throw new ForbiddenError('role_not_allowed');
}

const columns = { item: ledgerItems, unitName: units.name, staffName: staff.name, campaignTitle: campaigns.title };
type Row = { item: LedgerItem; unitName: string; staffName: string | null; campaignTitle: string | null };

function listRow(r: Row, now: Date) {
  const i = r.item;
  return {
    id: i.id,
    seq: i.seq,
    unitId: i.unitId,
    unitName: r.unitName,
    campaignId: i.campaignId,
    campaignTitle: r.campaignTitle,
    problem: i.problem,
    source: i.source,
    sourceDetail: i.sourceDetail,
    complaintId: i.complaintId,
    sourceRoundId: i.sourceRoundId,
    sourceQuestion: i.sourceQuestion,
    measure: i.measure,
    target: i.target,
    dueOn: i.dueOn,
    responsibleStaffId: i.responsibleStaffId,
    responsibleName: r.staffName,
    status: i.status,
    effect: i.effect,
    overdue: isLedgerOverdue(i, now),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

function baseQuery(db: Db) {
  return db
    .select(columns)
    .from(ledgerItems)
    .innerJoin(units, eq(units.id, ledgerItems.unitId))
    .leftJoin(staff, eq(staff.id, ledgerItems.responsibleStaffId))
    .leftJoin(campaigns, eq(campaigns.id, ledgerItems.campaignId));
}

async function filters(db: Db, scope: Scope, q: { unitId?: string; campaignId?: string; status?: Status; overdue?: string; q?: string }, now: Date): Promise<SQL[]> {
  const where: SQL[] = [inArray(ledgerItems.unitId, await visibleUnits(db, scope))];
  if (q.unitId) where.push(eq(ledgerItems.unitId, q.unitId));
  if (q.campaignId) where.push(eq(ledgerItems.campaignId, q.campaignId));
  if (q.status) where.push(eq(ledgerItems.status, q.status));
  if (q.overdue) where.push(lt(ledgerItems.dueOn, shanghaiDay(now)), notInArray(ledgerItems.status, SETTLED));
  if (q.q) {
    const p = likePattern(q.q);
    where.push(or(ilike(ledgerItems.problem, p), ilike(ledgerItems.measure, p), ilike(units.name, p))!);
  }
  return where;
}

export async function listLedgerItems(db: Db, scope: Scope, raw: unknown = {}, now = new Date()) {
  const q = parseInput(ledgerListQuery, raw);
  const where = and(...(await filters(db, scope, q, now)));
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(ledgerItems).innerJoin(units, eq(units.id, ledgerItems.unitId)).where(where);
  const rows = await baseQuery(db).where(where).orderBy(asc(units.name), asc(ledgerItems.seq)).limit(q.limit).offset(offsetOf(q));
  // the overdue count of the whole selection (without the overdue filter), for the flag on the page
  const overdueWhere = and(...(await filters(db, scope, { ...q, overdue: '1' }, now)));
  const [{ n: overdue } = { n: 0 }] = await db.select({ n: count() }).from(ledgerItems).innerJoin(units, eq(units.id, ledgerItems.unitId)).where(overdueWhere);
  return { items: rows.map((r) => listRow(r, now)), page: q.page, limit: q.limit, total: n, overdue };
}

/** Every matching item (for the xlsx), with its notes. */
export async function ledgerRowsForExport(db: Db, scope: Scope, q: { unitId?: string; campaignId?: string }, now = new Date()) {
  const rows = await baseQuery(db)
    .where(and(...(await filters(db, scope, q, now))))
    .orderBy(asc(units.name), asc(ledgerItems.seq));
  const ids = rows.map((r) => r.item.id);
  const notes = ids.length
    ? await db.select().from(ledgerNotes).where(inArray(ledgerNotes.itemId, ids)).orderBy(asc(ledgerNotes.at))
    : [];
  return rows.map((r) => ({ ...listRow(r, now), notes: notes.filter((n) => n.itemId === r.item.id) }));
}

/** An item the caller may read (404 for one of another school, as for one that does not exist). */
export async function loadVisible(db: Db, scope: Scope, id: string): Promise<Row> {
  const [row] = await baseQuery(db).where(and(eq(ledgerItems.id, id), inArray(ledgerItems.unitId, await visibleUnits(db, scope))));
  // an item of another school is as unknown to the caller as one that does not exist
  if (!row) throw new NotFoundError('ledger_item');
  return row;
}

export async function getLedgerItem(db: Db, scope: Scope, id: string, now = new Date()) {
  const row = await loadVisible(db, scope, id);
  const notes = await db
    .select({ at: ledgerNotes.at, status: ledgerNotes.status, body: ledgerNotes.body, actor: users.displayName })
    .from(ledgerNotes)
    .leftJoin(users, eq(users.id, ledgerNotes.actorUserId))
    .where(eq(ledgerNotes.itemId, id))
    .orderBy(asc(ledgerNotes.at), asc(ledgerNotes.id));
  const actions = (Object.keys(LEDGER_STEPS) as LedgerAction[]).filter((a) => LEDGER_STEPS[a].from.includes(row.item.status) && LEDGER_STEPS[a].roles.includes(scope.role));
  return {
    ...listRow(row, now),
    /** 回头看: the source round's and later rounds' figure of the question, for an item found in a round */
    followUp: await followUpFigures(db, scope, row.item),
    notes: notes.map((n) => ({ at: n.at.toISOString(), status: n.status, body: n.body, actor: n.actor })),
    /** what the caller may do next */
    actions,
  };
}

const userOf = (actor: Actor) => (actor.type === 'user' ? actor.userId : null);

export async function createLedgerItem(db: Db, scope: Scope, actor: Actor, raw: unknown, now = new Date()) {
  if (scope.role !== 'office' && scope.role !== 'school_admin') throw new ForbiddenError('role_not_allowed');
  const input = parseInput(createLedgerItemInput, raw);
  let unitId = input.unitId;
  let source = input.source;
  if (input.complaintId) {
    // only a complaint the caller may see (404 otherwise, as for one that does not exist)
    const c = await getComplaint(db, scope, input.complaintId, now);
    unitId ??= c.handlingUnitId && c.handlingUnitId !== c.unitId && scope.role === 'school_admin' ? c.handlingUnitId : c.unitId;
    source = 'complaint';
  }
  if (input.sourceRoundId) {
    // only a round the caller reads (a school admin: one their school took part in)
    const round = await getRound(db, scope, input.sourceRoundId).catch((e: unknown) => {
      if (e instanceof DomainError) throw new ValidationError({ sourceRoundId: [{ key: 'invalid' }] });
      throw e;
    });
    if (unitId && !round.schools.some((s) => s.id === unitId)) throw new ValidationError({ unitId: [{ key: 'ledger_round_unit' }] });
    source = 'round';
  }
  if (scope.role === 'school_admin') {
    unitId ??= scope.unitId;
    if (unitId !== scope.unitId) throw new ForbiddenError('outside_scope');
  }
  if (!unitId) throw new ValidationError({ unitId: [{ key: 'required' }] });
  const [u] = await db.select({ kind: units.kind }).from(units).where(eq(units.id, unitId));
  if (!u || !(await unitIdsInScope(db, scope)).includes(unitId)) throw new ValidationError({ unitId: [{ key: 'invalid' }] });
  if (input.responsibleStaffId) {
    const [s] = await db.select({ unitId: staff.unitId }).from(staff).where(eq(staff.id, input.responsibleStaffId));
    if (!s || s.unitId !== unitId) throw new ValidationError({ responsibleStaffId: [{ key: 'invalid' }] });
  }
  if (input.campaignId) await loadCampaign(db, scope, input.campaignId);
  return db.transaction(async (tx) => {
    // 序号 within the school's ledger; the per-unit lock keeps two concurrent creations apart
    const locked = await tx.select({ id: units.id }).from(units).where(eq(units.id, unitId)).for('update');
    if (!locked.length) throw new ValidationError({ unitId: [{ key: 'invalid' }] });
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(ledgerItems).where(eq(ledgerItems.unitId, unitId));
    const [item] = await tx
      .insert(ledgerItems)
      .values({
        unitId,
        seq: n + 1,
        campaignId: input.campaignId ?? null,
        complaintId: input.complaintId ?? null,
        problem: input.problem,
        source: source!,
        sourceDetail: input.sourceDetail ?? null,
        sourceRoundId: input.sourceRoundId ?? null,
        sourceQuestion: input.sourceRoundId ? (input.sourceQuestion ?? null) : null,
        measure: input.measure,
        target: input.target,
        dueOn: input.dueOn,
        responsibleStaffId: input.responsibleStaffId ?? null,
        createdByUserId: userOf(actor),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(ledgerNotes).values({ itemId: item!.id, at: now, status: 'open', body: null, actorUserId: userOf(actor) });
    await recordAudit(tx, actor, {
      action: 'ledger.create',
      entityType: 'ledger_item',
      entityId: item!.id,
      unitId,
      summary: {
        seq: item!.seq,
        source: item!.source,
        dueOn: item!.dueOn,
        ...(input.complaintId ? { complaintId: input.complaintId } : {}),
        ...(input.sourceRoundId ? { sourceRoundId: input.sourceRoundId, sourceQuestion: input.sourceQuestion ?? null } : {}),
      },
    });
    return { id: item!.id, seq: item!.seq };
  });
}

export async function ledgerAction(db: Db, scope: Scope, actor: Actor, id: string, raw: unknown, now = new Date()) {
  const input = parseInput(ledgerActionInput, raw);
  const { item } = await loadVisible(db, scope, id);
  const step = LEDGER_STEPS[input.action];
  if (!step.roles.includes(scope.role)) throw new ForbiddenError(input.action === 'verify' || input.action === 'reopen' ? 'ledger_verifier_only' : 'role_not_allowed');
  if (!step.from.includes(item.status)) throw new ConflictError('ledger_step');
  const to = step.to;
  const body = input.action === 'verify' ? input.effect : input.action === 'reopen' ? input.reason : (input.note ?? null);
  const set: Partial<typeof ledgerItems.$inferInsert> = { updatedAt: now };
  if (to) set.status = to;
  if (input.action === 'done') set.doneAt = now;
  if (input.action === 'verify') Object.assign(set, { verifiedAt: now, effect: input.effect });
  if (input.action === 'reopen') Object.assign(set, { verifiedAt: null, doneAt: null });
  await db.transaction(async (tx) => {
    const changed = await tx
      .update(ledgerItems)
      .set(set)
      .where(and(eq(ledgerItems.id, id), eq(ledgerItems.status, item.status)))
      .returning({ id: ledgerItems.id });
    // someone else moved the item first
    if (!changed.length) throw new ConflictError('ledger_step');
    await tx.insert(ledgerNotes).values({ itemId: id, at: now, status: to, body, actorUserId: userOf(actor) });
    await recordAudit(tx, actor, {
      action: `ledger.${input.action}`,
      entityType: 'ledger_item',
      entityId: id,
      unitId: item.unitId,
      summary: { from: item.status, to: to ?? item.status, overdue: isLedgerOverdue(item, now) },
    });
  });
  return getLedgerItem(db, scope, id, now);
}
