import { z } from 'zod';
import { changePasswordInput, createApiKeyInput, createUserInput, loginInput, updateUserInput } from '@/lib/auth/schemas';
import { ROLES, ROUND_STATUSES } from '@/lib/db/schema';
import { pageInfo, pageQuery } from '@/lib/paging';
import { defineEndpoint } from './contract';
import { ORG_ENDPOINTS } from './endpoints-org';
import { SURVEY_ENDPOINTS } from './endpoints-surveys';
import { ROUND_ENDPOINTS } from './endpoints-rounds';
import { ASSESSMENT_ENDPOINTS } from './endpoints-assessment';
import { RESULT_ENDPOINTS } from './endpoints-results';
import { BACKUP_ENDPOINTS } from './endpoints-backups';
import { WORKSPACE_ENDPOINTS } from './endpoints-workspace';
import { COMPLAINT_ENDPOINTS } from './endpoints-complaints';
import { CAMPAIGN_ENDPOINTS } from './endpoints-campaigns';
import { LEDGER_ENDPOINTS } from './endpoints-ledger';
import { COMMITMENT_ENDPOINTS } from './endpoints-commitments';
import { ACCOUNTABILITY_ENDPOINTS } from './endpoints-accountability';
import { CALENDAR_ENDPOINTS } from './endpoints-calendar';

const uuid = z.uuid();

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    database: z.enum(['pglite', 'postgres']),
    migrations: z.object({ applied: z.number().int(), expected: z.number().int(), current: z.boolean(), latest: z.string().nullable() }),
    version: z.string(),
    backup: z.object({
      /** when the last good backup finished (any instance, any trigger) */
      lastGoodAt: z.string().nullable(),
      /** scheduled backups are configured (PINGYI_BACKUP_DIR) */
      scheduled: z.boolean(),
      /** no good backup in the last two days */
      stale: z.boolean(),
    }),
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
  auth: 'caller',
  beforePasswordChange: true,
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
    kind: z.enum(['county', 'district', 'school', 'office', 'team']),
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
  auth: 'caller',
  query: z.object({
    kind: z.enum(['county', 'district', 'school', 'office', 'team']).optional(),
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
  auth: 'caller',
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

const sessionUserSchema = z
  .object({
    id: uuid,
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    unit: z.object({ id: uuid, name: z.string() }),
    mustChangePassword: z.boolean(),
  })
  .meta({ id: 'SessionUser' });

export const createSession = defineEndpoint({
  method: 'post',
  path: '/api/v1/session',
  summary: 'Log in: sets the httpOnly session cookie',
  tag: 'auth',
  auth: 'public',
  body: loginInput,
  response: z.object({ user: sessionUserSchema }),
});

export const deleteSession = defineEndpoint({
  method: 'delete',
  path: '/api/v1/session',
  summary: 'Log out this session',
  tag: 'auth',
  auth: 'caller',
  beforePasswordChange: true,
  status: 204,
  response: z.null(),
});

export const logoutAll = defineEndpoint({
  method: 'post',
  path: '/api/v1/session/logout-all',
  summary: 'Log out everywhere: end every session of the logged-in user',
  tag: 'auth',
  auth: 'caller',
  beforePasswordChange: true,
  response: z.object({ ended: z.number().int() }),
});

export const changeOwnPassword = defineEndpoint({
  method: 'post',
  path: '/api/v1/me/password',
  summary: 'Change one’s own password (other sessions are ended)',
  tag: 'auth',
  auth: 'caller',
  beforePasswordChange: true,
  body: changePasswordInput,
  status: 204,
  response: z.null(),
});

const OFFICE = ['office'] as const;

export const userSchema = z
  .object({
    id: uuid,
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    unitId: uuid,
    unitName: z.string(),
    staffNo: z.string().nullable(),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'User' });

export const listUsersEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/users',
  summary: 'Users of the office’s units, a page at a time (page, limit ≤ 500; q searches username, name and unit)',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  query: pageQuery,
  response: z.object({ users: z.array(userSchema), ...pageInfo }),
});

