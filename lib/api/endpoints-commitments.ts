import { z } from 'zod';
import { commitmentActionInput, commitmentListQuery, createCommitmentInput, editCommitmentInput } from '@/lib/commitments/schemas';
import { COMMITMENT_STATUSES, LEDGER_STATUSES } from '@/lib/db/schema';
import { pageInfo } from '@/lib/paging';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const TAG = 'commitments';
const params = z.object({ commitmentId: uuid });

export const commitmentSchema = z
  .object({
    id: uuid,
    unitId: uuid,
    unitName: z.string(),
    kind: z.enum(['personal', 'school']).describe('a staff member’s own, or the school’s'),
    staffId: uuid.nullable(),
    staffName: z.string().nullable(),
    position: z.string().nullable(),
    campaignId: uuid.nullable(),
    body: z.string().describe('承诺事项'),
    dueOn: z.iso.date().describe('时限'),
    status: z.enum(COMMITMENT_STATUSES),
    remark: z.string().nullable().describe('the office’s reason when returning it, or its remark when confirming'),
    fulfilment: z.string().nullable().describe('履诺情况, as reported by the author'),
    overdue: z.boolean().describe('approved, past its deadline and not reported'),
    approvedAt: iso.nullable(),
    reportedAt: iso.nullable(),
    confirmedAt: iso.nullable(),
    createdAt: iso,
    updatedAt: iso,
    actions: z.array(z.enum(['edit', 'approve', 'reject', 'report', 'confirm'])).describe('what the caller may do next'),
  })
  .meta({ id: 'Commitment' });

export const listCommitmentsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/commitments', summary: '公开承诺 the caller may read (the office and supervisors: their schools’; a school admin: their school’s; staff: their own), a page at a time', tag: TAG,
  auth: 'caller', query: commitmentListQuery,
  response: z.object({ items: z.array(commitmentSchema), ...pageInfo }),
});
export const createCommitmentEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/commitments', summary: 'Make a commitment: a staff member’s own, or (a school admin) the school’s; it waits for the office’s approval', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin', 'staff'], body: createCommitmentInput, status: 201, maxBodyBytes: 16 * 1024, response: commitmentSchema,
});
export const getCommitmentEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/commitments/{commitmentId}', summary: 'One commitment with the caller’s next actions', tag: TAG,
  auth: 'caller', params, response: commitmentSchema,
});
export const editCommitmentEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/commitments/{commitmentId}', summary: 'The author edits a pending or returned commitment, which goes back to the office as pending', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin', 'staff'], params, body: editCommitmentInput, maxBodyBytes: 16 * 1024, response: commitmentSchema,
});
export const commitmentActionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/commitments/{commitmentId}/actions', summary: 'approve or reject (with the reason), and confirm fulfilled or unfulfilled (the office); report fulfilment 履诺情况 (the author)', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin', 'staff'], params, body: commitmentActionInput, maxBodyBytes: 16 * 1024, response: commitmentSchema,
});

export const publicSchoolEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/gongkai/{unitId}', summary: 'The public page of a school (no login): its rectification progress (problem, measure, target, deadline, status) and its published commitments', tag: TAG,
  auth: 'public', params: z.object({ unitId: z.string().max(64) }),
  response: z.object({
    unit: z.object({ id: uuid, name: z.string() }),
    ledger: z.array(z.object({ seq: z.number().int(), problem: z.string(), measure: z.string(), target: z.string(), dueOn: z.iso.date(), status: z.enum(LEDGER_STATUSES), overdue: z.boolean() })),
    commitments: z.array(z.object({ id: uuid, kind: z.enum(['personal', 'school']), name: z.string().nullable(), position: z.string().nullable(), body: z.string(), dueOn: z.iso.date(), status: z.enum(['approved', 'reported', 'fulfilled', 'unfulfilled']), overdue: z.boolean() })),
  }),
});

export const COMMITMENT_ENDPOINTS = [listCommitmentsEndpoint, createCommitmentEndpoint, getCommitmentEndpoint, editCommitmentEndpoint, commitmentActionEndpoint, publicSchoolEndpoint];
