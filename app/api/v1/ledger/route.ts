import { createLedgerEndpoint, listLedgerEndpoint } from '@/lib/api/endpoints-ledger';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createLedgerItem, listLedgerItems } from '@/lib/ledger/ledger';

export const dynamic = 'force-dynamic';

export const GET = handle(listLedgerEndpoint, async ({ db, caller, query }) => listLedgerItems(db, caller, query));
export const POST = handle(createLedgerEndpoint, async ({ db, caller, body }) => createLedgerItem(db, caller, actorOf(caller), body));
