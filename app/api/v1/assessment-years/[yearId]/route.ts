import { eq } from 'drizzle-orm';
import { getYearEndpoint, updateYearEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { updateYear } from '@/lib/assessment/mutations';
import { presentYear } from '@/lib/assessment/present';
import { visibleYear, yearComponents } from '@/lib/assessment/queries';
import { readRules } from '@/lib/assessment/rules';
import { actorOf } from '@/lib/auth/caller';
import { units } from '@/lib/db/schema';

export const dynamic = 'force-dynamic';

export const GET = handle(getYearEndpoint, async ({ db, caller, params }) => {
  const { year, status, openObjections } = await visibleYear(db, caller, params.yearId);
  const [unit] = await db.select({ name: units.name }).from(units).where(eq(units.id, year.unitId));
  const components = (await yearComponents(db, year.id)).map((c) => ({ id: c.id, key: c.key, kind: c.kind, name: c.name, weight: c.weight, source: c.source, roundIds: c.roundIds, appliesTo: c.appliesTo }));
  return { ...presentYear(year, unit?.name ?? '', status), components, rules: { ...readRules(year.rules) }, openObjections };
});

export const PATCH = handle(updateYearEndpoint, async ({ db, caller, params, body }) => updateYear(db, caller, actorOf(caller), params.yearId, body));
