/**
 * The kinds of 效能问责 measure of a district or the county. The first office to open the list
 * gets the usual four (效能告诫, 诫勉谈话, 通报批评, 降低考核等次); it may rename them, set or clear the
 * grade each caps, add its own, and retire one (active = false) without touching its records.
 */
import { and, asc, eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { accountabilityTypes, type AccountabilityType, type AssessmentGrade } from '@/lib/db/schema';
import { ConflictError, NotFoundError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { createTypeInput, updateTypeInput } from './schemas';

/**
 * The default list. 效能告诫 and 降低考核等次 keep a person from 优秀 in the year of the measure (the
 * campaign documents: "受到效能告诫的，当年不得评为优秀"); 诫勉谈话 and 通报批评 are recorded without a
 * cap until the office sets one.
 */
export const DEFAULT_TYPES: { name: string; capGrade: AssessmentGrade | null }[] = [
  { name: '效能告诫', capGrade: 'qualified' },
  { name: '诫勉谈话', capGrade: null },
  { name: '通报批评', capGrade: null },
  { name: '降低考核等次', capGrade: 'qualified' },
];

export function typeRow(t: AccountabilityType) {
  return { id: t.id, name: t.name, capGrade: t.capGrade, sortOrder: t.sortOrder, active: t.active };
}

/** The office's kinds, creating the default list on first use. */
export async function listTypes(db: Db, scope: Scope) {
  requireRole(scope, ['office']);
  let rows = await db.select().from(accountabilityTypes).where(eq(accountabilityTypes.unitId, scope.unitId)).orderBy(asc(accountabilityTypes.sortOrder), asc(accountabilityTypes.name));
  if (!rows.length) {
    await db
      .insert(accountabilityTypes)
      .values(DEFAULT_TYPES.map((t, i) => ({ unitId: scope.unitId, name: t.name, capGrade: t.capGrade, sortOrder: (i + 1) * 10 })))
      // two first visits at once: the second finds the list made
      .onConflictDoNothing();
    rows = await db.select().from(accountabilityTypes).where(eq(accountabilityTypes.unitId, scope.unitId)).orderBy(asc(accountabilityTypes.sortOrder), asc(accountabilityTypes.name));
  }
  return { types: rows.map(typeRow) };
}

export async function createType(db: Db, scope: Scope, actor: Actor, raw: unknown) {
  requireRole(scope, ['office']);
  const input = parseInput(createTypeInput, raw);
  await listTypes(db, scope);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(accountabilityTypes)
      .values({ unitId: scope.unitId, name: input.name, capGrade: input.capGrade ?? null, sortOrder: input.sortOrder ?? 100 })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError('already_exists');
    await recordAudit(tx, actor, { action: 'accountability_type.create', entityType: 'accountability_type', entityId: row.id, unitId: scope.unitId, summary: { name: row.name, capGrade: row.capGrade } });
    return typeRow(row);
  });
}

export async function updateType(db: Db, scope: Scope, actor: Actor, id: string, raw: unknown) {
  requireRole(scope, ['office']);
  const input = parseInput(updateTypeInput, raw);
  const [old] = await db.select().from(accountabilityTypes).where(and(eq(accountabilityTypes.id, id), eq(accountabilityTypes.unitId, scope.unitId)));
  // another unit's kind is as unknown as one that does not exist
  if (!old) throw new NotFoundError('accountability_type');
  return db.transaction(async (tx) => {
    if (input.name && input.name !== old.name) {
      const [clash] = await tx.select({ id: accountabilityTypes.id }).from(accountabilityTypes).where(and(eq(accountabilityTypes.unitId, scope.unitId), eq(accountabilityTypes.name, input.name)));
      if (clash) throw new ConflictError('already_exists');
    }
    const [row] = await tx.update(accountabilityTypes).set(input).where(eq(accountabilityTypes.id, id)).returning();
    await recordAudit(tx, actor, {
      action: 'accountability_type.update',
      entityType: 'accountability_type',
      entityId: id,
      unitId: scope.unitId,
      summary: { before: typeRow(old), after: typeRow(row!) },
    });
    return typeRow(row!);
  });
}
