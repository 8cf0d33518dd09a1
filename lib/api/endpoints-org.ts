import { z } from 'zod';
import * as s from '@/lib/org/schemas';
import { SHEET_KEYS } from '@/lib/org/roster/sheets';
import { MAX_IMPORT_BYTES } from '@/lib/org/roster/read';
import { pageInfo } from '@/lib/paging';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const MANAGERS = ['office', 'school_admin'] as const;

export const classSchema = z
  .object({
    id: uuid,
    schoolId: uuid,
    schoolName: z.string(),
    grade: z.number().int(),
    name: z.string(),
    expectedStudents: z.number().int(),
    expectedParents: z.number().int(),
    active: z.boolean(),
  })
  .meta({ id: 'Class' });

export const staffSchema = z
  .object({
    id: uuid,
    staffNo: z.string(),
    name: z.string(),
    unitId: uuid,
    unitName: z.string(),
    position: z.string(),
    subjects: z.array(z.string()),
    active: z.boolean(),
  })
  .meta({ id: 'Staff' });

export const assignmentSchema = z
  .object({
    id: uuid,
    staffId: uuid,
    staffNo: z.string(),
    staffName: z.string(),
    classId: uuid,
    className: z.string(),
    schoolName: z.string(),
    subject: z.string(),
    schoolYear: z.string(),
    isHeadTeacher: z.boolean(),
  })
  .meta({ id: 'TeachingAssignment' });

const summarySchema = z.record(z.enum(SHEET_KEYS), z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), deactivated: z.number() }));

export const createUnitEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/units',
  summary: 'Create a unit beneath the office’s own: a county office creates districts, a district office schools (the default kind) and offices',
  tag: 'org', auth: 'caller', roles: ['office'],
  body: s.createUnitInput, status: 201, response: z.object({ id: uuid }),
});
export const updateSchoolEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/units/{unitId}', summary: 'Change a school’s code, or deactivate it', tag: 'org', auth: 'caller', roles: ['office'],
  params: z.object({ unitId: uuid }), body: s.updateSchoolInput, response: z.object({ id: uuid }),
});
export const listClassesEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/classes', summary: 'Classes in scope, a page at a time (page, limit ≤ 500; q searches class and school names)', tag: 'org', auth: 'caller', roles: MANAGERS,
  query: s.listClassesQuery, response: z.object({ classes: z.array(classSchema), ...pageInfo }),
});
export const createClassEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/classes', summary: 'Create a class', tag: 'org', auth: 'caller', roles: MANAGERS,
  body: s.createClassInput, status: 201, response: z.object({ id: uuid }),
});
export const updateClassEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/classes/{classId}', summary: 'Change a class, or deactivate it', tag: 'org', auth: 'caller', roles: MANAGERS,
  params: z.object({ classId: uuid }), body: s.updateClassInput, response: z.object({ id: uuid }),
});
export const listStaffEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/staff', summary: 'Staff in scope, a page at a time (page, limit ≤ 500; q searches name and 工号)', tag: 'org', auth: 'caller', roles: MANAGERS,
  query: s.listStaffQuery, response: z.object({ staff: z.array(staffSchema), ...pageInfo }),
});
export const createStaffEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/staff', summary: 'Create a staff member', tag: 'org', auth: 'caller', roles: MANAGERS,
  body: s.createStaffInput, status: 201, response: z.object({ id: uuid }),
});
export const updateStaffEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/staff/{staffId}', summary: 'Change a staff member; `active: false` deactivates (staff are never deleted)', tag: 'org', auth: 'caller', roles: MANAGERS,
  params: z.object({ staffId: uuid }), body: s.updateStaffInput, response: z.object({ id: uuid }),
});
export const createStaffAccountsEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/staff/accounts',
  summary: 'Create a login for every active staff member of a unit (default: the caller’s) who has none: username = 工号 unless taken, random initial passwords that must be changed at first login, returned once (also as an xlsx, base64)',
  tag: 'org', auth: 'caller', roles: MANAGERS,
  body: s.createStaffAccountsInput,
  response: z.object({
    unit: z.object({ id: uuid, name: z.string() }),
    loginUrl: z.string(),
    accounts: z.array(z.object({ staffNo: z.string(), name: z.string(), unitName: z.string(), username: z.string(), password: z.string() })),
    xlsxBase64: z.string().nullable(),
  }),
});
export const listAssignmentsEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/assignments', summary: 'Teaching assignments in scope, a page at a time (page, limit ≤ 500; q searches staff name and number, class, school and subject)', tag: 'org', auth: 'caller', roles: MANAGERS,
  query: s.listAssignmentsQuery, response: z.object({ assignments: z.array(assignmentSchema), ...pageInfo }),
});
export const createAssignmentEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/assignments', summary: 'Create a teaching assignment (staff × class × subject × school year)', tag: 'org', auth: 'caller', roles: MANAGERS,
  body: s.createAssignmentInput, status: 201, response: z.object({ id: uuid }),
});
export const updateAssignmentEndpoint = defineEndpoint({
  method: 'patch', path: '/api/v1/assignments/{assignmentId}', summary: 'Mark or unmark the head teacher', tag: 'org', auth: 'caller', roles: MANAGERS,
  params: z.object({ assignmentId: uuid }), body: s.updateAssignmentInput, response: z.object({ id: uuid }),
});
export const deleteAssignmentEndpoint = defineEndpoint({
  method: 'delete', path: '/api/v1/assignments/{assignmentId}', summary: 'Remove a teaching assignment', tag: 'org', auth: 'caller', roles: MANAGERS,
  params: z.object({ assignmentId: uuid }), status: 204, response: z.null(),
});
export const importRosterEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/roster/import',
  summary: 'Import an xlsx workbook (学校/班级/教职工/任课) or one CSV sheet (UTF-8 or GBK); all or nothing, every bad row named',
  tag: 'org', auth: 'caller', roles: MANAGERS,
  query: z.object({ dryRun: z.enum(['true', 'false']).optional(), sheet: z.enum(SHEET_KEYS).optional() }),
  upload: { maxBytes: MAX_IMPORT_BYTES },
  response: z.object({ applied: z.boolean(), summary: summarySchema }),
});
const downloadQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx'), sheet: z.enum(SHEET_KEYS).optional() });
const DOWNLOAD_TYPES = ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'];
export const exportRosterEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/roster/export', summary: 'The roster in scope as xlsx (all sheets) or CSV (one sheet, UTF-8 with BOM)', tag: 'org', auth: 'caller', roles: MANAGERS,
  query: downloadQuery, produces: DOWNLOAD_TYPES, response: z.string().meta({ format: 'binary' }),
});
export const rosterTemplateEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/roster/template', summary: 'Import template with Chinese headers and an example row', tag: 'org', auth: 'caller', roles: MANAGERS,
  query: downloadQuery, produces: DOWNLOAD_TYPES, response: z.string().meta({ format: 'binary' }),
});

export const ORG_ENDPOINTS = [
  createUnitEndpoint,
  updateSchoolEndpoint,
  listClassesEndpoint,
  createClassEndpoint,
  updateClassEndpoint,
  listStaffEndpoint,
  createStaffEndpoint,
  updateStaffEndpoint,
  createStaffAccountsEndpoint,
  listAssignmentsEndpoint,
  createAssignmentEndpoint,
  updateAssignmentEndpoint,
  deleteAssignmentEndpoint,
  importRosterEndpoint,
  exportRosterEndpoint,
  rosterTemplateEndpoint,
];
