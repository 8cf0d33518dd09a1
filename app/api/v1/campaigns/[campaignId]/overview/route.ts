import { campaignOverviewEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { campaignOverview } from '@/lib/campaigns/deliverables';

export const dynamic = 'force-dynamic';

export const GET = handle(campaignOverviewEndpoint, async ({ db, caller, params }) => campaignOverview(db, caller, params.campaignId));
