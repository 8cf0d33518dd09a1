import { editCommitmentEndpoint, getCommitmentEndpoint } from '@/lib/api/endpoints-commitments';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { editCommitment, getCommitment } from '@/lib/commitments/commitments';

export const dynamic = 'force-dynamic';

export const GET = handle(getCommitmentEndpoint, async ({ db, caller, params }) => getCommitment(db, caller, params.commitmentId));
export const PATCH = handle(editCommitmentEndpoint, async ({ db, caller, params, body }) => editCommitment(db, caller, actorOf(caller), params.commitmentId, body));
