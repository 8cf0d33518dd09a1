import { z } from 'zod';
import { SELF_REPORT_STATUSES } from '@/lib/db/schema';
import { submitInput } from '@/lib/rounds/schemas';
import { listReportsQuery, reviewReportInput, saveReportInput } from '@/lib/workspace/schemas';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const MANAGERS = ['office', 'school_admin'] as const;
const formParams = z.object({ formId: uuid });
const definition = z.record(z.string(), z.unknown());

export const taskSchema = z
  .object({
    formId: uuid,
    roundId: uuid,
    roundTitle: z.string(),
    formTitle: z.string(),
    kind: z.enum(['colleague', 'self']),
    closesAt: iso,
    done: z.boolean(),
    reportStatus: z.enum(SELF_REPORT_STATUSES).nullable(),
    remark: z.string().nullable(),
  })
  .meta({ id: 'Task' });

export const reportSchema = z
  .object({
    id: uuid,
    roundId: uuid,
    formId: uuid,
    staffId: uuid,
    answers: definition,
    problems: z.string(),
    measures: z.string(),
    commitments: z.string(),
    status: z.enum(SELF_REPORT_STATUSES),
    remark: z.string().nullable(),
    submittedAt: iso.nullable(),
    reviewedAt: iso.nullable(),
  })
  .meta({ id: 'SelfReport' });

const roundRef = z.object({ id: uuid, title: z.string(), closesAt: iso });

export const myTasksEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/me/tasks',
  summary: 'The open forms addressed to the logged-in staff member (own self-inspection, colleague ballots of their school) and their self-inspection reports',
  tag: 'workspace', auth: 'caller',
  response: z.object({ tasks: z.array(taskSchema), reports: z.array(reportSchema.extend({ roundTitle: z.string(), formTitle: z.string() })) }),
});
export const getBallotEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/me/tasks/{formId}/ballot',
  summary: 'A colleague ballot addressed to the caller: the form and the colleagues on it (never the caller)', tag: 'workspace', auth: 'caller',
  params: formParams,
  response: z.object({
    round: roundRef, formTitle: z.string(), school: z.string(), done: z.boolean(),
    subjects: z.array(z.object({ key: z.string(), type: z.enum(['staff', 'unit']), name: z.string(), detail: z.string().optional() })),
    definition,
  }),
});
export const postBallotEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/me/tasks/{formId}/ballot',
  summary: 'Answer a colleague ballot from the account: anonymous (the response carries no account), once per account (409 already_answered)',
  tag: 'workspace', auth: 'caller', params: formParams, body: submitInput, maxBodyBytes: 256 * 1024, status: 201,
  response: z.object({ receipt: z.string(), duplicate: z.boolean() }),
});
export const getReportEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/me/tasks/{formId}/report',
  summary: 'The caller’s self-inspection report on an open form (null before it is started), with the form', tag: 'workspace', auth: 'caller',
  params: formParams,
  response: z.object({ round: roundRef, formTitle: z.string(), staff: z.object({ id: uuid, name: z.string() }), definition, report: reportSchema.nullable(), editable: z.boolean() }),
});
export const saveReportEndpoint = defineEndpoint({
  method: 'put', path: '/api/v1/me/tasks/{formId}/report',
  summary: 'Save the self-inspection report as a draft, or submit it (`submit: true`: required answers and the public commitments are checked); editable while the round is open, until reviewed',
  tag: 'workspace', auth: 'caller', params: formParams, body: saveReportInput, response: reportSchema,
});
export const listReportsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/self-reports',
  summary: 'Submitted, reviewed and returned self-inspection reports of the caller’s scope (school admin: their school)', tag: 'workspace', auth: 'caller', roles: MANAGERS,
  query: listReportsQuery,
  response: z.object({ reports: z.array(reportSchema.extend({ staffName: z.string(), staffNo: z.string(), unitName: z.string(), roundTitle: z.string() })) }),
});
export const reviewReportEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/self-reports/{reportId}/review',
  summary: 'Mark a submitted self-inspection report reviewed, or return it with a remark (audited)', tag: 'workspace', auth: 'caller', roles: MANAGERS,
  params: z.object({ reportId: uuid }), body: reviewReportInput, response: reportSchema,
});
export const completionEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}/completion',
  summary: 'Per staff form and school: how many of the expected staff have answered (colleague ballots: counts only) and who has not submitted a self-inspection report',
  tag: 'workspace', auth: 'caller', roles: MANAGERS, params: z.object({ roundId: uuid }),
  response: z.object({
    round: z.object({ id: uuid, title: z.string() }),
    forms: z.array(
      z.object({
        formId: uuid, title: z.string(), kind: z.enum(['colleague', 'self']),
        schools: z.array(z.object({ schoolId: uuid, name: z.string(), expected: z.number().int(), answered: z.number().int() })),
        missing: z
          .array(z.object({ staffId: uuid, name: z.string(), staffNo: z.string(), unitName: z.string(), status: z.enum(SELF_REPORT_STATUSES).nullable(), remark: z.string().nullable() }))
          .nullable(),
      }),
    ),
  }),
});

export const WORKSPACE_ENDPOINTS = [
  myTasksEndpoint,
  getBallotEndpoint,
  postBallotEndpoint,
  getReportEndpoint,
  saveReportEndpoint,
  listReportsEndpoint,
  reviewReportEndpoint,
  completionEndpoint,
];
