import { createYearEndpoint, listYearsEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { createYear } from '@/lib/assessment/mutations';
import { presentYear } from '@/lib/assessment/present';
import { listYears } from '@/lib/assessment/queries';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const GET = handle(listYearsEndpoint, async ({ db, caller }) => ({
  years: (await listYears(db, caller)).map((r) => presentYear(r.year, r.unitName, r.status)),
}));

export const POST = handle(createYearEndpoint, async ({ db, caller, body }) => ({ id: (await createYear(db, caller, actorOf(caller), body)).id }));
