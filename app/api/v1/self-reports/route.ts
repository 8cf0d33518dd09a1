import { listReportsEndpoint } from '@/lib/api/endpoints-workspace';
import { handle } from '@/lib/api/handler';
import { listReports } from '@/lib/workspace/reports';

export const dynamic = 'force-dynamic';

export const GET = handle(listReportsEndpoint, async ({ db, caller, query }) => ({ reports: await listReports(db, caller, query) }));
