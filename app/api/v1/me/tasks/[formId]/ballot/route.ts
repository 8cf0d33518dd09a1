import { getBallotEndpoint, postBallotEndpoint } from '@/lib/api/endpoints-workspace';
import { handle } from '@/lib/api/handler';
import { getColleagueBallot, submitColleagueBallot } from '@/lib/workspace/tasks';

export const dynamic = 'force-dynamic';

export const GET = handle(getBallotEndpoint, async ({ db, caller, params }) => getColleagueBallot(db, caller, params.formId));
export const POST = handle(postBallotEndpoint, async ({ db, caller, params, body }) => submitColleagueBallot(db, caller, params.formId, body));
