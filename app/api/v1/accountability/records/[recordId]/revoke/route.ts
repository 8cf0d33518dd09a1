import { revokeRecordEndpoint } from '@/lib/api/endpoints-accountability';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { revokeRecord } from '@/lib/accountability/records';

export const dynamic = 'force-dynamic';

export const POST = handle(revokeRecordEndpoint, async ({ db, caller, params, body }) => revokeRecord(db, caller, actorOf(caller), params.recordId, body));
