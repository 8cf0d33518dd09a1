import { createSchoolEndpoint } from '@/lib/api/endpoints-org';
import { actorOf } from '@/lib/auth/caller';
import { createSchool } from '@/lib/org/mutations';
import { listUnits } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { listUnits as queryUnits } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listUnits, async ({ db, caller, query }) => {
  const units = await queryUnits(db, caller, { kind: query.kind });
  return { units: units.map(({ id, parentId, kind, name, code, active }) => ({ id, parentId, kind, name, code, active })) };
});

export const POST = handle(createSchoolEndpoint, async ({ db, caller, body }) => {
  const school = await createSchool(db, caller, actorOf(caller), body);
  return { id: school.id };
});
