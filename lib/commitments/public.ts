/**
 * What the public page of a school (/gongkai/{school}) shows, without login: the school's 整改台帐
 * progress (the problem, the measure, the target, the deadline and the status — never progress
 * notes, the source, the responsible person or the verifier's effect) and the commitments the
 * office has approved for publication (never pending or returned ones, never the office's remarks
 * or the text of a fulfilment report).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { commitments, ledgerItems, staff, units } from '@/lib/db/schema';
import { NotFoundError } from '@/lib/errors';
import { isLedgerOverdue } from '@/lib/ledger/ledger';
import { isCommitmentOverdue } from './commitments';

/** The statuses of a published commitment. */
export const PUBLISHED = ['approved', 'reported', 'fulfilled', 'unfulfilled'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function publicSchoolPage(db: Db, unitId: string, now = new Date()) {
  // only an active school has a public page; anything else is unknown
  if (!UUID.test(unitId)) throw new NotFoundError('unit');
  const [unit] = await db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(eq(units.id, unitId), eq(units.kind, 'school'), eq(units.active, true)));
  if (!unit) throw new NotFoundError('unit');
  const ledger = await db
    .select({ seq: ledgerItems.seq, problem: ledgerItems.problem, measure: ledgerItems.measure, target: ledgerItems.target, dueOn: ledgerItems.dueOn, status: ledgerItems.status })
    .from(ledgerItems)
    .where(eq(ledgerItems.unitId, unitId))
    .orderBy(asc(ledgerItems.seq));
  const rows = await db
    .select({ id: commitments.id, staffId: commitments.staffId, name: staff.name, position: staff.position, body: commitments.body, dueOn: commitments.dueOn, status: commitments.status })
    .from(commitments)
    .leftJoin(staff, eq(staff.id, commitments.staffId))
    .where(and(eq(commitments.unitId, unitId), inArray(commitments.status, [...PUBLISHED])))
    // the school's own first, then each person by name
    .orderBy(sql`${commitments.staffId} is not null`, asc(staff.name), asc(commitments.dueOn), asc(commitments.id));
  return {
    unit,
    ledger: ledger.map((i) => ({ ...i, overdue: isLedgerOverdue(i, now) })),
    commitments: rows.map((c) => ({
      id: c.id,
      kind: c.staffId ? ('personal' as const) : ('school' as const),
      name: c.name,
      position: c.position,
      body: c.body,
      dueOn: c.dueOn,
      status: c.status as (typeof PUBLISHED)[number],
      overdue: isCommitmentOverdue(c, now),
    })),
  };
}
