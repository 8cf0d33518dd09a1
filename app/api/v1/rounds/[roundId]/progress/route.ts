import { progressEndpoint } from '@/lib/api/endpoints-rounds';
import { handle } from '@/lib/api/handler';
import { roundProgress } from '@/lib/rounds/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(progressEndpoint, async ({ db, caller, params }) => roundProgress(db, caller, params.roundId));
