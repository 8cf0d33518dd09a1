import { deleteBallotListEndpoint, updateBallotListEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { deleteBallotList, updateBallotList } from '@/lib/rounds/ballot-lists';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateBallotListEndpoint, async ({ db, caller, params, body }) => updateBallotList(db, caller, actorOf(caller), params.listId, body));

export const DELETE = handle(deleteBallotListEndpoint, async ({ db, caller, params }) => {
  await deleteBallotList(db, caller, actorOf(caller), params.listId);
});
