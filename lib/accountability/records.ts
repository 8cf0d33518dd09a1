/**
 * 效能问责 records: a measure (效能告诫, 诫勉谈话 …) decided against a person, with the reason and
 * what it came from (a complaint, a ledger item, a campaign). Visible to the office of the person's
 * unit (and above) and to the person concerned — not to colleagues, the school's admins or the
 * supervision post. Only the office records and revokes; a revoked record stays, with its reason,
 * but no longer counts (lib/accountability/caps.ts). Every change is audited.
 */
import { and, count, desc, eq, gte, ilike, inArray, isNotNull, isNull, lte, or, type SQL } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { loadCampaign } from '@/lib/campaigns/campaigns';
import { getComplaint } from '@/lib/complaints/handling';
import type { Db } from '@/lib/db/client';
import { accountabilityRecords, accountabilityTypes, campaigns, ledgerItems, staff, units, users, type AccountabilityRecord, type AssessmentGrade } from '@/lib/db/schema';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { getLedgerItem } from '@/lib/ledger/ledger';
import { likePattern, offsetOf } from '@/lib/paging';
import { parseInput } from '@/lib/validation';
import { createRecordInput, recordListQuery, revokeRecordInput } from './schemas';

/** The records a caller may read, as a condition: the office's units, or the caller's own. */
async function visibleTo(db: Db, scope: Scope): Promise<SQL> {
  if (scope.role === 'office') return inArray(accountabilityRecords.unitId, await unitIdsInScope(db, scope));
  // the person concerned, whatever else their account may do; an account without a staff record has none
  return scope.staffId ? eq(accountabilityRecords.staffId, scope.staffId) : eq(accountabilityRecords.id, '00000000-0000-0000-0000-000000000000');
}

const columns = {
  r: accountabilityRecords,
  staffName: staff.name,
  staffNo: staff.staffNo,
  unitName: units.name,
  typeName: accountabilityTypes.name,
  capGrade: accountabilityTypes.capGrade,
  campaignTitle: campaigns.title,
  ledgerSeq: ledgerItems.seq,
  recordedBy: users.displayName,
};
type Row = { r: AccountabilityRecord; staffName: string; staffNo: string; unitName: string; typeName: string; capGrade: AssessmentGrade | null; campaignTitle: string | null; ledgerSeq: number | null; recordedBy: string | null };

function base(db: Db) {
  return db
    .select(columns)
    .from(accountabilityRecords)
    .innerJoin(staff, eq(staff.id, accountabilityRecords.staffId))
    .innerJoin(units, eq(units.id, accountabilityRecords.unitId))
    .innerJoin(accountabilityTypes, eq(accountabilityTypes.id, accountabilityRecords.typeId))
    .leftJoin(campaigns, eq(campaigns.id, accountabilityRecords.campaignId))
    .leftJoin(ledgerItems, eq(ledgerItems.id, accountabilityRecords.ledgerItemId))
    .leftJoin(users, eq(users.id, accountabilityRecords.createdByUserId));
}

function present(x: Row, office: boolean) {
  const r = x.r;
  return {
    id: r.id,
    staffId: r.staffId,
    staffName: x.staffName,
    staffNo: x.staffNo,
    unitId: r.unitId,
    unitName: x.unitName,
    typeId: r.typeId,
    typeName: x.typeName,
    capGrade: x.capGrade,
    reason: r.reason,
    decidedOn: r.decidedOn,
    complaintId: r.complaintId,
    ledgerItemId: r.ledgerItemId,
    ledgerSeq: x.ledgerSeq,
    campaignId: r.campaignId,
    campaignTitle: x.campaignTitle,
    revoked: r.revokedAt !== null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    revokedReason: r.revokedReason,
    createdAt: r.createdAt.toISOString(),
    /** who recorded it: for the office only */
    recordedBy: office ? x.recordedBy : null,
  };
}

export async function listRecords(db: Db, scope: Scope, raw: unknown = {}) {
  const q = parseInput(recordListQuery, raw);
  const where: SQL[] = [await visibleTo(db, scope)];
  if (q.staffId) where.push(eq(accountabilityRecords.staffId, q.staffId));
  if (q.typeId) where.push(eq(accountabilityRecords.typeId, q.typeId));
  if (q.unitId) where.push(eq(accountabilityRecords.unitId, q.unitId));
  if (q.complaintId) where.push(eq(accountabilityRecords.complaintId, q.complaintId));
  if (q.ledgerItemId) where.push(eq(accountabilityRecords.ledgerItemId, q.ledgerItemId));
  if (q.year) where.push(gte(accountabilityRecords.decidedOn, `${q.year}-01-01`), lte(accountabilityRecords.decidedOn, `${q.year}-12-31`));
  if (q.status === 'active') where.push(isNull(accountabilityRecords.revokedAt));
  if (q.status === 'revoked') where.push(isNotNull(accountabilityRecords.revokedAt));
  if (q.q) {
    const p = likePattern(q.q);
    where.push(or(ilike(staff.name, p), ilike(staff.staffNo, p), ilike(accountabilityRecords.reason, p))!);
  }
  const cond = and(...where);
  const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(accountabilityRecords).innerJoin(staff, eq(staff.id, accountabilityRecords.staffId)).where(cond);
  const rows = await base(db).where(cond).orderBy(desc(accountabilityRecords.decidedOn), desc(accountabilityRecords.createdAt)).limit(q.limit).offset(offsetOf(q));
  return { records: rows.map((r) => present(r, scope.role === 'office')), page: q.page, limit: q.limit, total: n };
}

