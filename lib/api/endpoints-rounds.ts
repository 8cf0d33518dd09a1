import { scoringConfig } from '@/lib/scoring/config';
import { resultsQuery, roundResultsSchema } from '@/lib/scoring/schemas';
import { z } from 'zod';
import { RATER_KINDS, ROUND_STATUSES } from '@/lib/db/schema';
import { ballotListInput } from '@/lib/rounds/ballot-lists';
import { createRoundInput, issueLinksInput, roundActionInput, submitInput, updateRoundInput } from '@/lib/rounds/schemas';
import { pageInfo, pageQuery } from '@/lib/paging';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const roundParams = z.object({ roundId: uuid });
const iso = z.iso.datetime({ offset: true });

export const roundDetailSchema = z
  .object({
    id: uuid,
    title: z.string(),
    schoolYear: z.string(),
    term: z.number().int(),
    status: z.enum(ROUND_STATUSES),
    effectiveStatus: z.enum(['draft', 'scheduled', 'open', 'closed', 'released']),
    testMode: z.boolean(),
    opensAt: iso,
    closesAt: iso,
    /** raw answers and comments are deleted after this; counts and results stay */
    retainUntil: iso,
    /** when they were deleted (null: still kept) */
    answersPurgedAt: iso.nullable(),
    /** when the office released the pooled figures of people rated mostly in other schools to the schools' admins (null: not released) */
    pooledReleasedAt: iso.nullable(),
    anonymityThreshold: z.number().int(),
    commentThreshold: z.number().int(),
    scoring: scoringConfig,
    raterGroups: z.array(z.object({ id: uuid, kind: z.enum(RATER_KINDS), name: z.string(), weight: z.number() })),
    forms: z.array(z.object({ id: uuid, title: z.string(), subjectMode: z.string(), raterGroupId: uuid, template: z.string(), version: z.number().int() })),
    schools: z.array(z.object({ id: uuid, name: z.string() })),
  })
  .meta({ id: 'Round' });

export const createRoundEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/rounds', summary: 'Create a draft round: schools, rater groups (weights sum to 100%), forms, window', tag: 'rounds',
  auth: 'caller', roles: ['office'], body: createRoundInput, status: 201, response: z.object({ id: uuid }),
});
export const getRoundEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}', summary: 'A round with its rater groups, forms and schools', tag: 'rounds',
  auth: 'caller', params: roundParams, response: roundDetailSchema,
});
export const updateRoundEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/rounds/{roundId}', summary: 'Edit a draft round (title, window, thresholds, test mode)', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: roundParams, body: updateRoundInput, response: z.object({ id: uuid }),
});
export const roundActionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/rounds/{roundId}/actions', summary: 'Open, close, extend, release (schools, then staff), release or withhold the pooled figures of people rated mostly in other schools (for school admins, in the annual assessment), or wipe a test round’s answers', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: roundParams, body: roundActionInput, response: z.object({ id: uuid, status: z.enum(ROUND_STATUSES) }),
});
export const listLinksEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}/links',
  summary: 'Links and codes of a round with their tokens and use counts (a one-time code or personal link shows its own use only once its group, school × rater group, reaches the anonymity threshold), a page at a time (page, limit ≤ 500; q searches school, class and label); format=csv downloads all of them', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: roundParams,
  query: pageQuery.extend({ kind: z.enum(['class', 'code', 'personal']).optional(), batch: z.coerce.number().int().min(1).optional(), format: z.enum(['json', 'csv']).default('json') }),
  produces: ['application/json', 'text/csv'],
  response: z.object({
    links: z.array(z.object({ id: uuid, kind: z.string(), formId: uuid, token: z.string(), url: z.string(), schoolName: z.string(), className: z.string().nullable(), label: z.string(), batch: z.number().int(), capacity: z.number().int(),
      /** null: withheld until the group reaches the threshold */
      usedCount: z.number().int().nullable(),
      group: z.object({ used: z.number().int(), expected: z.number().int() }) })),
    ...pageInfo,
  }),
});
export const issueLinksEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/rounds/{roundId}/links', summary: 'Issue class links, a batch of one-time codes, or personal one-time links', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: roundParams, body: issueLinksInput, status: 201, response: z.object({ issued: z.number().int() }),
});
export const slipsPdfEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}/slips',
  summary: 'Print-ready slips as a PDF (A4, 2 × 5 slips with cut marks, a vector QR code and the code on each; each class starts a new sheet), streamed: the one-time codes and personal links of one batch, one class, or the whole round', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: roundParams,
  query: z.object({ batch: z.coerce.number().int().min(1).optional(), classId: uuid.optional() }),
  produces: ['application/pdf'], response: z.string().meta({ format: 'binary' }),
});
export const progressEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}/progress', summary: 'Live 回收率: received against expected per class, school and round (always read from the primary: exact right after a submission)', tag: 'rounds',
  auth: 'caller', params: roundParams,
  response: z.object({
    roundId: uuid, received: z.number().int(), expected: z.number().int(),
    perSchool: z.array(z.object({ schoolId: uuid, schoolName: z.string(), received: z.number().int(), expected: z.number().int() })),
    perClass: z.array(z.object({ schoolId: uuid, schoolName: z.string(), classId: uuid.nullable(), className: z.string().nullable(), received: z.number().int(), expected: z.number().int() })),
  }),
});
export const resultsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/rounds/{roundId}/results',
  summary: 'Scores by district, school or subject (rater group and dimension filters), scoped, released and suppressed by role', tag: 'results',
  auth: 'caller', params: roundParams, query: resultsQuery, response: roundResultsSchema, reads: 'replica',
});
const subjectSchema = z.object({ key: z.string(), type: z.enum(['staff', 'unit']), name: z.string(), detail: z.string().optional() });
export const getRespondEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/respond/{token}', summary: 'The form to answer for a link or code, with the subjects to rate (no login)', tag: 'answering',
  auth: 'public', params: z.object({ token: z.string().max(40) }),
  response: z.object({ round: z.object({ title: z.string(), closesAt: iso }), school: z.string(), className: z.string().nullable(), subjects: z.array(subjectSchema), definition: z.record(z.string(), z.unknown()) }),
});
export const postRespondEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/respond/{token}', summary: 'Submit answers (anonymous; idempotent by key; checked against the questionnaire)', tag: 'answering',
  auth: 'public', params: z.object({ token: z.string().max(40) }), body: submitInput, maxBodyBytes: 256 * 1024, status: 201,
  response: z.object({ receipt: z.string(), duplicate: z.boolean() }),
});

