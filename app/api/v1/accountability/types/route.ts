import { createTypeEndpoint, listTypesEndpoint } from '@/lib/api/endpoints-accountability';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createType, listTypes } from '@/lib/accountability/types';

export const dynamic = 'force-dynamic';

export const GET = handle(listTypesEndpoint, async ({ db, caller }) => listTypes(db, caller));
export const POST = handle(createTypeEndpoint, async ({ db, caller, body }) => createType(db, caller, actorOf(caller), body));
