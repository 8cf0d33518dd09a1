import { submitDeliverableEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { submitDeliverable } from '@/lib/campaigns/deliverables';

export const dynamic = 'force-dynamic';

export const PUT = handle(submitDeliverableEndpoint, async ({ db, caller, params, body }) => submitDeliverable(db, caller, actorOf(caller), params.campaignId, params.deliverableId, body));
