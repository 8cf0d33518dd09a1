import { resultsEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { getRoundResults } from '@/lib/scoring/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(resultsEndpoint, async ({ db, replica, caller, params, query }) => getRoundResults(db, caller, params.roundId, query, { replica }));
