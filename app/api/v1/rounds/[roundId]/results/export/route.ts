import { exportResultsEndpoint } from '@/lib/api/endpoints-results';
import { handle } from '@/lib/api/handler';
import { exportResults } from '@/lib/results/export';

export const dynamic = 'force-dynamic';

export const GET = handle(exportResultsEndpoint, async ({ db, replica, caller, params, query }) => exportResults(db, caller, params.roundId, query, replica));
