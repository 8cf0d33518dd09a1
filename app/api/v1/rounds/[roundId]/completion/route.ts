import { completionEndpoint } from '@/lib/api/endpoints-workspace';
import { handle } from '@/lib/api/handler';
import { roundCompletion } from '@/lib/workspace/reports';

export const dynamic = 'force-dynamic';

export const GET = handle(completionEndpoint, async ({ db, caller, params }) => roundCompletion(db, caller, params.roundId));
