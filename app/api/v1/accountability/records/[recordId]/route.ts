import { getRecordEndpoint } from '@/lib/api/endpoints-accountability';
import { handle } from '@/lib/api/handler';
import { getRecord } from '@/lib/accountability/records';

export const dynamic = 'force-dynamic';

export const GET = handle(getRecordEndpoint, async ({ db, caller, params }) => getRecord(db, caller, params.recordId));
