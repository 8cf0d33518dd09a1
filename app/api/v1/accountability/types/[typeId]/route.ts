import { updateTypeEndpoint } from '@/lib/api/endpoints-accountability';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { updateType } from '@/lib/accountability/types';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateTypeEndpoint, async ({ db, caller, params, body }) => updateType(db, caller, actorOf(caller), params.typeId, body));
