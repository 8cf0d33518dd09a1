import { commitmentActionEndpoint } from '@/lib/api/endpoints-commitments';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { commitmentAction } from '@/lib/commitments/commitments';

export const dynamic = 'force-dynamic';

export const POST = handle(commitmentActionEndpoint, async ({ db, caller, params, body }) => commitmentAction(db, caller, actorOf(caller), params.commitmentId, body));
