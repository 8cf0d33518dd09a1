import { createUnitEndpoint } from '@/lib/api/endpoints-org';
import { actorOf } from '@/lib/auth/caller';
import { listUnits } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { listUnits as queryUnits } from '@/lib/org/queries';
import { createUnit } from '@/lib/org/units';

export const dynamic = 'force-dynamic';

export const GET = handle(listUnits, async ({ db, caller, query }) => {
  const units = await queryUnits(db, caller, { kind: query.kind });
  return { units: units.map(({ id, parentId, kind, name, code, active }) => ({ id, parentId, kind, name, code, active })) };
});

export const POST = handle(createUnitEndpoint, async ({ db, caller, body }) => ({ id: (await createUnit(db, actorOf(caller), body, caller)).id }));