export const ballotListSchema = z
  .object({
    id: uuid,
    name: z.string(),
    unitName: z.string(),
    /** label: the 工号 or unit name as typed; name: the person's or unit's name */
    entries: z.array(z.object({ type: z.enum(['staff', 'unit']), id: uuid, label: z.string(), name: z.string() })),
    updatedAt: iso,
  })
  .meta({ id: 'BallotList' });
const listParams = z.object({ listId: uuid });
export const listBallotListsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/ballot-lists', summary: 'The office’s saved ballot lists (used on a round’s ballot as @list:NAME)', tag: 'rounds',
  auth: 'caller', roles: ['office'], response: z.object({ lists: z.array(ballotListSchema) }),
});
export const createBallotListEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/ballot-lists', summary: 'Save a named ballot list of staff numbers (工号) and/or unit names (409 when the name is taken)', tag: 'rounds',
  auth: 'caller', roles: ['office'], body: ballotListInput, status: 201, response: z.object({ id: uuid }),
});
export const updateBallotListEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/ballot-lists/{listId}', summary: 'Rename a saved ballot list or replace its entries (rounds already created keep their ballots)', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: listParams, body: ballotListInput.partial(), response: z.object({ id: uuid }),
});
export const deleteBallotListEndpoint = defineEndpoint({
  method: 'delete', path: '/api/v1/ballot-lists/{listId}', summary: 'Delete a saved ballot list', tag: 'rounds',
  auth: 'caller', roles: ['office'], params: listParams, status: 204, response: z.null(),
});

export const ROUND_ENDPOINTS = [listBallotListsEndpoint, createBallotListEndpoint, updateBallotListEndpoint, deleteBallotListEndpoint, createRoundEndpoint, getRoundEndpoint, updateRoundEndpoint, roundActionEndpoint, listLinksEndpoint, issueLinksEndpoint, slipsPdfEndpoint, progressEndpoint, resultsEndpoint, getRespondEndpoint, postRespondEndpoint];
