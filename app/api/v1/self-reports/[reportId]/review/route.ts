import { reviewReportEndpoint } from '@/lib/api/endpoints-workspace';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { reviewReport } from '@/lib/workspace/reports';

export const dynamic = 'force-dynamic';

export const POST = handle(reviewReportEndpoint, async ({ db, caller, params, body }) => reviewReport(db, caller, actorOf(caller), params.reportId, body));
