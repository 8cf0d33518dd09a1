import { z } from 'zod';
import { createRecordInput, createTypeInput, recordListQuery, revokeRecordInput, updateTypeInput } from '@/lib/accountability/schemas';
import { ASSESSMENT_GRADES, ROLES } from '@/lib/db/schema';
import { pageInfo } from '@/lib/paging';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const TAG = 'accountability';

const typeSchema = z
  .object({
    id: uuid,
    name: z.string(),
    capGrade: z.enum(ASSESSMENT_GRADES).nullable().describe('the best annual grade allowed in the year of a measure of this kind; null: none'),
    sortOrder: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'AccountabilityType' });

export const recordSchema = z
  .object({
    id: uuid,
    staffId: uuid,
    staffName: z.string(),
    staffNo: z.string(),
    unitId: uuid.describe('the person’s unit when the measure was decided'),
    unitName: z.string(),
    typeId: uuid,
    typeName: z.string(),
    capGrade: z.enum(ASSESSMENT_GRADES).nullable(),
    reason: z.string(),
    decidedOn: z.iso.date(),
    complaintId: uuid.nullable(),
    ledgerItemId: uuid.nullable(),
    ledgerSeq: z.number().int().nullable(),
    campaignId: uuid.nullable(),
    campaignTitle: z.string().nullable(),
    revoked: z.boolean().describe('withdrawn: kept for the record, no longer counts'),
    revokedAt: iso.nullable(),
    revokedReason: z.string().nullable(),
    createdAt: iso,
    recordedBy: z.string().nullable().describe('who recorded it (the office only)'),
  })
  .meta({ id: 'AccountabilityRecord' });

const typeParams = z.object({ typeId: uuid });
const recordParams = z.object({ recordId: uuid });
const OFFICE = ['office'] as const;

export const listTypesEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/accountability/types', summary: '效能问责 measure kinds of the caller’s district or county (the usual four are created on first use)', tag: TAG,
  auth: 'caller', roles: OFFICE, response: z.object({ types: z.array(typeSchema) }),
});
export const createTypeEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/accountability/types', summary: 'Add a measure kind, optionally with the grade it caps', tag: TAG,
  auth: 'caller', roles: OFFICE, body: createTypeInput, status: 201, maxBodyBytes: 8 * 1024, response: typeSchema,
});
export const updateTypeEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/accountability/types/{typeId}', summary: 'Rename a measure kind, change its cap or order, or retire it (active: false)', tag: TAG,
  auth: 'caller', roles: OFFICE, params: typeParams, body: updateTypeInput, maxBodyBytes: 8 * 1024, response: typeSchema,
});
export const listRecordsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/accountability/records', summary: '效能问责 records: the office’s units’ for the office, one’s own for everyone else', tag: TAG,
  auth: 'caller', roles: ROLES, query: recordListQuery, response: z.object({ records: z.array(recordSchema), ...pageInfo }),
});
export const createRecordEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/accountability/records', summary: 'Record a measure against a person, optionally linked to a complaint, a ledger item or a campaign (the office)', tag: TAG,
  auth: 'caller', roles: OFFICE, body: createRecordInput, status: 201, maxBodyBytes: 16 * 1024, response: recordSchema,
});
export const getRecordEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/accountability/records/{recordId}', summary: 'One record (the office, or the person concerned)', tag: TAG,
  auth: 'caller', roles: ROLES, params: recordParams, response: recordSchema,
});
export const revokeRecordEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/accountability/records/{recordId}/revoke', summary: 'Withdraw a record with a reason: it stays, marked revoked, and no longer caps a grade', tag: TAG,
  auth: 'caller', roles: OFFICE, params: recordParams, body: revokeRecordInput, maxBodyBytes: 8 * 1024, response: recordSchema,
});

export const ACCOUNTABILITY_ENDPOINTS = [
  listTypesEndpoint,
  createTypeEndpoint,
  updateTypeEndpoint,
  listRecordsEndpoint,
  createRecordEndpoint,
  getRecordEndpoint,
  revokeRecordEndpoint,
];