export const createUserEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/users',
  summary: 'Create a user, optionally linked to a staff record by 工号 (`staffNo`); without a password a random one is returned once',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  body: createUserInput,
  status: 201,
  response: z.object({ id: uuid, password: z.string() }),
});

const userParams = z.object({ userId: uuid });

export const updateUserEndpoint = defineEndpoint({
  method: 'patch',
  path: '/api/v1/users/{userId}',
  summary: 'Change a user’s name, role, unit or staff record (`staffNo`, null unlinks), or disable / enable them',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  params: userParams,
  body: updateUserInput,
  response: z.object({ id: uuid }),
});

export const resetUserPasswordEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/users/{userId}/reset-password',
  summary: 'Set a new random password, returned once; the user must change it at next login (office: any login of its units; school admin: the staff logins of their school); audited',
  tag: 'auth',
  auth: 'caller',
  roles: ['office', 'school_admin'],
  params: userParams,
  response: z.object({ password: z.string() }),
});

export const apiKeySchema = z
  .object({
    id: uuid,
    name: z.string(),
    prefix: z.string(),
    role: z.enum(ROLES),
    unitName: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
    revokedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'ApiKey' });

export const listApiKeysEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/api-keys',
  summary: 'API keys of the office’s units (never the keys themselves)',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  response: z.object({ apiKeys: z.array(apiKeySchema) }),
});

export const createApiKeyEndpoint = defineEndpoint({
  method: 'post',
  path: '/api/v1/api-keys',
  summary: 'Create an API key bound to a role and unit; the key is returned once',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  body: createApiKeyInput,
  status: 201,
  response: z.object({ id: uuid, key: z.string() }),
});

export const revokeApiKeyEndpoint = defineEndpoint({
  method: 'delete',
  path: '/api/v1/api-keys/{keyId}',
  summary: 'Revoke an API key',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  params: z.object({ keyId: uuid }),
  status: 204,
  response: z.null(),
});

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime({ offset: true }),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    actor: z.string(),
    summary: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

export const listAuditEndpoint = defineEndpoint({
  method: 'get',
  path: '/api/v1/audit',
  summary: 'The audit log of the office’s units, newest first, filterable, a page at a time (page, limit ≤ 500; q searches action, entity type and actor)',
  tag: 'auth',
  auth: 'caller',
  roles: OFFICE,
  query: pageQuery.extend({
    action: z.string().max(60).optional(),
    entityType: z.string().max(40).optional(),
    entityId: z.string().max(60).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  }),
  response: z.object({ entries: z.array(auditEntrySchema), ...pageInfo }),
});

/** Every endpoint the app serves; the OpenAPI document and the route coverage test read this list. */
export const ENDPOINTS = [
  health,
  openapiDocument,
  me,
  listUnits,
  listRounds,
  createSession,
  deleteSession,
  logoutAll,
  changeOwnPassword,
  listUsersEndpoint,
  createUserEndpoint,
  updateUserEndpoint,
  resetUserPasswordEndpoint,
  listApiKeysEndpoint,
  createApiKeyEndpoint,
  revokeApiKeyEndpoint,
  listAuditEndpoint,
  ...ORG_ENDPOINTS,
  ...SURVEY_ENDPOINTS,
  ...ROUND_ENDPOINTS,
  ...ASSESSMENT_ENDPOINTS,
  ...RESULT_ENDPOINTS,
  ...BACKUP_ENDPOINTS,
  ...WORKSPACE_ENDPOINTS,
  ...COMPLAINT_ENDPOINTS,
  ...CAMPAIGN_ENDPOINTS,
  ...LEDGER_ENDPOINTS,
  ...COMMITMENT_ENDPOINTS,
  ...ACCOUNTABILITY_ENDPOINTS,
  ...CALENDAR_ENDPOINTS,
];
