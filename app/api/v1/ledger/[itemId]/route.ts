import { getLedgerEndpoint } from '@/lib/api/endpoints-ledger';
import { handle } from '@/lib/api/handler';
import { getLedgerItem } from '@/lib/ledger/ledger';

export const dynamic = 'force-dynamic';

export const GET = handle(getLedgerEndpoint, async ({ db, caller, params }) => getLedgerItem(db, caller, params.itemId));
