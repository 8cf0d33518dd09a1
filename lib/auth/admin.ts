import { and, count, desc, eq, gte, ilike, inArray, lte, or, type SQL } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Db } from '@/lib/db/client';
import { likePattern, offsetOf } from '@/lib/paging';
import { apiKeys, auditLog, sessions, staff, units, users, type Unit } from '@/lib/db/schema';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { assertUnitInScope, requireRole, unitIdsInScope, type Scope } from './scope';
import { updateUserInput, type UpdateUserInput } from './schemas';
import { assertNoAccount, findUnit, resetPassword, staffForLogin, unitForLogin } from './users';

/** Users, API keys and the audit log are the district office's to manage. */
const requireOffice = (scope: Scope) => requireRole(scope, ['office']);

const userColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  unitId: users.unitId,
  unitName: units.name,
  staffNo: staff.staffNo,
  disabled: users.disabled,
  mustChangePassword: users.mustChangePassword,
  createdAt: users.createdAt,
};

export async function listUsers(db: Db, scope: Scope) {
  requireOffice(scope);
  const ids = await unitIdsInScope(db, scope);
  return db.select(userColumns).from(users).innerJoin(units, eq(units.id, users.unitId)).leftJoin(staff, eq(staff.id, users.staffId)).where(inArray(users.unitId, ids)).orderBy(users.username);
}

/** One page of users (q searches username, name and unit) and how many match in all. */
export async function pageUsers(db: Db, scope: Scope, filter: { q?: string; page: number; limit: number }) {
  requireOffice(scope);
  const ids = await unitIdsInScope(db, scope);
  const where = and(
    inArray(users.unitId, ids),
    filter.q ? or(ilike(users.username, likePattern(filter.q)), ilike(users.displayName, likePattern(filter.q)), ilike(units.name, likePattern(filter.q))) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select(userColumns).from(users).innerJoin(units, eq(units.id, users.unitId)).leftJoin(staff, eq(staff.id, users.staffId)).where(where).orderBy(users.username).limit(filter.limit).offset(offsetOf(filter)),
    db.select({ n: count() }).from(users).innerJoin(units, eq(units.id, users.unitId)).where(where),
  ]);
  return { rows, total: Number(total!.n) };
}

/** A user the caller manages, or 404 (a user outside the scope is not revealed). */
async function managedUser(db: Db, scope: Scope, userId: string) {
  requireOffice(scope);
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await unitIdsInScope(db, scope)).includes(user.unitId)) throw new NotFoundError('user');
  return user;
}

export async function updateUser(db: Db, scope: Scope, actor: Actor, userId: string, raw: UpdateUserInput) {
  const patch = parseInput(updateUserInput, raw);
  const user = await managedUser(db, scope, userId);
  if (user.id === scope.userId && (patch.role !== undefined || patch.unit !== undefined || patch.disabled === true)) {
    throw new ForbiddenError('self_change');
  }
  let unit: Unit | undefined;
  if (patch.unit !== undefined) {
    unit = await findUnit(db, patch.unit);
    await assertUnitInScope(db, scope, unit.id);
  }
  // linking to a 工号 (or keeping the link) makes a staff login follow its staff record's unit
  const linked = patch.staffNo ? await staffForLogin(db, patch.staffNo, scope) : undefined;
  if (linked) await assertNoAccount(db, linked.id, user.id);
  const keptLink = patch.staffNo === undefined && user.staffId ? (await db.select().from(staff).where(eq(staff.id, user.staffId)))[0] : undefined;
  const role = patch.role ?? user.role;
  const link = linked ?? keptLink;
  let unitId = unit?.id;
  if (link && (unit || patch.role !== undefined || linked)) unitId = unitForLogin(role, unit, link);
  if (unitId === user.unitId) unitId = undefined;
  const changes = {
    ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
    ...(patch.role !== undefined ? { role: patch.role } : {}),
    ...(unitId !== undefined ? { unitId } : {}),
    ...(patch.staffNo !== undefined ? { staffId: linked?.id ?? null } : {}),
    ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
  };
  return db.transaction(async (tx) => {
    const [after] = await tx.update(users).set(changes).where(eq(users.id, userId)).returning();
    // a disabled account, or one whose role, unit or staff record changed, must log in again
    if (patch.disabled || patch.role !== undefined || unitId !== undefined || patch.staffNo !== undefined) await tx.delete(sessions).where(eq(sessions.userId, userId));
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, user[k as keyof typeof user]]));
    await recordAudit(tx, actor, { action: 'user.update', entityType: 'user', entityId: userId, unitId: after!.unitId, summary: { before, after: changes } });
    return after!;
  });
}

