import { sql } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import type { Role } from '@/lib/db/schema';
import { ForbiddenError } from '@/lib/errors';

/** What a caller may see and do: a role bound to a unit (and, for staff, their own staff record). */
export interface Scope {
  role: Role;
  unitId: string;
  staffId?: string | null;
  userId?: string | null;
  apiKeyId?: string | null;
}

/** The caller's unit and every unit beneath it. */
export async function unitIdsInScope(db: Db, scope: Scope): Promise<string[]> {
  const rows = await db.execute<{ id: string }>(sql`
    with recursive tree as (
      select id from units where id = ${scope.unitId}
      union all
      select u.id from units u join tree t on u.parent_id = t.id
    )
    select id from tree`);
  return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

/** The unit and every unit above it (a campaign, an assessment year of any of them reaches the unit). */
export async function ancestorIds(db: Db, unitId: string): Promise<string[]> {
  const rows = await db.execute(sql`
    with recursive up as (
      select id, parent_id from units where id = ${unitId}
      union all
      select u.id, u.parent_id from units u join up on u.id = up.parent_id
    )
    select id from up`);
  return rowsOf<{ id: string }>(rows).map((r) => r.id);
}

/** postgres.js returns an array, PGlite an object with `rows`: read either. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Those who manage rosters and read templates: the district office and school admins. */
export const MANAGERS = ['office', 'school_admin'] as const;

/** Throws 403 unless the caller's role is one of these. */
export function requireRole(scope: Scope, roles: readonly Role[]): void {
  if (!roles.includes(scope.role)) throw new ForbiddenError('role_not_allowed');
}

/** Throws 403 unless the unit is the caller's unit or beneath it. */
export async function assertUnitInScope(db: Db, scope: Scope, unitId: string): Promise<void> {
  const ids = await unitIdsInScope(db, scope);
  if (!ids.includes(unitId)) throw new ForbiddenError('outside_scope');
}
