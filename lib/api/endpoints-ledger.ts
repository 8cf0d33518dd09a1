import { z } from 'zod';
import { LEDGER_SOURCES, LEDGER_STATUSES } from '@/lib/db/schema';
import { createLedgerItemInput, ledgerActionInput, ledgerExportQuery, ledgerListQuery } from '@/lib/ledger/schemas';
import { MAX_ATTACHMENT_BYTES } from '@/lib/ledger/files';
import { pageInfo } from '@/lib/paging';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const TAG = 'ledger';
const READERS = ['office', 'school_admin', 'supervisor'] as const;
const status = z.enum(LEDGER_STATUSES);
const itemParams = z.object({ itemId: uuid });

const listItem = z.object({
  id: uuid,
  seq: z.number().int().describe('序号 within the school’s ledger'),
  unitId: uuid,
  unitName: z.string(),
  campaignId: uuid.nullable(),
  campaignTitle: z.string().nullable(),
  problem: z.string(),
  source: z.enum(LEDGER_SOURCES),
  sourceDetail: z.string().nullable(),
  complaintId: uuid.nullable(),
  sourceRoundId: uuid.nullable().describe('the round the problem was found in'),
  sourceQuestion: z.string().nullable().describe('the question (`question` or `question.row`) of that round, for 回头看'),
  measure: z.string(),
  target: z.string(),
  dueOn: z.iso.date(),
  responsibleStaffId: uuid.nullable(),
  responsibleName: z.string().nullable(),
  status,
  effect: z.string().nullable().describe('整改效果, written when verified'),
  overdue: z.boolean().describe('the deadline has passed and the item is neither done nor verified'),
  createdAt: iso,
  updatedAt: iso,
});

const followUpSchema = z
  .object({
    question: z.string(),
    subjectId: uuid.describe('the school, or the teacher whose results the item was raised from'),
    subjectType: z.enum(['unit', 'staff']),
    rounds: z.array(
      z.object({
        roundId: uuid,
        title: z.string(),
        schoolYear: z.string(),
        term: z.number().int(),
        opensAt: iso,
        source: z.boolean().describe('the round the problem was found in; the others are later rounds that asked the same question (回头看)'),
        suppressed: z.boolean().describe('the subject’s whole figure is below the round’s anonymity threshold for the caller'),
        figures: z.array(
          z.object({
            raterGroupId: uuid,
            raterGroup: z.string(),
            title: z.string(),
            suppressed: z.boolean().describe('below the round’s anonymity threshold (for anyone below the office): no numbers'),
            n: z.number().int().nullable().describe('valid answers (不了解 excluded)'),
            satisfaction: z.number().nullable().describe('满意率, 0–1'),
            mean: z.number().nullable(),
          }),
        ),
      }),
    ),
  })
  .nullable()
  .describe('回头看: the figures of the source question in the source round and later rounds, the results pages’ own (released rounds only, small cells suppressed)');

export const ledgerItemSchema = listItem
  .extend({
    followUp: followUpSchema,
    notes: z.array(z.object({ at: iso, status: status.nullable().describe('the status the change led to; null for a progress note'), body: z.string().nullable(), actor: z.string().nullable() })),
    actions: z.array(z.enum(['start', 'done', 'verify', 'reopen', 'note'])).describe('what the caller may do next'),
  })
  .meta({ id: 'LedgerItem' });

export const listLedgerEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/ledger', summary: '整改台帐 items of the caller’s schools, a page at a time, with overdue items flagged and counted', tag: TAG,
  auth: 'caller', roles: READERS, query: ledgerListQuery,
  response: z.object({ items: z.array(listItem), ...pageInfo, overdue: z.number().int() }),
});
export const createLedgerEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/ledger', summary: 'Add an item to a school’s ledger (the office, or a school admin for their school); with complaintId, from a complaint the caller may see', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin'], body: createLedgerItemInput, status: 201, maxBodyBytes: 32 * 1024,
  response: z.object({ id: uuid, seq: z.number().int() }),
});
export const getLedgerEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/ledger/{itemId}', summary: 'One ledger item with its progress notes and the caller’s next actions', tag: TAG,
  auth: 'caller', roles: READERS, params: itemParams, response: ledgerItemSchema,
});
export const ledgerActionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/ledger/{itemId}/actions', summary: 'start, done (the school or the office), verify 销号 or reopen (the office or a supervisor), or a progress note', tag: TAG,
  auth: 'caller', roles: READERS, params: itemParams, body: ledgerActionInput, maxBodyBytes: 32 * 1024, response: ledgerItemSchema,
});
export const exportLedgerEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/ledger/export', summary: 'xlsx: 序号, 存在问题, 整改措施, 整改目标, 整改时限, 责任人, 整改进展, 整改效果, 是否销号', tag: TAG,
  auth: 'caller', roles: READERS, query: ledgerExportQuery,
  produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: z.string().meta({ format: 'binary' }),
});

const attachmentParams = z.object({ itemId: uuid, attachmentId: uuid });
const attachmentSchema = z
  .object({
    id: uuid,
    filename: z.string().describe('the uploaded name with the extension of the real type'),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
    size: z.number().int().describe('bytes stored (an image after re-encoding)'),
    sha256: z.string().describe('hex digest of the stored bytes'),
    uploadedBy: z.string().nullable(),
    createdAt: iso,
    removable: z.boolean().describe('the caller may remove it'),
  })
  .meta({ id: 'LedgerAttachment' });

export const listLedgerAttachmentsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/ledger/{itemId}/attachments', summary: 'Evidence files (整改佐证) of a ledger item the caller reads', tag: TAG,
  auth: 'caller', roles: READERS, params: itemParams,
  response: z.object({ attachments: z.array(attachmentSchema), canUpload: z.boolean(), max: z.number().int() }),
});
export const addLedgerAttachmentEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/ledger/{itemId}/attachments',
  summary: 'Add an evidence file (multipart field `file`): JPEG, PNG or WebP (re-encoded, metadata such as EXIF/GPS removed) or PDF without active content; ≤ 5 MB, ≤ 10 per item, not on a verified item. The type is read from the bytes, not from the name', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin'], params: itemParams, upload: { maxBytes: MAX_ATTACHMENT_BYTES }, status: 201,
  response: z.object({ id: uuid, filename: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string() }),
});
export const downloadLedgerAttachmentEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/ledger/{itemId}/attachments/{attachmentId}', summary: 'The stored file, as an attachment (`inline=1`: an image shown in place, with nosniff and a sandbox CSP)', tag: TAG,
  auth: 'caller', roles: READERS, params: attachmentParams, query: z.object({ inline: z.enum(['1']).optional() }),
  produces: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'], response: z.string().meta({ format: 'binary' }),
});
export const removeLedgerAttachmentEndpoint = defineEndpoint({
  method: 'delete', path: '/api/v1/ledger/{itemId}/attachments/{attachmentId}', summary: 'Remove an evidence file (its uploader or the office; not on a verified item)', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin'], params: attachmentParams, status: 204, response: z.null(),
});

export const LEDGER_ENDPOINTS = [
  listLedgerEndpoint,
  createLedgerEndpoint,
  exportLedgerEndpoint,
  getLedgerEndpoint,
  ledgerActionEndpoint,
  listLedgerAttachmentsEndpoint,
  addLedgerAttachmentEndpoint,
  downloadLedgerAttachmentEndpoint,
  removeLedgerAttachmentEndpoint,
];
