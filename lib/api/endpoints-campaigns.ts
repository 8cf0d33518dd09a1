import { z } from 'zod';
import { createCampaignInput, submitDeliverableInput, updateCampaignInput } from '@/lib/campaigns/schemas';
import { CAMPAIGN_PHASE_KINDS, COMMITMENT_STATUSES, COMPLAINT_CATEGORIES, DELIVERABLE_SCOPES, LEDGER_STATUSES, ROUND_STATUSES } from '@/lib/db/schema';
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

const share = z.number().nullable();
const change = z.object({ diff: z.number(), ci95: z.tuple([z.number(), z.number()]) }).nullable();
const figure = z
  .object({ n: z.number().int().nullable(), suppressed: z.boolean().describe('below the round’s anonymity threshold: no numbers'), satisfaction: share, score: z.number().nullable() })
  .nullable();
const paired = {
  before: figure,
  after: figure,
  satisfaction: change.describe('after − before of 满意率 with Newcombe’s hybrid score (Wilson) 95% interval'),
  score: change.describe('after − before of the mean score with Welch’s t 95% interval'),
  direction: z.enum(['improved', 'declined', 'unchanged']).nullable().describe('improved / declined when the 满意率 interval (or, without one, the score interval) excludes 0'),
};
const roundRef = z.object({ id: uuid, title: z.string(), threshold: z.number().int() });
const rate = z.number().nullable();
export const campaignReportSchema = z
  .object({
    campaign: z.object({ id: uuid, title: z.string(), unitName: z.string(), startsOn: day, endsOn: day }),
    generatedAt: iso,
    viewer: z.enum(['office', 'school']),
    schools: z.array(z.object({ id: uuid, name: z.string() })),
    participation: z.array(
      z.object({
        roundId: uuid, title: z.string(), responses: z.number().int(), expected: z.number().int(), rate,
        schools: z.array(
          z.object({
            schoolId: uuid, schoolName: z.string(), responses: z.number().int(), expected: z.number().int(), rate,
            groups: z.array(z.object({ raterGroupId: uuid, name: z.string(), responses: z.number().int(), expected: z.number().int(), rate })),
          }),
        ),
      }),
    ),
    comparison: z
      .object({
        baseline: roundRef.nullable(),
        followUp: roundRef.nullable(),
        withheld: z.string().nullable().describe('why the comparison is not shown to the caller (e.g. not_released)'),
        threshold: z.number().int().nullable(),
        schools: z.array(z.object({ schoolId: uuid, schoolName: z.string(), ...paired })),
        items: z.array(z.object({ group: z.string(), question: z.string(), row: z.string(), title: z.string(), ...paired })),
        improved: z.array(z.string()),
        declined: z.array(z.string()),
      })
      .nullable(),
    ledger: z.object({ total: z.number().int(), byStatus: z.record(z.enum(LEDGER_STATUSES), z.number().int()), due: z.number().int(), onTime: z.number().int(), onTimeRate: rate }),
    complaints: z.object({ total: z.number().int(), byCategory: z.record(z.enum(COMPLAINT_CATEGORIES), z.number().int()), closed: z.number().int(), medianWorkingDays: z.number().nullable() }),
    commitments: z.object({ total: z.number().int(), byStatus: z.record(z.enum(COMMITMENT_STATUSES), z.number().int()), fulfilled: z.number().int() }),
    accountability: z.object({ total: z.number().int(), byType: z.array(z.object({ typeId: uuid, name: z.string(), count: z.number().int() })) }).nullable().describe('the office only'),
  })
  .meta({ id: 'CampaignReport' });

export const updateCampaignEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/campaigns/{campaignId}', summary: 'Edit a campaign: title, dates, phases, rounds, deliverables (one with submissions cannot be removed) and the before/after rounds of its report', tag: TAG,
  auth: 'caller', roles: ['office'], params: campaignParams, body: updateCampaignInput, response: z.object({ id: uuid }),
});
export const campaignReportEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/campaigns/{campaignId}/report',
  summary: 'The campaign report (总结): 回收率 per school and rater group, satisfaction before and after per school and item with the change and its 95% interval, ledger, complaints, commitments, accountability; format=xlsx or pdf (A4) for a download. The office: every school; a school admin: their school', tag: TAG,
  auth: 'caller', roles: ['office', 'school_admin'], params: campaignParams, query: z.object({ format: z.enum(['json', 'xlsx', 'pdf']).default('json') }).strict(),
  produces: ['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf'], response: campaignReportSchema,
});

export const CAMPAIGN_ENDPOINTS = [
  listCampaignsEndpoint, createCampaignEndpoint, getCampaignEndpoint, updateCampaignEndpoint, campaignOverviewEndpoint, campaignReportEndpoint, submitDeliverableEndpoint, listSubmissionsEndpoint,
];
