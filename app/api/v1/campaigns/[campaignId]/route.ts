import { getCampaignEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { getCampaign } from '@/lib/campaigns/campaigns';
import { myDeliverables } from '@/lib/campaigns/deliverables';

export const dynamic = 'force-dynamic';

export const GET = handle(getCampaignEndpoint, async ({ db, caller, params }) => ({
  ...(await getCampaign(db, caller, params.campaignId)),
  mine: await myDeliverables(db, caller, params.campaignId),
}));