export async function getRecord(db: Db, scope: Scope, id: string) {
  const [row] = await base(db).where(and(eq(accountabilityRecords.id, id), await visibleTo(db, scope)));
  // someone else's record is as unknown to the caller as one that does not exist
  if (!row) throw new NotFoundError('accountability_record');
  return present(row, scope.role === 'office');
}

const userOf = (actor: Actor) => (actor.type === 'user' ? actor.userId : null);

/** A linked complaint, ledger item or campaign must be one the office may see; otherwise the field is wrong. */
async function linkable(field: string, check: () => Promise<unknown>) {
  try {
    await check();
  } catch (err) {
    if (err instanceof NotFoundError) throw new ValidationError({ [field]: [{ key: 'invalid' }] });
    throw err;
  }
}

export async function createRecord(db: Db, scope: Scope, actor: Actor, raw: unknown) {
  requireRole(scope, ['office']);
  const input = parseInput(createRecordInput, raw);
  const [person] = await db.select({ unitId: staff.unitId }).from(staff).where(eq(staff.id, input.staffId));
  if (!person || !(await unitIdsInScope(db, scope)).includes(person.unitId)) throw new ValidationError({ staffId: [{ key: 'invalid' }] });
  const [type] = await db.select().from(accountabilityTypes).where(and(eq(accountabilityTypes.id, input.typeId), eq(accountabilityTypes.unitId, scope.unitId), eq(accountabilityTypes.active, true)));
  if (!type) throw new ValidationError({ typeId: [{ key: 'invalid' }] });
  if (input.complaintId) await linkable('complaintId', () => getComplaint(db, scope, input.complaintId!));
  if (input.ledgerItemId) await linkable('ledgerItemId', () => getLedgerItem(db, scope, input.ledgerItemId!));
  if (input.campaignId) await linkable('campaignId', () => loadCampaign(db, scope, input.campaignId!));
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accountabilityRecords)
      .values({
        staffId: input.staffId,
        unitId: person.unitId,
        typeId: type.id,
        reason: input.reason,
        decidedOn: input.decidedOn,
        complaintId: input.complaintId ?? null,
        ledgerItemId: input.ledgerItemId ?? null,
        campaignId: input.campaignId ?? null,
        createdByUserId: userOf(actor),
      })
      .returning({ id: accountabilityRecords.id });
    await recordAudit(tx, actor, {
      action: 'accountability.create',
      entityType: 'accountability_record',
      entityId: row!.id,
      unitId: person.unitId,
      // the reason stays in the record; the audit log says what was decided and about whom
      summary: { staffId: input.staffId, type: type.name, decidedOn: input.decidedOn, capGrade: type.capGrade, ...(input.complaintId ? { complaintId: input.complaintId } : {}), ...(input.ledgerItemId ? { ledgerItemId: input.ledgerItemId } : {}) },
    });
    return row!.id;
  });
  return getRecord(db, scope, id);
}

/** Withdraws a record with a reason: it stays, marked revoked, and no longer caps a grade. */
export async function revokeRecord(db: Db, scope: Scope, actor: Actor, id: string, raw: unknown, now = new Date()) {
  requireRole(scope, ['office']);
  const input = parseInput(revokeRecordInput, raw);
  const record = await getRecord(db, scope, id);
  if (record.revoked) throw new ConflictError('accountability_revoked');
  await db.transaction(async (tx) => {
    const done = await tx
      .update(accountabilityRecords)
      .set({ revokedAt: now, revokedReason: input.reason })
      .where(and(eq(accountabilityRecords.id, id), isNull(accountabilityRecords.revokedAt)))
      .returning({ id: accountabilityRecords.id });
    if (!done.length) throw new ConflictError('accountability_revoked');
    await recordAudit(tx, actor, { action: 'accountability.revoke', entityType: 'accountability_record', entityId: id, unitId: record.unitId, summary: { staffId: record.staffId, type: record.typeName } });
  });
  return getRecord(db, scope, id);
}
