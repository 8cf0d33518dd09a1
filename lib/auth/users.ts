import { eq, or } from 'drizzle-orm';
import type { Actor } from '@/lib/audit/log';
import { recordAudit } from '@/lib/audit/log';
import type { Db } from '@/lib/db/client';
import { apiKeys, sessions, staff, units, users, type Role, type Staff, type Unit } from '@/lib/db/schema';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { assertUnitInScope, requireRole, unitIdsInScope, type Scope } from './scope';
import { parseInput } from '@/lib/validation';
import { createApiKeyInput, createUserInput, type CreateApiKeyInput, type CreateUserInput } from './schemas';
import { hashPassword, randomPassword, randomToken, sha256 } from './secrets';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Finds a unit by id or by exact name (names are what an operator types). */
export async function findUnit(db: Db, idOrName: string): Promise<Unit> {
  const condition = UUID_RE.test(idOrName) ? or(eq(units.id, idOrName), eq(units.name, idOrName)) : eq(units.name, idOrName);
  const found = await db.select().from(units).where(condition).limit(2);
  if (found.length !== 1) throw new NotFoundError('unit');
  return found[0]!;
}

/**
 * The staff record a login is linked to, by 工号. With a scope, a 工号 outside it is answered exactly
 * like one that does not exist (400 on the field), so its existence is not revealed.
 */
export async function staffForLogin(db: Db, staffNo: string, scope?: Scope): Promise<Staff> {
  const [row] = await db.select().from(staff).where(eq(staff.staffNo, staffNo));
  if (!row || (scope && !(await unitIdsInScope(db, scope)).includes(row.unitId))) {
    throw new ValidationError({ staffNo: [{ key: 'import_unknown_staff', params: { value: staffNo } }] });
  }
  return row;
}

/** One login per staff member: a 工号 that already has an account is a conflict. */
export async function assertNoAccount(db: Db, staffId: string, exceptUserId?: string): Promise<void> {
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.staffId, staffId));
  if (taken && taken.id !== exceptUserId) throw new ConflictError('staff_has_account');
}

/**
 * A staff login's unit is its staff record's unit: with a 工号 the unit may be left out, and a
 * staff login naming another unit is refused.
 */
export function unitForLogin(role: Role, unit: Unit | undefined, linked: Staff | undefined): string {
  if (!linked) return unit!.id;
  if (role === 'staff' && unit && unit.id !== linked.unitId) throw new ValidationError({ unit: [{ key: 'staff_unit_mismatch' }] });
  return unit?.id ?? linked.unitId;
}

/** Creates a login. With a scope (API and UI callers) only the office may, and only inside its units. */
export async function createUser(db: Db, actor: Actor, raw: CreateUserInput, scope?: Scope): Promise<{ id: string; password: string }> {
  if (scope) requireRole(scope, ['office']);
  const input = parseInput(createUserInput, raw);
  const unit = input.unit ? await findUnit(db, input.unit) : undefined;
  if (scope && unit) await assertUnitInScope(db, scope, unit.id);
  const linked = input.staffNo ? await staffForLogin(db, input.staffNo, scope) : undefined;
  const unitId = unitForLogin(input.role, unit, linked);
  const password = input.password ?? randomPassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (existing.length) throw new ConflictError('username_taken');
    if (linked) await assertNoAccount(tx, linked.id);
    const [row] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName ?? linked?.name ?? input.username,
        passwordHash,
        role: input.role,
        unitId,
        staffId: linked?.id ?? null,
        mustChangePassword: !input.password,
      })
      .returning({ id: users.id });
    await recordAudit(tx, actor, {
      action: 'user.create',
      entityType: 'user',
      entityId: row!.id,
      unitId,
      summary: { after: { username: input.username, role: input.role, unit: unit?.name ?? unitId, staffNo: linked?.staffNo ?? null } },
    });
    return { id: row!.id, password };
  });
}

/** Sets a new random password; the user must change it at the next login. */
export async function resetPassword(db: Db, actor: Actor, username: string): Promise<{ password: string }> {
  const password = randomPassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true })
      .where(eq(users.username, username))
      .returning({ id: users.id, unitId: users.unitId });
    if (!row) throw new NotFoundError('user');
    // whoever was using the old password is logged out
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await recordAudit(tx, actor, {
      action: 'user.reset_password',
      entityType: 'user',
      entityId: row.id,
      unitId: row.unitId,
      summary: { username },
    });
    return { password };
  });
}

export const API_KEY_PREFIX = 'pgy_';

/** Creates an API key bound to a role and unit. The key is returned once; only its hash is stored. */
export async function createApiKey(db: Db, actor: Actor, raw: CreateApiKeyInput, scope?: Scope): Promise<{ id: string; key: string }> {
  if (scope) requireRole(scope, ['office']);
  const input = parseInput(createApiKeyInput, raw);
  let unitId: string;
  if (input.unit) unitId = (await findUnit(db, input.unit)).id;
  else if (scope) unitId = scope.unitId;
  else {
    // Without --unit the key belongs to the top of the tree (the county or district).
    const roots = await db.select().from(units).where(eq(units.kind, 'county'));
    const districts = roots.length ? roots : await db.select().from(units).where(eq(units.kind, 'district'));
    if (districts.length !== 1) throw new NotFoundError('unit');
    unitId = districts[0]!.id;
  }
  if (scope) await assertUnitInScope(db, scope, unitId);
  const key = randomToken(API_KEY_PREFIX);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name: input.name, keyHash: sha256(key), prefix: key.slice(0, 10), role: input.role, unitId })
      .returning({ id: apiKeys.id });
    await recordAudit(tx, actor, {
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: row!.id,
      unitId,
      summary: { after: { name: input.name, role: input.role } },
    });
    return { id: row!.id, key };
  });
}
