import { recordUnitEntriesEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { recordUnitEntries } from '@/lib/assessment/unit-entries';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(recordUnitEntriesEndpoint, async ({ db, caller, params, body }) => recordUnitEntries(db, caller, actorOf(caller), params.yearId, body));
