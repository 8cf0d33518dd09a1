import { updateUserEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { updateUser } from '@/lib/auth/admin';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateUserEndpoint, async ({ db, caller, params, body }) => {
  const user = await updateUser(db, caller, actorOf(caller), params.userId, body);
  return { id: user.id };
});
