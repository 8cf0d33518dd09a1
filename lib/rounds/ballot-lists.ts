/**
 * Saved ballot lists (评议名单): a named list of staff (by 工号) and/or units kept by an office,
 * used on a round's ballot as `@list:NAME` (lib/rounds/ballot-list.ts). Entries are stored resolved
 * (staff and unit ids), so renaming a unit or renumbering keeps the list; when a round is created
 * the list is expanded like one typed by hand, and from then on the round's ballot is fixed.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { ballotLists, staff, units, type BallotList, type Unit } from '@/lib/db/schema';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { uniqueEntries, type BallotEntry } from './ballot-list';

export const ballotListInput = z.object({
  /** used on a ballot as `@list:NAME`: no spaces, no `@` */
  name: z.string().trim().min(1).max(40).regex(/^[^\s@,，、;；]+$/, { message: 'ballot_list_name' }),
  /** staff numbers (工号) and/or unit names, in ballot order */
  entries: z.array(z.string().trim().min(1).max(60)).min(1).max(500),
});
export type BallotListInput = z.input<typeof ballotListInput>;

/** One typed entry: a unit in scope (by name or id) or an active-or-not staff member in scope (by 工号). */
export async function resolveEntry(db: Db, entry: string, scopedUnits: readonly Unit[]): Promise<BallotEntry | null> {
  const unit = scopedUnits.find((u) => u.name === entry || u.id === entry);
  if (unit) return { unitId: unit.id };
  if (!scopedUnits.length) return null;
  const [person] = await db
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.staffNo, entry), inArray(staff.unitId, scopedUnits.map((u) => u.id))));
  return person ? { staffId: person.id } : null;
}

async function scopedUnitsOf(db: Db, scope: Scope) {
  const ids = await unitIdsInScope(db, scope);
  return db.select().from(units).where(inArray(units.id, ids));
}

/** The typed entries resolved, or a ValidationError naming each unknown one (`entries.i`). */
async function resolveAll(db: Db, entries: readonly string[], scopedUnits: readonly Unit[]): Promise<BallotEntry[]> {
  const out: BallotEntry[] = [];
  const fields: Record<string, FieldIssue[]> = {};
  for (const [i, entry] of entries.entries()) {
    const hit = entry.startsWith('@') ? null : await resolveEntry(db, entry, scopedUnits);
    if (hit) out.push(hit);
    else fields[`entries.${i}`] = [{ key: 'import_unknown_staff', params: { value: entry } }];
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return uniqueEntries(out);
}

export interface PresentedBallotList {
  id: string;
  name: string;
  unitName: string;
  entries: { type: 'staff' | 'unit'; id: string; label: string; name: string }[];
  updatedAt: string;
}

/** Lists of the caller's units, each entry shown as it would be typed (工号 or unit name) with the name. */
export async function listBallotLists(db: Db, scope: Scope): Promise<PresentedBallotList[]> {
  requireRole(scope, ['office']);
  const scoped = await scopedUnitsOf(db, scope);
  if (!scoped.length) return [];
  const rows = await db
    .select()
    .from(ballotLists)
    .where(inArray(ballotLists.unitId, scoped.map((u) => u.id)))
    .orderBy(asc(ballotLists.name));
  const staffIds = [...new Set(rows.flatMap((r) => r.entries.flatMap((e) => ('staffId' in e ? [e.staffId] : []))))];
  const people = staffIds.length ? await db.select({ id: staff.id, staffNo: staff.staffNo, name: staff.name }).from(staff).where(inArray(staff.id, staffIds)) : [];
  const person = new Map(people.map((p) => [p.id, p]));
  const unitOf = new Map(scoped.map((u) => [u.id, u]));
  const unitIds = [...new Set(rows.flatMap((r) => r.entries.flatMap((e) => ('unitId' in e ? [e.unitId] : []))))].filter((id) => !unitOf.has(id));
  for (const u of unitIds.length ? await db.select().from(units).where(inArray(units.id, unitIds)) : []) unitOf.set(u.id, u);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    unitName: unitOf.get(r.unitId)?.name ?? '',
    entries: r.entries.map((e) =>
      'staffId' in e
        ? { type: 'staff' as const, id: e.staffId, label: person.get(e.staffId)?.staffNo ?? '', name: person.get(e.staffId)?.name ?? '' }
        : { type: 'unit' as const, id: e.unitId, label: unitOf.get(e.unitId)?.name ?? '', name: unitOf.get(e.unitId)?.name ?? '' },
    ),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

async function managedList(db: Db, scope: Scope, listId: string): Promise<BallotList> {
  requireRole(scope, ['office']);
  const [row] = await db.select().from(ballotLists).where(eq(ballotLists.id, listId));
  if (!row || !(await unitIdsInScope(db, scope)).includes(row.unitId)) throw new NotFoundError('ballot_list');
  return row;
}

/** Saves a new list under the caller's unit (409 when the name is taken there). */
export async function createBallotList(db: Db, scope: Scope, actor: Actor, raw: BallotListInput) {
  requireRole(scope, ['office']);
  const input = parseInput(ballotListInput, raw);
  const entries = await resolveAll(db, input.entries, await scopedUnitsOf(db, scope));
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: ballotLists.id }).from(ballotLists).where(and(eq(ballotLists.unitId, scope.unitId), eq(ballotLists.name, input.name)));
    if (clash) throw new ConflictError('already_exists');
    const [row] = await tx.insert(ballotLists).values({ unitId: scope.unitId, name: input.name, entries }).returning();
    await recordAudit(tx, actor, { action: 'ballot_list.create', entityType: 'ballot_list', entityId: row!.id, unitId: scope.unitId, summary: { name: input.name, entries: entries.length } });
    return { id: row!.id };
  });
}

