import { z } from 'zod';
import { createCampaignInput, submitDeliverableInput } from '@/lib/campaigns/schemas';
import { CAMPAIGN_PHASE_KINDS, DELIVERABLE_SCOPES, ROUND_STATUSES } from '@/lib/db/schema';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const day = z.iso.date();
const TAG = 'campaigns';
const state = z.enum(['submitted', 'late', 'missing', 'pending']);
const campaignParams = z.object({ campaignId: uuid });
const deliverableParams = z.object({ campaignId: uuid, deliverableId: uuid });

const campaignItem = z.object({ id: uuid, unitId: uuid, unitName: z.string(), title: z.string(), startsOn: day, endsOn: day });
export const campaignSchema = campaignItem
  .extend({
    phases: z.array(z.object({ id: uuid, kind: z.enum(CAMPAIGN_PHASE_KINDS), startsOn: day, endsOn: day, current: z.boolean() })),
    deliverables: z.array(z.object({ id: uuid, scope: z.enum(DELIVERABLE_SCOPES), title: z.string(), dueAt: iso, overdue: z.boolean() })),
    rounds: z.array(z.object({ id: uuid, title: z.string(), status: z.enum(ROUND_STATUSES) })),
    mine: z
      .array(z.object({ id: uuid, scope: z.enum(DELIVERABLE_SCOPES), title: z.string(), dueAt: iso, state, body: z.string().nullable(), submittedAt: iso.nullable() }))
      .describe('what the caller owes: their school’s items (school admin) and their own (with a staff record)'),
  })
  .meta({ id: 'Campaign' });

const counts = z.object({ submitted: z.number().int(), late: z.number().int(), missing: z.number().int(), pending: z.number().int() });
export const overviewSchema = z
  .object({
    campaignId: uuid,
    deliverables: z.array(z.object({ id: uuid, scope: z.enum(DELIVERABLE_SCOPES), title: z.string(), dueAt: iso, overdue: z.boolean(), totals: counts })),
    schools: z.array(
      z.object({
        schoolId: uuid,
        schoolName: z.string(),
        deliverables: z.array(z.object({ deliverableId: uuid, state, submittedAt: iso.nullable(), counts: counts.extend({ expected: z.number().int() }).nullable() })),
        complaints: z.object({ total: z.number().int(), open: z.number().int(), overdue: z.number().int() }),
      }),
    ),
  })
  .meta({ id: 'CampaignOverview' });

export const listCampaignsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/campaigns', summary: 'Campaigns (效能风暴行动) of the caller’s units', tag: TAG,
  auth: 'caller', response: z.object({ campaigns: z.array(campaignItem) }),
});
export const createCampaignEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/campaigns', summary: 'Create a campaign with its phases, deliverables and rounds', tag: TAG,
  auth: 'caller', roles: ['office'], body: createCampaignInput, status: 201, response: z.object({ id: uuid }),
});
export const getCampaignEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/campaigns/{campaignId}', summary: 'A campaign: phases (the current one marked), deliverables, rounds and what the caller owes', tag: TAG,
  auth: 'caller', params: campaignParams, response: campaignSchema,
});
export const campaignOverviewEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/campaigns/{campaignId}/overview', summary: 'Per school: each deliverable submitted / late / missing / pending, and the campaign’s complaints', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin', 'supervisor'], params: campaignParams, response: overviewSchema,
});
export const submitDeliverableEndpoint = defineEndpoint({
  method: 'put', path: '/api/v1/campaigns/{campaignId}/deliverables/{deliverableId}', summary: 'Hand in (or revise) a deliverable as text: a school admin for their school, a person for themselves', tag: TAG,
  auth: 'caller', roles: ['school_admin', 'staff'], params: deliverableParams, body: submitDeliverableInput, maxBodyBytes: 128 * 1024, response: z.object({ id: uuid, state }),
});
export const listSubmissionsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/campaigns/{campaignId}/deliverables/{deliverableId}/submissions', summary: 'The texts handed in for a deliverable (the office: its schools; a school admin: their school)', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin'], params: deliverableParams,
  response: z.object({
    submissions: z.array(z.object({ unitId: uuid, unitName: z.string(), staffId: uuid.nullable(), staffName: z.string().nullable(), body: z.string(), submittedAt: iso, updatedAt: iso, state })),
  }),
});

export const CAMPAIGN_ENDPOINTS = [listCampaignsEndpoint, createCampaignEndpoint, getCampaignEndpoint, campaignOverviewEndpoint, submitDeliverableEndpoint, listSubmissionsEndpoint];
