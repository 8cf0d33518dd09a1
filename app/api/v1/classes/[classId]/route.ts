import { updateClassEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { updateClass } from '@/lib/org/mutations';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateClassEndpoint, async ({ db, caller, params, body }) => ({
  id: (await updateClass(db, caller, actorOf(caller), params.classId, body)).id,
}));