/** Renames a list and/or replaces its entries; rounds already created keep the ballot they were given. */
export async function updateBallotList(db: Db, scope: Scope, actor: Actor, listId: string, raw: Partial<BallotListInput>) {
  const list = await managedList(db, scope, listId);
  const patch = parseInput(ballotListInput.partial(), raw);
  const input = { name: patch.name ?? list.name };
  const entries = patch.entries ? await resolveAll(db, patch.entries, await scopedUnitsOf(db, scope)) : list.entries;
  return db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: ballotLists.id }).from(ballotLists).where(and(eq(ballotLists.unitId, list.unitId), eq(ballotLists.name, input.name)));
    if (clash && clash.id !== listId) throw new ConflictError('already_exists');
    await tx.update(ballotLists).set({ name: input.name, entries, updatedAt: new Date() }).where(eq(ballotLists.id, listId));
    await recordAudit(tx, actor, { action: 'ballot_list.update', entityType: 'ballot_list', entityId: listId, unitId: list.unitId, summary: { before: list.name, name: input.name, entries: entries.length } });
    return { id: listId };
  });
}

export async function deleteBallotList(db: Db, scope: Scope, actor: Actor, listId: string) {
  const list = await managedList(db, scope, listId);
  await db.transaction(async (tx) => {
    await tx.delete(ballotLists).where(eq(ballotLists.id, listId));
    await recordAudit(tx, actor, { action: 'ballot_list.delete', entityType: 'ballot_list', entityId: listId, unitId: list.unitId, summary: { name: list.name } });
  });
}

/**
 * The entries of the list NAME among the lists of the caller's units (their own unit's list first
 * when a county office and a district both keep one of that name), keeping only people and units
 * still active and in scope; null when there is no such list.
 */
export async function expandSavedList(db: Db, name: string, ownUnitId: string | null, scoped: readonly Unit[]): Promise<BallotEntry[] | null> {
  if (!scoped.length) return null;
  const rows = await db
    .select()
    .from(ballotLists)
    .where(and(eq(ballotLists.name, name), inArray(ballotLists.unitId, scoped.map((u) => u.id))));
  const list = rows.find((r) => r.unitId === ownUnitId) ?? rows[0];
  if (!list) return null;
  const active = new Set(scoped.filter((u) => u.active).map((u) => u.id));
  const staffIds = list.entries.flatMap((e) => ('staffId' in e ? [e.staffId] : []));
  const people = staffIds.length
    ? new Set(
        (await db.select({ id: staff.id, unitId: staff.unitId }).from(staff).where(and(inArray(staff.id, staffIds), eq(staff.active, true)))).filter((p) => active.has(p.unitId)).map((p) => p.id),
      )
    : new Set<string>();
  return list.entries.filter((e) => ('staffId' in e ? people.has(e.staffId) : active.has(e.unitId)));
}
