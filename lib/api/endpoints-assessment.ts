import { z } from 'zod';
import { pageInfo, pageQuery } from '@/lib/paging';
import { answerObjectionInput, entriesInput, objectionInput, signInput, createYearInput, unitEntriesInput, updateYearInput, yearActionInput } from '@/lib/assessment/schemas';
import { ASSESSMENT_GRADES, COMPONENT_KINDS, COMPONENT_SOURCES, COMPONENT_SUBJECTS } from '@/lib/db/schema';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const iso = z.iso.datetime({ offset: true });
const grade = z.enum(ASSESSMENT_GRADES);
const yearParams = z.object({ yearId: uuid });
const TAG = 'assessment';
const OFFICE = ['office'] as const;
const MANAGERS = ['office', 'school_admin'] as const;
const READERS = ['office', 'school_admin', 'staff'] as const;
const yearStatus = z.enum(['draft', 'announced', 'awaiting_answers', 'locked']);

export const assessmentYearSchema = z
  .object({
    id: uuid,
    unitId: uuid,
    unitName: z.string(),
    year: z.number().int(),
    title: z.string(),
    status: yearStatus,
    computedAt: iso.nullable(),
    announcedAt: iso.nullable(),
    announcementEndsAt: iso.nullable(),
    lockedAt: iso.nullable(),
  })
  .meta({ id: 'AssessmentYear' });

const componentSchema = z.object({ id: uuid, key: z.string(), kind: z.enum(COMPONENT_KINDS), name: z.string(), weight: z.number(), source: z.enum(COMPONENT_SOURCES), roundIds: z.array(uuid), appliesTo: z.enum(COMPONENT_SUBJECTS) });

export const componentValueSchema = z.object({
  key: z.string(),
  name: z.string(),
  kind: z.string(),
  weight: z.number(),
  value: z.number().nullable(),
  satisfaction: z.number().nullable(),
  source: z.string(),
  /** null when withheld */
  n: z.number().int().nullable(),
  /** below the office: not released to the caller, or not published whole (below the threshold) */
  withheld: z.boolean(),
});

export const assessmentSchema = z
  .object({
    id: uuid,
    /** staff: a person's 年度考核; unit: a school's 目标责任制考核 */
    subject: z.enum(['staff', 'unit']),
    staffId: uuid.nullable(),
    /** the graded unit (subject unit) */
    subjectUnitId: uuid.nullable(),
    /** empty for a unit */
    staffNo: z.string(),
    name: z.string(),
    position: z.string(),
    unitName: z.string(),
    components: z.array(componentValueSchema),
    compositeScore: z.number().nullable(),
    /** below the office: a figure behind it is held back, and so are the composite and the rank */
    withheld: z.boolean(),
    /** components without data whose weight was shared out among the others */
    renormalised: z.array(z.string()),
    rank: z.number().int().nullable(),
    proposedGrade: grade.nullable(),
    notes: z.array(z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() })),
    grade: grade.nullable(),
    reason: z.string().nullable(),
    signedBy: z.string().nullable(),
    signedAt: iso.nullable(),
  })
  .meta({ id: 'Assessment' });

