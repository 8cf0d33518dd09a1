import { updateStaffEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { updateStaff } from '@/lib/org/mutations';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateStaffEndpoint, async ({ db, caller, params, body }) => ({
  id: (await updateStaff(db, caller, actorOf(caller), params.staffId, body)).id,
}));
