import { createCommitmentEndpoint, listCommitmentsEndpoint } from '@/lib/api/endpoints-commitments';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createCommitment, listCommitments } from '@/lib/commitments/commitments';

export const dynamic = 'force-dynamic';

export const GET = handle(listCommitmentsEndpoint, async ({ db, caller, query }) => listCommitments(db, caller, query));
export const POST = handle(createCommitmentEndpoint, async ({ db, caller, body }) => createCommitment(db, caller, actorOf(caller), body));
