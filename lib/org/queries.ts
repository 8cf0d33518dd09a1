import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, staff, units, type Unit } from '@/lib/db/schema';

export async function listUnits(db: Db, scope: Scope, filter: { kind?: Unit['kind'] } = {}): Promise<Unit[]> {
  const ids = await unitIdsInScope(db, scope);
  if (!ids.length) return [];
  return db
    .select()
    .from(units)
    .where(and(inArray(units.id, ids), filter.kind ? eq(units.kind, filter.kind) : undefined))
    .orderBy(asc(units.kind), asc(units.sortOrder), asc(units.name));
}

export async function getUnit(db: Db, id: string): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.id, id));
  return row;
}

/** The district shown on the home page: the first district by name (a deployment usually has one per office). */
export async function primaryDistrict(db: Db): Promise<Unit | undefined> {
  const [row] = await db.select().from(units).where(eq(units.kind, 'district')).orderBy(asc(units.name)).limit(1);
  return row;
}

export async function districtCounts(db: Db, districtId: string) {
  const schools = await db.select({ id: units.id }).from(units).where(and(eq(units.parentId, districtId), eq(units.kind, 'school')));
  const ids = schools.map((s) => s.id);
  if (!ids.length) return { schools: 0, classes: 0, staff: 0 };
  const [c] = await db.select({ n: count() }).from(classes).where(and(inArray(classes.schoolId, ids), eq(classes.active, true)));
  const [s] = await db.select({ n: count() }).from(staff).where(and(inArray(staff.unitId, ids), eq(staff.active, true)));
  return { schools: ids.length, classes: c?.n ?? 0, staff: s?.n ?? 0 };
}
