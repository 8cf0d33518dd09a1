import { createBallotListEndpoint, listBallotListsEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createBallotList, listBallotLists } from '@/lib/rounds/ballot-lists';

export const dynamic = 'force-dynamic';

export const GET = handle(listBallotListsEndpoint, async ({ db, caller }) => ({ lists: await listBallotLists(db, caller) }));

export const POST = handle(createBallotListEndpoint, async ({ db, caller, body }) => createBallotList(db, caller, actorOf(caller), body));
