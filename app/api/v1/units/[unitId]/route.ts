import { updateSchoolEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { updateSchool } from '@/lib/org/mutations';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateSchoolEndpoint, async ({ db, caller, params, body }) => ({
  id: (await updateSchool(db, caller, actorOf(caller), params.unitId, body)).id,
}));