/**
 * A new random password (must be changed at the next login), audited. The office resets any login
 * of its units; a school admin the staff logins of their school (no e-mail or SMS channel here, so
 * a forgotten password goes to the school or the office).
 */
export async function resetUserPassword(db: Db, scope: Scope, actor: Actor, userId: string) {
  if (scope.role === 'school_admin') {
    const [user] = await db.select().from(users).where(eq(users.id, userId));
    if (!user || user.role !== 'staff' || !(await unitIdsInScope(db, scope)).includes(user.unitId)) throw new NotFoundError('user');
    return resetPassword(db, actor, user.username);
  }
  const user = await managedUser(db, scope, userId);
  return resetPassword(db, actor, user.username);
}

export async function listApiKeys(db: Db, scope: Scope) {
  requireOffice(scope);
  const ids = await unitIdsInScope(db, scope);
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      role: apiKeys.role,
      unitId: apiKeys.unitId,
      unitName: units.name,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .innerJoin(units, eq(units.id, apiKeys.unitId))
    .where(inArray(apiKeys.unitId, ids))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, scope: Scope, actor: Actor, keyId: string): Promise<void> {
  requireOffice(scope);
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
  if (!key || !(await unitIdsInScope(db, scope)).includes(key.unitId)) throw new NotFoundError('api_key');
  if (key.revokedAt) return;
  await db.transaction(async (tx) => {
    await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, keyId));
    await recordAudit(tx, actor, { action: 'api_key.revoke', entityType: 'api_key', entityId: keyId, unitId: key.unitId, summary: { name: key.name } });
  });
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: Date;
  to?: Date;
  /** searches the action, the entity type and the actor (username, key name or label) */
  q?: string;
  page?: number;
  limit?: number;
}

/** One page of the audit log, newest first, and how many entries match in all. */
export async function listAudit(db: Db, scope: Scope, filter: AuditFilter = {}) {
  requireOffice(scope);
  const ids = await unitIdsInScope(db, scope);
  const like = filter.q ? likePattern(filter.q) : null;
  const conditions: (SQL | undefined)[] = [
    inArray(auditLog.unitId, ids),
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.entityType ? eq(auditLog.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.from ? gte(auditLog.at, filter.from) : undefined,
    filter.to ? lte(auditLog.at, filter.to) : undefined,
    like ? or(ilike(auditLog.action, like), ilike(auditLog.entityType, like), ilike(users.username, like), ilike(apiKeys.name, like), ilike(auditLog.actorLabel, like)) : undefined,
  ];
  const paging = { page: filter.page ?? 1, limit: filter.limit ?? 100 };
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        action: auditLog.action,
        entityType: auditLog.entityType,
        entityId: auditLog.entityId,
        actorUser: users.username,
        actorApiKey: apiKeys.name,
        actorLabel: auditLog.actorLabel,
        summary: auditLog.summary,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .leftJoin(apiKeys, eq(apiKeys.id, auditLog.actorApiKeyId))
      .where(and(...conditions))
      .orderBy(desc(auditLog.id))
      .limit(paging.limit)
      .offset(offsetOf(paging)),
    db
      .select({ n: count() })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .leftJoin(apiKeys, eq(apiKeys.id, auditLog.actorApiKeyId))
      .where(and(...conditions)),
  ]);
  return Object.assign(rows, { total: Number(total!.n) });
}
