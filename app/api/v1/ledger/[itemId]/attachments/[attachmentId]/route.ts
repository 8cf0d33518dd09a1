import { downloadLedgerAttachmentEndpoint, removeLedgerAttachmentEndpoint } from '@/lib/api/endpoints-ledger';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { getLedgerAttachment, removeLedgerAttachment } from '@/lib/ledger/attachments';

export const dynamic = 'force-dynamic';

export const GET = handle(downloadLedgerAttachmentEndpoint, async ({ db, caller, params, query }) => {
  const file = await getLedgerAttachment(db, caller, params.itemId, params.attachmentId);
  // a stored file is never run as a page: its type is fixed, sniffing is off, and the sandbox
  // CSP gives it no script, no plugin and no origin even when opened directly
  const inline = query.inline === '1' && file.contentType.startsWith('image/');
  return new Response(new Uint8Array(file.bytes), {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.bytes.byteLength),
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="attachment.${file.filename.split('.').pop()}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; img-src 'self'; sandbox",
      'cache-control': 'private, no-store',
      etag: `"${file.sha256}"`,
    },
  });
});
export const DELETE = handle(removeLedgerAttachmentEndpoint, async ({ db, caller, params }) => removeLedgerAttachment(db, caller, actorOf(caller), params.itemId, params.attachmentId));
