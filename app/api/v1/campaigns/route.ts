import { createCampaignEndpoint, listCampaignsEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createCampaign, listCampaigns } from '@/lib/campaigns/campaigns';

export const dynamic = 'force-dynamic';

export const GET = handle(listCampaignsEndpoint, async ({ db, caller }) => ({ campaigns: await listCampaigns(db, caller) }));
export const POST = handle(createCampaignEndpoint, async ({ db, caller, body }) => createCampaign(db, caller, actorOf(caller), body));
