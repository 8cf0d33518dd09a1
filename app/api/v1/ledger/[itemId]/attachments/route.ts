import { addLedgerAttachmentEndpoint, listLedgerAttachmentsEndpoint } from '@/lib/api/endpoints-ledger';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { addLedgerAttachment, listLedgerAttachments } from '@/lib/ledger/attachments';

export const dynamic = 'force-dynamic';

export const GET = handle(listLedgerAttachmentsEndpoint, async ({ db, caller, params }) => listLedgerAttachments(db, caller, params.itemId));
export const POST = handle(addLedgerAttachmentEndpoint, async ({ db, caller, params, file }) => addLedgerAttachment(db, caller, actorOf(caller), params.itemId, file!));
