import { roundActionEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { roundAction } from '@/lib/rounds/mutations';

export const dynamic = 'force-dynamic';

export const POST = handle(roundActionEndpoint, async ({ db, caller, params, body }) => {
  const round = await roundAction(db, caller, actorOf(caller), params.roundId, body);
  return { id: round.id, status: round.status };
});
