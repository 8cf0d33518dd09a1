import { revokeApiKeyEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { revokeApiKey } from '@/lib/auth/admin';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const DELETE = handle(revokeApiKeyEndpoint, async ({ db, caller, params }) => {
  await revokeApiKey(db, caller, actorOf(caller), params.keyId);
});
