import { z } from 'zod';
import { ROLES, ROUND_STATUSES } from '@/lib/db/schema';
import { defineEndpoint } from './contract';

const uuid = z.uuid();

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.enum(['pglite', 'postgres']),
    migrations: z.object({ applied: z.number().int(), expected: z.number().int(), current: z.boolean(), latest: z.string().nullable() }),
    version: z.string(),
  })
  .meta({ id: 'Health' });

export const health = defineEndpoint({
  method: 'get',
  path: '/api/health',
  summary: 'Database kind and whether the migrations are current',
  tag: 'system',
  auth: 'public',
  response: healthSchema,
});

export const me = defineEndpoint({
  method: 'get',
  path: '/api/v1/me',
  summary: 'The caller: role and unit of the API key',
  tag: 'system',
  auth: 'key',
  response: z
    .object({
      role: z.enum(ROLES),
      unit: z.object({ id: uuid, name: z.string(), kind: z.string() }),
      apiKey: z.object({ id: uuid, name: z.string() }).nullable(),
    })
    .meta({ id: 'Me' }),
});

export const unitSchema = z
  .object({
    id: uuid,
    parentId: uuid.nullable(),
    kind: z.enum(['county', 'district', 'school', 'office']),
    name: z.string(),
    code: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'Unit' });

export const listUnits = defineEndpoint({
  method: 'get',
  path: '/api/v1/units',
  summary: 'Units (county, districts, schools, offices) in the caller’s scope',
  tag: 'org',
  auth: 'key',
  query: z.object({
    kind: z.enum(['county', 'district', 'school', 'office']).optional(),
  }),
  response: z.object({ units: z.array(unitSchema) }),
});

export const roundSummarySchema = z
  .object({
    id: uuid,
    title: z.string(),
    schoolYear: z.string(),
    term: z.number().int(),
    status: z.enum(ROUND_STATUSES),
    testMode: z.boolean(),
    opensAt: z.iso.datetime({ offset: true }),
    closesAt: z.iso.datetime({ offset: true }),
    responses: z.number().int(),
    expected: z.number().int(),
  })
  .meta({ id: 'RoundSummary' });

export const listRounds = defineEndpoint({
  method: 'get',
  path: '/api/v1/rounds',
  summary: 'Appraisal rounds of the caller’s units, with response counts',
  tag: 'rounds',
  auth: 'key',
  query: z.object({
    status: z.enum(ROUND_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
  response: z.object({ rounds: z.array(roundSummarySchema) }),
});

export const openapiDocument = defineEndpoint({
  method: 'get',
  path: '/api/v1/openapi.json',
  summary: 'This OpenAPI document',
  tag: 'system',
  auth: 'public',
  response: z.record(z.string(), z.unknown()),
});

/** Every endpoint the app serves; the OpenAPI document and the route coverage test read this list. */
export const ENDPOINTS = [health, openapiDocument, me, listUnits, listRounds];
