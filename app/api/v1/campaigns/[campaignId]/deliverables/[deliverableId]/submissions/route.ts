import { listSubmissionsEndpoint } from '@/lib/api/endpoints-campaigns';
import { handle } from '@/lib/api/handler';
import { listSubmissions } from '@/lib/campaigns/deliverables';

export const dynamic = 'force-dynamic';

export const GET = handle(listSubmissionsEndpoint, async ({ db, caller, params }) => listSubmissions(db, caller, params.campaignId, params.deliverableId));