export const listYearsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assessment-years', summary: 'Annual assessment years the caller may see', tag: TAG,
  auth: 'caller', roles: READERS, response: z.object({ years: z.array(assessmentYearSchema) }),
});
export const createYearEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years', summary: 'Create an assessment year for a unit: weighted components (sum 100%) and proposal rules', tag: TAG,
  auth: 'caller', roles: OFFICE, body: createYearInput, status: 201, response: z.object({ id: uuid }),
});
export const getYearEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assessment-years/{yearId}', summary: 'An assessment year with its components, effective rules and open objections', tag: TAG,
  auth: 'caller', roles: READERS, params: yearParams,
  response: assessmentYearSchema.extend({ components: z.array(componentSchema), rules: z.record(z.string(), z.unknown()), openObjections: z.number().int() }),
});
export const updateYearEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/assessment-years/{yearId}', summary: 'Change a draft year’s title, components or rules', tag: TAG,
  auth: 'caller', roles: OFFICE, params: yearParams, body: updateYearInput, response: z.object({ id: uuid }),
});
export const yearActionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years/{yearId}/actions', summary: 'Compute the scores and proposed grades, or announce (公示) the signed grades for a window', tag: TAG,
  auth: 'caller', roles: OFFICE, params: yearParams, body: yearActionInput,
  response: z.object({ status: yearStatus, computed: z.number().int(), signOffsCleared: z.number().int(), endsAt: iso.optional() }),
});
export const listAssessmentsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assessment-years/{yearId}/assessments', summary: 'Each staff member’s breakdown, composite, proposal and signed grade (staff: only their own, once announced), a page at a time (page, limit ≤ 500; q searches name, staff number and unit)', tag: TAG,
  auth: 'caller', roles: READERS, params: yearParams, query: pageQuery, response: z.object({ status: yearStatus, assessments: z.array(assessmentSchema), ...pageInfo }),
});
export const signEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years/{yearId}/sign', summary: 'Sign off grades; a grade other than the proposal needs a reason', tag: TAG,
  auth: 'caller', roles: OFFICE, params: yearParams, body: signInput, response: z.object({ signed: z.number().int() }),
});
export const listEntriesEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assessment-years/{yearId}/entries', summary: '平时考核 and other manual entries of the caller’s staff', tag: TAG,
  auth: 'caller', roles: MANAGERS, params: yearParams,
  response: z.object({ entries: z.array(z.object({ id: uuid, staffNo: z.string(), name: z.string(), component: z.string(), period: z.string(), score: z.number().nullable(), sanction: z.string().nullable(), note: z.string() })) }),
});
export const recordEntriesEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years/{yearId}/entries', summary: 'Record entries (upsert per staff, component and period); all or nothing', tag: TAG,
  auth: 'caller', roles: MANAGERS, params: yearParams, body: entriesInput, response: z.object({ written: z.number().int() }),
});
export const recordUnitEntriesEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years/{yearId}/unit-entries', summary: 'Record manual entries of graded units (学校目标责任制考核 items; upsert per unit, component and period); all or nothing', tag: TAG,
  auth: 'caller', roles: OFFICE, params: yearParams, body: unitEntriesInput, response: z.object({ written: z.number().int() }),
});
export const importEntriesEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years/{yearId}/entries/import', summary: 'Import entries from xlsx (sheet 平时考核) or CSV; any bad row refuses the whole file; dryRun=true only checks', tag: TAG,
  auth: 'caller', roles: MANAGERS, params: yearParams, query: z.object({ dryRun: z.enum(['true', 'false']).optional() }), upload: { maxBytes: 20 * 1024 * 1024 },
  response: z.object({ applied: z.boolean(), checked: z.number().int(), written: z.number().int() }),
});
export const listObjectionsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assessment-years/{yearId}/objections', summary: 'Objections raised during 公示, with their answers', tag: TAG,
  auth: 'caller', roles: OFFICE, params: yearParams,
  response: z.object({ objections: z.array(z.object({ id: uuid, name: z.string(), contact: z.string(), about: z.string().nullable(), body: z.string(), status: z.enum(['open', 'answered']), answer: z.string().nullable(), createdAt: iso, answeredAt: iso.nullable() })) }),
});
export const answerObjectionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assessment-years/{yearId}/objections/{objectionId}/answer', summary: 'Answer an objection; the grades lock once the window is over and none is open', tag: TAG,
  auth: 'caller', roles: OFFICE, params: z.object({ yearId: uuid, objectionId: uuid }), body: answerObjectionInput, response: z.object({ id: uuid, openObjections: z.number().int() }),
});
export const exportEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assessment-years/{yearId}/export', summary: 'xlsx: the unit summary, or the 考核登记表 (one sheet per staff member, or one with staffId)', tag: TAG,
  auth: 'caller', roles: READERS, params: yearParams, query: z.object({ kind: z.enum(['summary', 'register']).default('summary'), staffId: uuid.optional() }),
  produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: z.string().meta({ format: 'binary' }),
});
export const getAnnouncementEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/announcements/{yearId}', summary: 'The public 公示 list: name, position and 等次 only, during the window (no login)', tag: TAG,
  auth: 'public', params: yearParams,
  response: z.object({ title: z.string(), unitName: z.string(), year: z.number().int(), open: z.boolean(), announcedAt: iso.nullable(), endsAt: iso.nullable(), list: z.array(z.object({ id: uuid, name: z.string(), position: z.string(), unit: z.string(), grade })),
    /** the units' grades (学校目标责任制考核) */
    units: z.array(z.object({ id: uuid, name: z.string(), grade })),
  }),
});
export const postObjectionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/announcements/{yearId}/objections', summary: 'Raise a named objection during the window (no login; limited per address)', tag: TAG,
  auth: 'public', params: yearParams, body: objectionInput, maxBodyBytes: 16 * 1024, status: 201, response: z.object({ id: uuid }),
});

export const ASSESSMENT_ENDPOINTS = [
  listYearsEndpoint,
  createYearEndpoint,
  getYearEndpoint,
  updateYearEndpoint,
  yearActionEndpoint,
  listAssessmentsEndpoint,
  signEndpoint,
  listEntriesEndpoint,
  recordEntriesEndpoint,
  recordUnitEntriesEndpoint,
  importEntriesEndpoint,
  listObjectionsEndpoint,
  answerObjectionEndpoint,
  exportEndpoint,
  getAnnouncementEndpoint,
  postObjectionEndpoint,
];
