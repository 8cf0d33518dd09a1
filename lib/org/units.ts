import { and, count, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { createUser, findUnit } from '@/lib/auth/users';
import type { Db } from '@/lib/db/client';
import { units, type Unit } from '@/lib/db/schema';
import { ConflictError, ForbiddenError, ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { createSchool } from './mutations';
import * as s from './schemas';

type Kind = Unit['kind'];

/** Where each kind of unit may hang: county bureau → district (学区) → schools and offices; a 领导班子 under its school. */
const PARENT_KINDS: Record<Kind, Kind[]> = {
  county: [],
  district: ['county'],
  school: ['district', 'county'],
  office: ['district', 'county'],
  team: ['school'],
};

/** The parent named by the caller: looked up in the caller's units only (others are simply unknown). */
async function resolveParent(db: Db, kind: Kind, name: string | undefined, scope?: Scope): Promise<Unit | null> {
  if (kind === 'county') {
    if (name) throw new ValidationError({ parent: [{ key: 'parent_kind', params: { kind } }] });
    return null;
  }
  let parent: Unit | undefined;
  if (!scope) {
    if (!name) throw new ValidationError({ parent: [{ key: 'required' }] });
    parent = await findUnit(db, name);
  } else if (!name) {
    [parent] = await db.select().from(units).where(eq(units.id, scope.unitId));
  } else {
    const found = await db
      .select()
      .from(units)
      .where(and(eq(units.name, name), inArray(units.id, await unitIdsInScope(db, scope))));
    if (found.length !== 1) throw new ValidationError({ parent: [{ key: found.length ? 'import_ambiguous_unit' : 'import_unknown_unit', params: { value: name } }] });
    parent = found[0];
  }
  if (!PARENT_KINDS[kind].includes(parent!.kind)) throw new ValidationError({ parent: [{ key: 'parent_kind', params: { kind } }] });
  return parent!;
}

/**
 * Creates a unit. With a scope (API and org page) only an office may, and only beneath its own
 * unit: a county office creates districts, a district office schools and offices. Without a scope
 * it is the operator's CLI, which may also create a county. Schools go through the roster checks
 * so a school made here obeys exactly the rules of an imported one.
 */
export async function createUnit(db: Db, actor: Actor, raw: z.input<typeof s.createUnitInput>, scope?: Scope): Promise<Unit> {
  if (scope) requireRole(scope, ['office']);
  const input = parseInput(s.createUnitInput, raw);
  if (input.kind === 'county' && scope) throw new ForbiddenError('outside_scope');
  const parent = await resolveParent(db, input.kind, input.parent, scope);
  if (input.kind === 'school') {
    // the roster path checks names and parents within a scope: the CLI acts as the parent's office
    const schoolScope = scope ?? { role: 'office' as const, unitId: parent!.id };
    return createSchool(db, schoolScope, actor, { name: input.name, code: input.code, parent: parent!.name });
  }
  return db.transaction(async (tx) => {
    const [dup] = await tx
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.name, input.name), parent ? eq(units.parentId, parent.id) : isNull(units.parentId)));
    if (dup) throw new ConflictError('already_exists');
    const [row] = await tx
      .insert(units)
      .values({ kind: input.kind, name: input.name, code: input.code || null, parentId: parent?.id ?? null })
      .returning();
    await recordAudit(tx, actor, {
      action: 'unit.create',
      entityType: 'unit',
      entityId: row!.id,
      unitId: row!.id,
      summary: { after: { kind: input.kind, name: input.name, parent: parent?.name ?? null } },
    });
    return row!;
  });
}

/**
 * `pingyi init`: on a database without units, the county, the district beneath it and the
 * district's first office login (with a random password that must be changed at first login),
 * all in one transaction. A database that has units is refused and left as it was.
 */
export async function initDistrict(
  db: Db,
  actor: Actor,
  input: { county: string; district: string; username: string; displayName?: string },
): Promise<{ countyId: string; districtId: string; userId: string; password: string }> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(units);
    if (existing!.n > 0) throw new ConflictError('init_not_empty');
    const county = await createUnit(tx, actor, { kind: 'county', name: input.county });
    const district = await createUnit(tx, actor, { kind: 'district', name: input.district, parent: county.id });
    const user = await createUser(tx, actor, { username: input.username, role: 'office', unit: district.id, displayName: input.displayName });
    return { countyId: county.id, districtId: district.id, userId: user.id, password: user.password };
  });
}
