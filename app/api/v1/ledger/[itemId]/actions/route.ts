import { ledgerActionEndpoint } from '@/lib/api/endpoints-ledger';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { ledgerAction } from '@/lib/ledger/ledger';

export const dynamic = 'force-dynamic';

export const POST = handle(ledgerActionEndpoint, async ({ db, caller, params, body }) => ledgerAction(db, caller, actorOf(caller), params.itemId, body));
