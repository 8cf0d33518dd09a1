import { getReportEndpoint, saveReportEndpoint } from '@/lib/api/endpoints-workspace';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { getMyReport, saveMyReport } from '@/lib/workspace/reports';

export const dynamic = 'force-dynamic';

export const GET = handle(getReportEndpoint, async ({ db, caller, params }) => getMyReport(db, caller, params.formId));
export const PUT = handle(saveReportEndpoint, async ({ db, caller, params, body }) => saveMyReport(db, caller, actorOf(caller), params.formId, body));
