import { z } from 'zod';
import { complaintActionInput, complaintListQuery, complaintRulesInput, fileComplaintInput, rateInput, trackInput } from '@/lib/complaints/schemas';
import { COMPLAINT_CATEGORIES, COMPLAINT_RATINGS, COMPLAINT_STATUSES } from '@/lib/db/schema';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const TAG = 'complaints';
const OFFICE = ['office'] as const;
const HANDLERS = ['office', 'school_admin'] as const;
const status = z.enum(COMPLAINT_STATUSES);
const category = z.enum(COMPLAINT_CATEGORIES);
const rating = z.enum(COMPLAINT_RATINGS);
/** public endpoints take small bodies only */
const SMALL = 16 * 1024;

const publicStatus = z
  .object({
    trackingCode: z.string(),
    unitName: z.string(),
    category,
    status,
    createdAt: iso,
    stepDueAt: iso.nullable(),
    overdue: z.boolean(),
    steps: z.array(z.object({ status, at: iso })),
    declineReason: z.string().nullable(),
    reply: z.string().nullable(),
    rating: rating.nullable(),
    canRate: z.boolean(),
  })
  .meta({ id: 'ComplaintStatus' });

const listItem = z.object({
  id: uuid,
  unitId: uuid,
  unitName: z.string(),
  personName: z.string().nullable(),
  staffId: uuid.nullable(),
  staffName: z.string().nullable(),
  category,
  status,
  handlingUnitId: uuid.nullable(),
  handlingUnitName: z.string().nullable(),
  createdAt: iso,
  stepDueAt: iso.nullable(),
  overdue: z.boolean(),
});

export const complaintSchema = listItem
  .extend({
    body: z.string(),
    name: z.string().nullable().describe('office only'),
    contact: z.string().nullable().describe('office only'),
    anonymous: z.boolean(),
    declineReason: z.string().nullable(),
    reply: z.string().nullable(),
    rating: rating.nullable(),
    ratingComment: z.string().nullable(),
    events: z.array(z.object({ status, at: iso, note: z.string().nullable(), late: z.boolean(), actor: z.string().nullable() })),
  })
  .meta({ id: 'Complaint' });

const stepDays = z.object({ received: z.number().int(), accepted: z.number().int(), assigned: z.number().int(), replied: z.number().int(), rated: z.number().int() });
const rulesSchema = z.object({ unitId: uuid, days: stepDays }).meta({ id: 'ComplaintRules' });

export const complaintTargetsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/complaints/targets', summary: 'Schools and offices a complaint can be about (no login)', tag: TAG,
  auth: 'public',
  response: z.object({ targets: z.array(z.object({ id: uuid, kind: z.enum(['school', 'office']), name: z.string(), district: z.string().nullable() })) }),
});
export const fileComplaintEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/complaints', summary: 'File an 效能投诉 (no login, anonymous allowed; limited per address); answers the tracking code', tag: TAG,
  auth: 'public', body: fileComplaintInput, maxBodyBytes: SMALL, status: 201,
  response: z.object({ trackingCode: z.string().meta({ example: 'K7MX-3QPA-9RTE' }), acceptBy: iso }),
});
export const trackComplaintEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/complaints/track', summary: 'Status, steps and reply of a complaint by its tracking code (wrong codes are limited per address)', tag: TAG,
  auth: 'public', body: trackInput, maxBodyBytes: SMALL, response: publicStatus,
});
export const rateComplaintEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/complaints/track/rating', summary: '回访: the complainant rates the reply, once, with the tracking code', tag: TAG,
  auth: 'public', body: rateInput, maxBodyBytes: SMALL, response: publicStatus,
});
export const listComplaintsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/complaints', summary: 'Complaints the caller handles, with overdue steps flagged', tag: TAG,
  auth: 'caller', roles: HANDLERS, query: complaintListQuery,
  response: z.object({ complaints: z.array(listItem), overdue: z.number().int() }),
});
export const getComplaintEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/complaints/{complaintId}', summary: 'One complaint with its steps', tag: TAG,
  auth: 'caller', roles: HANDLERS, params: z.object({ complaintId: uuid }), response: complaintSchema,
});
export const complaintActionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/complaints/{complaintId}/actions', summary: 'Take the next step: accept, decline, assign (转办), reply (办理), close (办结)', tag: TAG,
  auth: 'caller', roles: HANDLERS, params: z.object({ complaintId: uuid }), body: complaintActionInput, response: complaintSchema,
});
export const getComplaintRulesEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/complaint-rules', summary: 'Working days allowed per complaint step for the caller’s unit', tag: TAG,
  auth: 'caller', roles: OFFICE, response: rulesSchema,
});
export const setComplaintRulesEndpoint = defineEndpoint({
  method: 'put', path: '/api/v1/complaint-rules', summary: 'Set the working days allowed per complaint step for the caller’s unit', tag: TAG,
  auth: 'caller', roles: OFFICE, body: complaintRulesInput, response: rulesSchema,
});

export const complaintStatsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/complaints/stats', summary: 'Complaint counts per school, category and month (no text, no names): the office and the supervision post', tag: TAG,
  auth: 'caller', roles: ['office', 'supervisor'],
  response: z.object({
    bySchool: z.array(z.object({ unitId: uuid, unitName: z.string(), total: z.number().int(), open: z.number().int(), overdue: z.number().int(), closed: z.number().int(), meanDaysToClose: z.number().nullable() })),
    byCategory: z.array(z.object({ category, n: z.number().int() })),
    byMonth: z.array(z.object({ month: z.string().meta({ example: '2026-12' }), n: z.number().int() })),
  }),
});

export const COMPLAINT_ENDPOINTS = [
  complaintStatsEndpoint,
  complaintTargetsEndpoint,
  fileComplaintEndpoint,
  trackComplaintEndpoint,
  rateComplaintEndpoint,
  listComplaintsEndpoint,
  getComplaintEndpoint,
  complaintActionEndpoint,
  getComplaintRulesEndpoint,
  setComplaintRulesEndpoint,
];
