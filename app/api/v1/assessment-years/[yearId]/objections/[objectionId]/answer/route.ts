import { answerObjectionEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { answerObjection } from '@/lib/assessment/mutations';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(answerObjectionEndpoint, async ({ db, caller, params, body }) => answerObjection(db, caller, actorOf(caller), params.yearId, params.objectionId, body));
