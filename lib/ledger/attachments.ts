/**
 * Evidence attachments of a ledger item (整改佐证材料), kept in the database (ledger_attachments)
 * so that a backup covers them. Whoever reads the item reads its files; the office and the
 * item's school admin add them; the uploader or the office removes one. A verified (销号) item's
 * evidence is frozen: nothing is added or removed until it is reopened. Every change is audited.
 */
import { createHash } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { ledgerAttachments, ledgerItems, users } from '@/lib/db/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@/lib/errors';
import { cleanAttachment, MAX_ATTACHMENTS_PER_ITEM } from './files';
import { loadVisible } from './ledger';

const userOf = (actor: Actor) => (actor.type === 'user' ? actor.userId : null);

const meta = {
  id: ledgerAttachments.id,
  filename: ledgerAttachments.filename,
  contentType: ledgerAttachments.contentType,
  size: ledgerAttachments.size,
  sha256: ledgerAttachments.sha256,
  uploadedByUserId: ledgerAttachments.uploadedByUserId,
  uploadedBy: users.displayName,
  createdAt: ledgerAttachments.createdAt,
};

function mayRemove(scope: Scope, uploadedByUserId: string | null) {
  return scope.role === 'office' || (scope.role === 'school_admin' && Boolean(scope.userId) && uploadedByUserId === scope.userId);
}

export async function listLedgerAttachments(db: Db, scope: Scope, itemId: string) {
  const { item } = await loadVisible(db, scope, itemId);
  const rows = await db.select(meta).from(ledgerAttachments).leftJoin(users, eq(users.id, ledgerAttachments.uploadedByUserId)).where(eq(ledgerAttachments.itemId, itemId)).orderBy(asc(ledgerAttachments.createdAt), asc(ledgerAttachments.id));
  const open = item.status !== 'verified';
  return {
    attachments: rows.map((r) => ({
      id: r.id,
      filename: r.filename,
      contentType: r.contentType,
      size: r.size,
      sha256: r.sha256,
      uploadedBy: r.uploadedBy,
      createdAt: r.createdAt.toISOString(),
      /** the caller may remove it */
      removable: open && mayRemove(scope, r.uploadedByUserId),
    })),
    /** the caller may add files (the office or the item's school, up to the limit, while not verified) */
    canUpload: open && (scope.role === 'office' || scope.role === 'school_admin') && rows.length < MAX_ATTACHMENTS_PER_ITEM,
    max: MAX_ATTACHMENTS_PER_ITEM,
  };
}

export async function addLedgerAttachment(db: Db, scope: Scope, actor: Actor, itemId: string, file: { name: string; bytes: Uint8Array }, now = new Date()) {
  const { item } = await loadVisible(db, scope, itemId);
  if (scope.role !== 'office' && scope.role !== 'school_admin') throw new ForbiddenError('role_not_allowed');
  if (item.status === 'verified') throw new ConflictError('ledger_attachment_verified');
  // the file is checked and re-encoded before any write: a refused file leaves nothing behind
  const clean = await cleanAttachment(file.name, file.bytes);
  const sha256 = createHash('sha256').update(clean.bytes).digest('hex');
  return db.transaction(async (tx) => {
    // the item's row lock keeps two concurrent uploads from both taking the tenth place
    const [locked] = await tx.select({ status: ledgerItems.status }).from(ledgerItems).where(eq(ledgerItems.id, itemId)).for('update');
    if (!locked) throw new NotFoundError('ledger_item');
    if (locked.status === 'verified') throw new ConflictError('ledger_attachment_verified');
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(ledgerAttachments).where(eq(ledgerAttachments.itemId, itemId));
    if (n >= MAX_ATTACHMENTS_PER_ITEM) throw new ValidationError({ file: [{ key: 'ledger_attachment_count', params: { max: MAX_ATTACHMENTS_PER_ITEM } }] });
    const [row] = await tx
      .insert(ledgerAttachments)
      .values({ itemId, filename: clean.filename, contentType: clean.contentType, size: clean.bytes.byteLength, sha256, bytes: clean.bytes, uploadedByUserId: userOf(actor), createdAt: now })
      .returning({ id: ledgerAttachments.id });
    await recordAudit(tx, actor, {
      action: 'ledger.attachment.add',
      entityType: 'ledger_item',
      entityId: itemId,
      unitId: item.unitId,
      summary: { attachmentId: row!.id, filename: clean.filename, contentType: clean.contentType, size: clean.bytes.byteLength, sha256, receivedBytes: file.bytes.byteLength },
    });
    return { id: row!.id, filename: clean.filename, contentType: clean.contentType, size: clean.bytes.byteLength, sha256 };
  });
}

/** The stored bytes of one attachment of an item the caller reads. */
export async function getLedgerAttachment(db: Db, scope: Scope, itemId: string, attachmentId: string) {
  await loadVisible(db, scope, itemId);
  const [row] = await db
    .select({ filename: ledgerAttachments.filename, contentType: ledgerAttachments.contentType, bytes: ledgerAttachments.bytes, sha256: ledgerAttachments.sha256 })
    .from(ledgerAttachments)
    .where(and(eq(ledgerAttachments.id, attachmentId), eq(ledgerAttachments.itemId, itemId)));
  if (!row) throw new NotFoundError('ledger_attachment');
  // PGlite gives bytea as a Uint8Array, postgres.js as a Buffer
  return { ...row, bytes: Buffer.from(row.bytes) };
}

export async function removeLedgerAttachment(db: Db, scope: Scope, actor: Actor, itemId: string, attachmentId: string) {
  const { item } = await loadVisible(db, scope, itemId);
  const [row] = await db
    .select({ filename: ledgerAttachments.filename, uploadedByUserId: ledgerAttachments.uploadedByUserId, sha256: ledgerAttachments.sha256 })
    .from(ledgerAttachments)
    .where(and(eq(ledgerAttachments.id, attachmentId), eq(ledgerAttachments.itemId, itemId)));
  if (!row) throw new NotFoundError('ledger_attachment');
  if (!mayRemove(scope, row.uploadedByUserId)) throw new ForbiddenError('ledger_attachment_owner');
  if (item.status === 'verified') throw new ConflictError('ledger_attachment_verified');
  await db.transaction(async (tx) => {
    const [locked] = await tx.select({ status: ledgerItems.status }).from(ledgerItems).where(eq(ledgerItems.id, itemId)).for('update');
    if (locked?.status === 'verified') throw new ConflictError('ledger_attachment_verified');
    const gone = await tx.delete(ledgerAttachments).where(and(eq(ledgerAttachments.id, attachmentId), eq(ledgerAttachments.itemId, itemId))).returning({ id: ledgerAttachments.id });
    if (!gone.length) throw new NotFoundError('ledger_attachment');
    await recordAudit(tx, actor, {
      action: 'ledger.attachment.remove',
      entityType: 'ledger_item',
      entityId: itemId,
      unitId: item.unitId,
      summary: { attachmentId, filename: row.filename, sha256: row.sha256 },
    });
  });
}
