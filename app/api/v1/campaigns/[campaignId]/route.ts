import { getCampaignEndpoint, updateCampaignEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { getCampaign } from '@/lib/campaigns/campaigns';
import { myDeliverables } from '@/lib/campaigns/deliverables';
import { updateCampaign } from '@/lib/campaigns/edit';

export const dynamic = 'force-dynamic';

export const GET = handle(getCampaignEndpoint, async ({ db, caller, params }) => ({
  ...(await getCampaign(db, caller, params.campaignId)),
  mine: await myDeliverables(db, caller, params.campaignId),
}));
export const PATCH = handle(updateCampaignEndpoint, async ({ db, caller, params, body }) => updateCampaign(db, caller, actorOf(caller), params.campaignId, body));
