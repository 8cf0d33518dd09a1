import { yearActionEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { yearAction } from '@/lib/assessment/mutations';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(yearActionEndpoint, async ({ db, caller, params, body }) => yearAction(db, caller, actorOf(caller), params.yearId, body));
