import { and, eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, sessions, staff, teachingAssignments, units, users, type NewStaff } from '@/lib/db/schema';
import { planRoster, type RosterPlan } from './plan';
import { readRosterFile, RosterImportError, type RawSheets } from './read';
import type { SheetKey } from './sheets';

const BATCH = 1000;

async function insertBatched<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * A login linked to a staff record follows it: a deactivated staff member's account is disabled
 * (and logged out), and a staff login moves with its staff record to the new unit.
 */
async function followStaffRecord(tx: Db, staffId: string, set: Partial<NewStaff>) {
  if (set.active === false) {
    const disabled = await tx.update(users).set({ disabled: true }).where(and(eq(users.staffId, staffId), eq(users.disabled, false))).returning({ id: users.id });
    for (const u of disabled) await tx.delete(sessions).where(eq(sessions.userId, u.id));
  }
  if (set.unitId) {
    const moved = await tx.update(users).set({ unitId: set.unitId }).where(and(eq(users.staffId, staffId), eq(users.role, 'staff'))).returning({ id: users.id });
    for (const u of moved) await tx.delete(sessions).where(eq(sessions.userId, u.id));
  }
}

/** Writes a checked plan in one transaction, with one audit entry for the whole import. */
async function applyPlan(db: Db, actor: Actor, scope: Scope, plan: RosterPlan, source: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { inserts, updates } = plan;
    await insertBatched(inserts.units, (b) => tx.insert(units).values(b));
    for (const u of updates.units) await tx.update(units).set(u.set).where(eq(units.id, u.id));
    await insertBatched(inserts.classes, (b) => tx.insert(classes).values(b));
    for (const u of updates.classes) await tx.update(classes).set(u.set).where(eq(classes.id, u.id));
    await insertBatched(inserts.staff, (b) => tx.insert(staff).values(b));
    for (const u of updates.staff) {
      await tx.update(staff).set(u.set).where(eq(staff.id, u.id));
      await followStaffRecord(tx, u.id, u.set);
    }
    await insertBatched(inserts.assignments, (b) => tx.insert(teachingAssignments).values(b));
    for (const u of updates.assignments) await tx.update(teachingAssignments).set(u.set).where(eq(teachingAssignments.id, u.id));
    await recordAudit(tx, actor, { action: 'roster.import', entityType: 'roster', unitId: scope.unitId, summary: { source, ...plan.summary } });
  });
}

export type ImportSummary = RosterPlan['summary'];

/**
 * Checks rows and, when there is not a single problem, applies them in one transaction.
 * Any problem: nothing is written and RosterImportError lists every one. `dryRun` only checks.
 */
export async function applyRoster(
  db: Db,
  scope: Scope,
  actor: Actor,
  sheets: RawSheets,
  opts: { dryRun?: boolean; source?: string } = {},
): Promise<ImportSummary> {
  const { plan, issues } = await planRoster(db, scope, sheets);
  if (issues.length) throw new RosterImportError(issues);
  const changed = Object.values(plan.summary).some((s) => s.created || s.updated);
  if (!opts.dryRun && changed) await applyPlan(db, actor, scope, plan, opts.source ?? 'api');
  return plan.summary;
}

/** Imports an uploaded xlsx or CSV file. */
export async function importRosterFile(
  db: Db,
  scope: Scope,
  actor: Actor,
  file: { name: string; bytes: Uint8Array },
  opts: { dryRun?: boolean; sheet?: SheetKey } = {},
): Promise<ImportSummary> {
  const sheets = await readRosterFile(file, opts.sheet);
  return applyRoster(db, scope, actor, sheets, { dryRun: opts.dryRun, source: file.name });
}
