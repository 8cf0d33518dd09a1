import { createRecordEndpoint, listRecordsEndpoint } from '@/lib/api/endpoints-accountability';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createRecord, listRecords } from '@/lib/accountability/records';

export const dynamic = 'force-dynamic';

export const GET = handle(listRecordsEndpoint, async ({ db, caller, query }) => listRecords(db, caller, query));
export const POST = handle(createRecordEndpoint, async ({ db, caller, body }) => createRecord(db, caller, actorOf(caller), body));
