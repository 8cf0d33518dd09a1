import { trendsEndpoint } from '@/lib/api/endpoints-results';
import { handle } from '@/lib/api/handler';
import { getTrends } from '@/lib/results/trends';

export const dynamic = 'force-dynamic';

export const GET = handle(trendsEndpoint, async ({ db, replica, caller, query }) => getTrends(db, caller, query, replica));
