/**
 * The authorisation matrix: every API route and server action × every role × in scope / out of
 * scope → allowed or denied, exercised through the real route handlers on a real database, once
 * with API keys and once with session cookies. A route without a row fails the test.
 *
 * "in" targets something in the caller's district (巷道学区); "out" targets the other district
 * (古城镇学区). For list endpoints "out" means: allowed, but nothing of the other district leaks.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import type { Endpoint } from '@/lib/api/contract';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { ROLES, type Role } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { recordEntries } from '@/lib/assessment/entries';
import { createBallotList } from '@/lib/rounds/ballot-lists';
import { createYear, signGrades, yearAction } from '@/lib/assessment/mutations';
import { listAssessments } from '@/lib/assessment/queries';
import { assessmentObjections, campaignDeliverables, campaigns, complaints, roundForms, selfReports, staff, templates, users } from '@/lib/db/schema';
import { complaintAction } from '@/lib/complaints/handling';
import { addLedgerAttachment } from '@/lib/ledger/attachments';
import { createLedgerItem } from '@/lib/ledger/ledger';
import { createCommitment } from '@/lib/commitments/commitments';
import { createRecord } from '@/lib/accountability/records';
import { listTypes } from '@/lib/accountability/types';
import { createCampaign } from '@/lib/campaigns/campaigns';
import { fileComplaint, trackingHash } from '@/lib/complaints/public';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { and, eq } from 'drizzle-orm';
import { freshDatabase } from '../helpers/db';
import { PASSWORD, scopeFixtures } from '../helpers/fixtures';
import { routeHandler, serverActionFiles } from '../helpers/routes';

type Cell = 'allow' | 'deny';
type Who = Role | 'anonymous';
type Fx = Awaited<ReturnType<typeof scopeFixtures>>;

interface Row {
  /** what to send: path with params filled in, body, and (for lists) what must not leak */
  request: (
    fx: Fx,
    target: 'in' | 'out',
    n: number,
  ) => { url: string; params?: Record<string, string>; body?: unknown; form?: FormData; mustNotContain?: string[]; address?: string };
  /** [in scope, out of scope] per caller; session-only endpoints deny API keys (keyCells) */
  cells: Record<Who, [Cell, Cell]>;
  keyCells?: Partial<Record<Who, [Cell, Cell]>>;
  /** statuses that count as allowed (default: 2xx) */
  allowed?: number[];
  /**
   * statuses that count as denied (default 401/403/404). Rows that name their target (a school by
   * name in a body or file) add 400: a unit outside the scope is simply unknown to the caller.
   */
  denied?: number[];
}

const everyone = (c: [Cell, Cell]) => ({ office: c, school_admin: c, staff: c, supervisor: c });
const ALL: Record<Who, [Cell, Cell]> = { ...everyone(['allow', 'allow']), anonymous: ['allow', 'allow'] };
const LOGGED_IN: Record<Who, [Cell, Cell]> = { ...everyone(['allow', 'allow']), anonymous: ['deny', 'deny'] };
const OFFICE_READ: Record<Who, [Cell, Cell]> = {
  ...everyone(['deny', 'deny']),
  office: ['allow', 'allow'],
  anonymous: ['deny', 'deny'],
};
const OFFICE_WRITE: Record<Who, [Cell, Cell]> = {
  ...everyone(['deny', 'deny']),
  office: ['allow', 'deny'],
  anonymous: ['deny', 'deny'],
};
const SESSION_ONLY_KEYS = everyone(['deny', 'deny']);
const MANAGER_READ: Record<Who, [Cell, Cell]> = {
  ...everyone(['deny', 'deny']),
  office: ['allow', 'allow'],
  school_admin: ['allow', 'allow'],
  anonymous: ['deny', 'deny'],
};
const MANAGER_WRITE: Record<Who, [Cell, Cell]> = {
  ...everyone(['deny', 'deny']),
  office: ['allow', 'deny'],
  school_admin: ['allow', 'deny'],
  anonymous: ['deny', 'deny'],
};
const BY_NAME = [400, 401, 403, 404];
/** forms addressed to the logged-in staff member themselves */
const STAFF_OWN: Record<Who, [Cell, Cell]> = { ...everyone(['deny', 'deny']), staff: ['allow', 'deny'], anonymous: ['deny', 'deny'] };
const UNRELEASED_RESULTS: Record<Who, [Cell, Cell]> = { ...everyone(['deny', 'deny']), office: ['allow', 'deny'], anonymous: ['deny', 'deny'] };
const SEE_IN_SCOPE: Record<Who, [Cell, Cell]> = { ...everyone(['allow', 'deny']), anonymous: ['deny', 'deny'] };
/** grades are personal data: supervisors read none; staff only their own (an empty list here) */
const ASSESSMENT_READ: Record<Who, [Cell, Cell]> = { ...everyone(['allow', 'deny']), supervisor: ['deny', 'deny'], anonymous: ['deny', 'deny'] };
const assessmentUrl = (yearId: string, rest: string) => ({ url: `/api/v1/assessment-years/${yearId}${rest}`, params: { yearId } });
const PARENT_ANSWERS = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};
const csvFile = (text: string) => {
  const form = new FormData();
  form.set('file', new File([new TextEncoder().encode(text)], 'roster.csv', { type: 'text/csv' }));
  return form;
};

let unitCalls = 0;

const MATRIX: Record<string, Row> = {
  'GET /api/health': { request: () => ({ url: '/api/health' }), cells: ALL },
  'GET /api/v1/openapi.json': { request: () => ({ url: '/api/v1/openapi.json' }), cells: ALL },
  'GET /api/v1/me': { request: () => ({ url: '/api/v1/me' }), cells: LOGGED_IN },
  'GET /api/v1/units': {
    request: (fx) => ({ url: '/api/v1/units', mustNotContain: [fx.foreignDistrict.id, fx.foreignSchool.id] }),
    cells: LOGGED_IN,
  },
  'GET /api/v1/rounds': {
    request: (fx) => ({ url: '/api/v1/rounds', mustNotContain: [fx.foreignRound.id] }),
    cells: LOGGED_IN,
  },
  'POST /api/v1/session': {
    request: (fx) => ({ url: '/api/v1/session', body: { username: fx.logins.staff.username, password: PASSWORD } }),
    cells: ALL,
  },
  'DELETE /api/v1/session': { request: () => ({ url: '/api/v1/session' }), cells: LOGGED_IN },
  'POST /api/v1/session/logout-all': { request: () => ({ url: '/api/v1/session/logout-all' }), cells: LOGGED_IN, keyCells: SESSION_ONLY_KEYS },
  'POST /api/v1/me/password': {
    // a wrong current password: authorised callers get past the checks and meet the 400
    request: () => ({ url: '/api/v1/me/password', body: { currentPassword: 'not-the-password', newPassword: 'another-password-1' } }),
    cells: LOGGED_IN,
    keyCells: SESSION_ONLY_KEYS,
    allowed: [400],
  },
  'GET /api/v1/users': {
    request: (fx) => ({ url: '/api/v1/users', mustNotContain: [fx.outUser.id] }),
    cells: OFFICE_READ,
  },
  'POST /api/v1/users': {
    request: (_fx, target, n) => ({
      url: '/api/v1/users',
      body: { username: `new_${target}_${n}`, role: 'staff', unit: target === 'in' ? '巷道中心小学' : '古城小学' },
    }),
    cells: OFFICE_WRITE,
  },
  'PATCH /api/v1/users/{userId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.inUser.id : fx.outUser.id;
      return { url: `/api/v1/users/${id}`, params: { userId: id }, body: { displayName: '改名测试' } };
    },
    cells: OFFICE_WRITE,
  },
  'POST /api/v1/users/{userId}/reset-password': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.inUser.id : fx.outUser.id;
      return { url: `/api/v1/users/${id}/reset-password`, params: { userId: id } };
    },
    // a school admin resets the staff logins of their school (fx.inUser is one)
    cells: MANAGER_WRITE,
  },
  'GET /api/v1/api-keys': {
    request: (fx) => ({ url: '/api/v1/api-keys', mustNotContain: [fx.foreignSchool.name] }),
    cells: OFFICE_READ,
  },
  'POST /api/v1/api-keys': {
    request: (_fx, target, n) => ({
      url: '/api/v1/api-keys',
      body: { name: `k_${target}_${n}`, role: 'supervisor', unit: target === 'in' ? '槐山小学' : '古城小学' },
    }),
    cells: OFFICE_WRITE,
  },
  // saved ballot lists: the office's own; another district's list is unknown (404), and a 工号 of
  // another district is an unknown entry (400)
  'GET /api/v1/ballot-lists': { request: () => ({ url: '/api/v1/ballot-lists', mustNotContain: ['古城名单'] }), cells: OFFICE_READ },
  'POST /api/v1/ballot-lists': {
    request: (fx, target, n) => ({ url: '/api/v1/ballot-lists', body: { name: `名单${target}${n}`, entries: [target === 'in' ? fx.inStaff.staffNo : fx.foreignStaff.staffNo] } }),
    cells: OFFICE_WRITE,
    denied: BY_NAME,
  },
  'PATCH /api/v1/ballot-lists/{listId}': {
    request: (_fx, target, n) => {
      const id = target === 'in' ? bx.lists[0]! : bx.outList;
      return { url: `/api/v1/ballot-lists/${id}`, params: { listId: id }, body: { name: `改名${n}` } };
    },
    cells: OFFICE_WRITE,
  },
  'DELETE /api/v1/ballot-lists/{listId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? bx.lists.pop()! : bx.outList;
      return { url: `/api/v1/ballot-lists/${id}`, params: { listId: id } };
    },
    cells: OFFICE_WRITE,
  },
  'DELETE /api/v1/api-keys/{keyId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.inKeyId : fx.outKeyId;
      return { url: `/api/v1/api-keys/${id}`, params: { keyId: id } };
    },
    cells: OFFICE_WRITE,
  },
  // a school in the API-key run, another kind in the session run (each run makes ten calls):
  // in scope an office beneath the caller's district; out of scope a school in the other district,
  // or a district beneath the county (both outside a district office)
  'POST /api/v1/units': {
    request: (_fx, target, n) => {
      const school = Math.floor(unitCalls++ / 10) % 2 === 0;
      const body = target === 'in'
        ? school ? { name: `新建小学${n}` } : { name: `新建科室${n}`, kind: 'office' }
        : school ? { name: `新建小学${n}`, parent: '古城镇学区' } : { name: `新建学区${n}`, kind: 'district', parent: '高台县教育体育局' };
      return { url: '/api/v1/units', body };
    },
    cells: OFFICE_WRITE,
    denied: BY_NAME,
  },
  'PATCH /api/v1/units/{unitId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.school.id : fx.foreignSchool.id;
      return { url: `/api/v1/units/${id}`, params: { unitId: id }, body: { code: 'XD01' } };
    },
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/classes': { request: (fx) => ({ url: '/api/v1/classes', mustNotContain: [fx.foreignClass.id] }), cells: MANAGER_READ },
  'POST /api/v1/classes': {
    request: (_fx, target, n) => ({ url: '/api/v1/classes', body: { school: target === 'in' ? '巷道中心小学' : '古城小学', name: `新班${n}`, grade: 3 } }),
    cells: MANAGER_WRITE,
    denied: BY_NAME,
  },
  'PATCH /api/v1/classes/{classId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.inClass.id : fx.foreignClass.id;
      return { url: `/api/v1/classes/${id}`, params: { classId: id }, body: { expectedParents: 40 } };
    },
    cells: MANAGER_WRITE,
  },
  'GET /api/v1/staff': { request: (fx) => ({ url: '/api/v1/staff', mustNotContain: [fx.foreignStaff.id] }), cells: MANAGER_READ },
  'POST /api/v1/staff': {
    request: (_fx, target, n) => ({
      url: '/api/v1/staff',
      body: { staffNo: `MX${n}`, name: '新老师', unit: target === 'in' ? '巷道中心小学' : '古城小学', position: '教师' },
    }),
    cells: MANAGER_WRITE,
    denied: BY_NAME,
  },
  'PATCH /api/v1/staff/{staffId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.inStaff.id : fx.foreignStaff.id;
      return { url: `/api/v1/staff/${id}`, params: { staffId: id }, body: { position: '教师' } };
    },
    cells: MANAGER_WRITE,
  },
  // the first allowed call creates the accounts of 巷道中心小学's staff, later ones find none missing
  'POST /api/v1/staff/accounts': {
    request: (_fx, target) => ({ url: '/api/v1/staff/accounts', body: { unit: target === 'in' ? '巷道中心小学' : '古城小学' } }),
    cells: MANAGER_WRITE,
    denied: BY_NAME,
  },
  'GET /api/v1/assignments': { request: (fx) => ({ url: '/api/v1/assignments', mustNotContain: [fx.foreignAssignment.id] }), cells: MANAGER_READ },
  'POST /api/v1/assignments': {
    request: (fx, target, n) => ({
      url: '/api/v1/assignments',
      body:
        target === 'in'
          ? { staffNo: fx.inStaff.staffNo, school: '巷道中心小学', className: fx.inClass.name, subject: `选修${n}`, schoolYear: '2026-2027' }
          : { staffNo: 'GC0001', school: '古城小学', className: '三年级(1)班', subject: `选修${n}`, schoolYear: '2026-2027' },
    }),
    cells: MANAGER_WRITE,
    denied: BY_NAME,
  },
  'PATCH /api/v1/assignments/{assignmentId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.inAssignment.id : fx.foreignAssignment.id;
      return { url: `/api/v1/assignments/${id}`, params: { assignmentId: id }, body: { headTeacher: false } };
    },
    cells: MANAGER_WRITE,
  },
  'DELETE /api/v1/assignments/{assignmentId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.deletableAssignments.pop()! : fx.foreignAssignment.id;
      return { url: `/api/v1/assignments/${id}`, params: { assignmentId: id } };
    },
    cells: MANAGER_WRITE,
  },
  'POST /api/v1/roster/import': {
    request: (_fx, target, n) => ({
      url: '/api/v1/roster/import',
      form: csvFile(`学校名称,班级名称,年级\r\n${target === 'in' ? '巷道中心小学' : '古城小学'},导入班${n},4\r\n`),
    }),
    cells: MANAGER_WRITE,
    denied: BY_NAME,
  },
  'GET /api/v1/roster/export': {
    request: (fx) => ({ url: '/api/v1/roster/export?format=csv&sheet=staff', mustNotContain: [fx.foreignStaff.staffNo] }),
    cells: MANAGER_READ,
  },
  'GET /api/v1/roster/template': { request: () => ({ url: '/api/v1/roster/template' }), cells: MANAGER_READ },
  'GET /api/v1/templates': {
    request: (fx) => ({ url: '/api/v1/templates', mustNotContain: [fx.foreignTemplate.id] }),
    cells: MANAGER_READ,
  },
  'POST /api/v1/templates': {
    // a new template always belongs to the caller's own unit: there is no "out of scope" target
    request: (_fx, _target, n) => ({
      url: '/api/v1/templates',
      body: { kind: 'other', name: `新问卷${n}`, definition: { elements: [{ type: 'rating', name: 'q' }] } },
    }),
    cells: OFFICE_READ,
  },
  'GET /api/v1/templates/{templateId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.builtInTemplate.id : fx.foreignTemplate.id;
      return { url: `/api/v1/templates/${id}`, params: { templateId: id } };
    },
    cells: MANAGER_WRITE,
  },
  'POST /api/v1/templates/{templateId}/versions': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.homeTemplate.id : fx.foreignTemplate.id;
      return { url: `/api/v1/templates/${id}/versions`, params: { templateId: id }, body: { definition: { elements: [{ type: 'rating', name: 'q2' }] } } };
    },
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/templates/{templateId}/versions/{version}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.builtInTemplate.id : fx.foreignTemplate.id;
      return { url: `/api/v1/templates/${id}/versions/1`, params: { templateId: id, version: '1' } };
    },
    cells: MANAGER_WRITE,
  },
  'POST /api/v1/templates/validate': {
    request: () => ({ url: '/api/v1/templates/validate', body: { definition: { elements: [{ type: 'text', name: 'x' }] } } }),
    cells: MANAGER_READ,
  },
  'POST /api/v1/rounds': {
    request: (fx, target, n) => ({
      url: '/api/v1/rounds',
      body: {
        title: `测评${n}`,
        schoolYear: '2026-2027',
        term: 1,
        units: [target === 'in' ? '巷道中心小学' : '古城小学'],
        opensAt: '2026-12-01T00:00:00+08:00',
        closesAt: '2026-12-15T00:00:00+08:00',
        raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
        forms: [{ templateId: fx.builtInTemplate.id, raterGroup: 0, subjectMode: 'school' }],
      },
    }),
    cells: OFFICE_WRITE,
    denied: BY_NAME,
  },
  'GET /api/v1/rounds/{roundId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}`, params: { roundId: id } };
    },
    cells: SEE_IN_SCOPE,
  },
  'PATCH /api/v1/rounds/{roundId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.draftRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}`, params: { roundId: id }, body: { anonymityThreshold: 6 } };
    },
    cells: OFFICE_WRITE,
  },
  'POST /api/v1/rounds/{roundId}/actions': {
    request: (fx, target, n) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/actions`, params: { roundId: id }, body: { action: 'extend', closesAt: new Date(Date.now() + (30 + n) * 86_400_000).toISOString() } };
    },
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/rounds/{roundId}/links': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/links`, params: { roundId: id } };
    },
    cells: OFFICE_WRITE,
  },
  'POST /api/v1/rounds/{roundId}/links': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/links`, params: { roundId: id }, body: { kind: 'class', formId: fx.demoForm.id } };
    },
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/rounds/{roundId}/slips': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/slips`, params: { roundId: id } };
    },
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/rounds/{roundId}/progress': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/progress`, params: { roundId: id } };
    },
    cells: SEE_IN_SCOPE,
  },
  // the demo round is open and unreleased: only the office that runs it sees results yet
  'GET /api/v1/rounds/{roundId}/results': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/results?level=district`, params: { roundId: id } };
    },
    cells: UNRELEASED_RESULTS,
  },
  'GET /api/v1/rounds/{roundId}/results/export': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.demoRound.id : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${id}/results/export?level=district`, params: { roundId: id } };
    },
    cells: UNRELEASED_RESULTS,
  },
  // released rounds of the caller's units only; a staff member may ask only for their own line
  'GET /api/v1/results/trends': {
    request: (fx) => ({ url: '/api/v1/results/trends', mustNotContain: [fx.foreignRound.id] }),
    cells: { ...everyone(['allow', 'allow']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  'GET /api/v1/respond/{token}': {
    request: (fx) => ({ url: `/api/v1/respond/${fx.roomyToken}`, params: { token: fx.roomyToken } }),
    cells: ALL,
  },
  'POST /api/v1/respond/{token}': {
    request: (fx, _target, n) => ({
      url: `/api/v1/respond/${fx.roomyToken}`,
      params: { token: fx.roomyToken },
      body: { idempotencyKey: `matrix-key-${String(n).padStart(8, '0')}`, answers: { [fx.school.id]: PARENT_ANSWERS } },
    }),
    cells: ALL,
  },
  // annual assessment: `ax` (set up below) holds a draft year and an announced one for 巷道学区, and an announced year of the other district
  'GET /api/v1/assessment-years': {
    request: () => ({ url: '/api/v1/assessment-years', mustNotContain: [ax.outYear] }),
    cells: { ...everyone(['allow', 'allow']), supervisor: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  'POST /api/v1/assessment-years': {
    // years 2000–2100 by the call number: a year is unique per unit
    request: (_fx, target, n) => ({
      url: '/api/v1/assessment-years',
      body: { unit: target === 'in' ? '巷道中心小学' : '古城小学', year: 2000 + (n % 101), title: `考核${n}`, components: [{ key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' }] },
    }),
    cells: OFFICE_WRITE,
    denied: BY_NAME,
  },
  'GET /api/v1/assessment-years/{yearId}': {
    request: (_fx, target) => assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, ''),
    cells: ASSESSMENT_READ,
  },
  'PATCH /api/v1/assessment-years/{yearId}': {
    request: (_fx, target) => ({ ...assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, ''), body: { title: '矩阵测试考核' } }),
    cells: OFFICE_WRITE,
  },
  'POST /api/v1/assessment-years/{yearId}/actions': {
    request: (_fx, target) => ({ ...assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, '/actions'), body: { action: 'compute' } }),
    cells: OFFICE_WRITE,
  },
  // the announced year: a staff member reads (only) their own line
  'GET /api/v1/assessment-years/{yearId}/assessments': {
    request: (_fx, target) => assessmentUrl(target === 'in' ? ax.inAnnounced : ax.outYear, '/assessments'),
    cells: ASSESSMENT_READ,
  },
  'POST /api/v1/assessment-years/{yearId}/sign': {
    request: (_fx, target) => ({ ...assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, '/sign'), body: { items: [{ staffId: ax.inStaffId, grade: 'qualified', reason: '矩阵测试' }] } }),
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/assessment-years/{yearId}/entries': {
    request: (_fx, target) => assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, '/entries'),
    cells: MANAGER_WRITE,
  },
  'POST /api/v1/assessment-years/{yearId}/entries': {
    request: (fx, target, n) => ({ ...assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, '/entries'), body: { entries: [{ staff: fx.inStaff.staffNo, period: `P${n}`, score: 90 }] } }),
    cells: MANAGER_WRITE,
  },
  // units' manual entries are the office's (a school admin does not score their own school)
  'POST /api/v1/assessment-years/{yearId}/unit-entries': {
    request: (_fx, target, n) => ({ ...assessmentUrl(target === 'in' ? bx.unitYear : ax.outYear, '/unit-entries'), body: { entries: [{ unit: target === 'in' ? '巷道中心小学' : '古城小学', period: `P${n}`, score: 90 }] } }),
    cells: OFFICE_WRITE,
    denied: BY_NAME,
  },
  'POST /api/v1/assessment-years/{yearId}/entries/import': {
    request: (fx, target, n) => ({ ...assessmentUrl(target === 'in' ? ax.inYear : ax.outYear, '/entries/import'), form: csvFile(`工号,考核期间,得分\r\n${fx.inStaff.staffNo},I${n},88\r\n`) }),
    cells: MANAGER_WRITE,
  },
  'GET /api/v1/assessment-years/{yearId}/objections': {
    request: (_fx, target) => assessmentUrl(target === 'in' ? ax.inAnnounced : ax.outYear, '/objections'),
    cells: OFFICE_WRITE,
  },
  'POST /api/v1/assessment-years/{yearId}/objections/{objectionId}/answer': {
    request: (_fx, target) => {
      const [yearId, objectionId] = target === 'in' ? [ax.inAnnounced, ax.objections.pop()!] : [ax.outYear, ax.outObjection];
      return { url: `/api/v1/assessment-years/${yearId}/objections/${objectionId}/answer`, params: { yearId, objectionId }, body: { answer: '已核实。' } };
    },
    cells: OFFICE_WRITE,
  },
  'GET /api/v1/assessment-years/{yearId}/export': {
    request: (_fx, target) => assessmentUrl(target === 'in' ? ax.inAnnounced : ax.outYear, '/export?kind=register'),
    cells: ASSESSMENT_READ,
  },
  // public during the window, for either district's announcement
  'GET /api/v1/announcements/{yearId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? ax.inAnnounced : ax.outYear;
      return { url: `/api/v1/announcements/${id}`, params: { yearId: id } };
    },
    cells: ALL,
  },
  'POST /api/v1/announcements/{yearId}/objections': {
    request: (_fx, target) => {
      const id = target === 'in' ? ax.inAnnounced : ax.outYear;
      return { url: `/api/v1/announcements/${id}/objections`, params: { yearId: id }, body: { name: '李家长', contact: '13900000000', body: '对公示结果有疑问，请核实。' } };
    },
    cells: ALL,
  },
  'GET /api/v1/audit': {
    request: (fx) => ({ url: `/api/v1/audit?limit=500`, mustNotContain: [fx.outUser.id, fx.foreignSchool.id] }),
    cells: OFFICE_READ,
  },
  // the staff workspace: `mx` (set up below) is an open round of 巷道中心小学 with a colleague ballot and the
  // self-inspection; the staff login is linked to a staff record there (API keys have none: nothing is addressed to a key)
  'GET /api/v1/me/tasks': { request: () => ({ url: '/api/v1/me/tasks' }), cells: LOGGED_IN },
  'GET /api/v1/me/tasks/{formId}/ballot': {
    request: (fx, target) => {
      const formId = target === 'in' ? mx.ballotFormId : fx.demoForm.id;
      return { url: `/api/v1/me/tasks/${formId}/ballot`, params: { formId } };
    },
    cells: STAFF_OWN,
    keyCells: SESSION_ONLY_KEYS,
  },
  'POST /api/v1/me/tasks/{formId}/ballot': {
    request: (fx, target, n) => {
      const formId = target === 'in' ? mx.ballotFormId : fx.demoForm.id;
      return { url: `/api/v1/me/tasks/${formId}/ballot`, params: { formId }, body: { idempotencyKey: `matrix-ballot-${String(n).padStart(8, '0')}`, answers: mx.ballotAnswers } };
    },
    cells: STAFF_OWN,
    keyCells: SESSION_ONLY_KEYS,
    // the second answer from the same account: refused as already answered
    allowed: [409],
  },
  'GET /api/v1/me/tasks/{formId}/report': {
    request: (fx, target) => {
      const formId = target === 'in' ? mx.selfFormId : fx.demoForm.id;
      return { url: `/api/v1/me/tasks/${formId}/report`, params: { formId } };
    },
    cells: STAFF_OWN,
    keyCells: SESSION_ONLY_KEYS,
  },
  'PUT /api/v1/me/tasks/{formId}/report': {
    request: (fx, target) => {
      const formId = target === 'in' ? mx.selfFormId : fx.demoForm.id;
      return { url: `/api/v1/me/tasks/${formId}/report`, params: { formId }, body: { answers: { problems: '矩阵测试草稿' } } };
    },
    cells: STAFF_OWN,
    keyCells: SESSION_ONLY_KEYS,
  },
  'GET /api/v1/self-reports': {
    request: () => ({ url: '/api/v1/self-reports', mustNotContain: [mx.outReportId] }),
    cells: MANAGER_READ,
  },
  'POST /api/v1/self-reports/{reportId}/review': {
    request: (_fx, target) => {
      const reportId = target === 'in' ? mx.inReportId : mx.outReportId;
      return { url: `/api/v1/self-reports/${reportId}/review`, params: { reportId }, body: { action: 'return', remark: '请补充整改时限' } };
    },
    cells: MANAGER_WRITE,
    // returning an already returned report
    allowed: [409],
  },
  'GET /api/v1/rounds/{roundId}/completion': {
    request: (fx, target) => {
      const roundId = target === 'in' ? mx.roundId : fx.foreignRound.id;
      return { url: `/api/v1/rounds/${roundId}/completion`, params: { roundId }, mustNotContain: [fx.foreignSchool.id] };
    },
    cells: MANAGER_WRITE,
  },
  // 效能投诉: `cx` (set up below) holds complaints about 巷道中心小学 (in) and 古城小学 (out)
  'GET /api/v1/complaints/targets': { request: () => ({ url: '/api/v1/complaints/targets' }), cells: ALL },
  // public, about a school of either district; each call from its own address (filing is limited per address)
  'POST /api/v1/complaints': {
    request: (fx, target, n) => ({
      url: '/api/v1/complaints',
      body: { unitId: target === 'in' ? fx.school.id : fx.foreignSchool.id, category: 'attitude', body: '矩阵测试：窗口工作人员态度生硬。' },
      address: `10.77.${n % 250}.1`,
    }),
    cells: ALL,
  },
  'POST /api/v1/complaints/track': {
    request: (_fx, target) => ({ url: '/api/v1/complaints/track', body: { code: target === 'in' ? cx.inCode : cx.outCode } }),
    cells: ALL,
  },
  // each call rates its own replied complaint (a complaint is rated once)
  'POST /api/v1/complaints/track/rating': {
    request: () => ({ url: '/api/v1/complaints/track/rating', body: { code: cx.repliedCodes.pop()!, rating: 'fair' } }),
    cells: ALL,
  },
  // school admins see accepted complaints about their school; staff and supervisors see none
  'GET /api/v1/complaints': {
    request: () => ({ url: '/api/v1/complaints', mustNotContain: [cx.outId] }),
    cells: MANAGER_READ,
  },
  'GET /api/v1/complaints/{complaintId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? cx.inId : cx.outId;
      return { url: `/api/v1/complaints/${id}`, params: { complaintId: id } };
    },
    cells: MANAGER_WRITE,
  },
  // 受理 of a fresh complaint each call: the office's step (a school admin does not even see a complaint before it)
  'POST /api/v1/complaints/{complaintId}/actions': {
    request: (_fx, target) => {
      const id = target === 'in' ? cx.received.pop()! : cx.outId;
      return { url: `/api/v1/complaints/${id}/actions`, params: { complaintId: id }, body: { action: 'accept' } };
    },
    cells: OFFICE_WRITE,
  },
  // counts only, of the caller's scope: the office and the supervision post
  'GET /api/v1/complaints/stats': {
    request: () => ({ url: '/api/v1/complaints/stats', mustNotContain: [cx.outId, '古城小学'] }),
    cells: { ...everyone(['deny', 'deny']), office: ['allow', 'allow'], supervisor: ['allow', 'allow'], anonymous: ['deny', 'deny'] },
  },
  // the periods of the caller's own unit: there is no "out of scope" target
  'GET /api/v1/complaint-rules': { request: () => ({ url: '/api/v1/complaint-rules' }), cells: OFFICE_READ },
  'PUT /api/v1/complaint-rules': {
    request: () => ({ url: '/api/v1/complaint-rules', body: { days: { received: 3, accepted: 2, assigned: 10, replied: 5, rated: 2 } } }),
    cells: OFFICE_READ,
  },
  // campaigns: `kx` (set up below) is the demo campaign of 巷道学区 (in) and one of 古城镇学区 (out)
  'GET /api/v1/campaigns': { request: () => ({ url: '/api/v1/campaigns', mustNotContain: [kx.out] }), cells: LOGGED_IN },
  'POST /api/v1/campaigns': {
    request: (_fx, target, n) => ({
      url: '/api/v1/campaigns',
      body: { title: `矩阵行动${n}`, unit: target === 'in' ? '巷道学区' : '古城镇学区', startsOn: '2026-07-01', endsOn: '2026-12-31' },
    }),
    cells: OFFICE_WRITE,
    denied: BY_NAME,
  },
  'GET /api/v1/campaigns/{campaignId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? kx.in : kx.out;
      return { url: `/api/v1/campaigns/${id}`, params: { campaignId: id } };
    },
    cells: SEE_IN_SCOPE,
  },
  'GET /api/v1/campaigns/{campaignId}/overview': {
    request: (fx, target) => {
      const id = target === 'in' ? kx.in : kx.out;
      return { url: `/api/v1/campaigns/${id}/overview`, params: { campaignId: id }, mustNotContain: [fx.foreignSchool.id] };
    },
    cells: { ...everyone(['allow', 'deny']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  // the school's 整改方案: its school admin hands it in (a person's item is tested in campaigns.test.ts)
  'PUT /api/v1/campaigns/{campaignId}/deliverables/{deliverableId}': {
    request: (_fx, target) => {
      const [campaignId, deliverableId] = target === 'in' ? [kx.in, kx.inPlan] : [kx.out, kx.outPlan];
      return { url: `/api/v1/campaigns/${campaignId}/deliverables/${deliverableId}`, params: { campaignId, deliverableId }, body: { body: '矩阵测试：学校整改方案正文。' } };
    },
    cells: { ...everyone(['deny', 'deny']), school_admin: ['allow', 'deny'], anonymous: ['deny', 'deny'] },
  },
  'GET /api/v1/campaigns/{campaignId}/deliverables/{deliverableId}/submissions': {
    request: (_fx, target) => {
      const [campaignId, deliverableId] = target === 'in' ? [kx.in, kx.inPlan] : [kx.out, kx.outPlan];
      return { url: `/api/v1/campaigns/${campaignId}/deliverables/${deliverableId}/submissions`, params: { campaignId, deliverableId } };
    },
    cells: MANAGER_WRITE,
  },
  'PATCH /api/v1/campaigns/{campaignId}': {
    request: (_fx, target, n) => {
      const id = target === 'in' ? kx.in : kx.out;
      return { url: `/api/v1/campaigns/${id}`, params: { campaignId: id }, body: { title: `矩阵修改的行动${n}` } };
    },
    cells: OFFICE_WRITE,
  },
  // the campaign report: the office all its schools, a school admin their school; staff and the supervision post none
  'GET /api/v1/campaigns/{campaignId}/report': {
    request: (fx, target) => {
      const id = target === 'in' ? kx.in : kx.out;
      return { url: `/api/v1/campaigns/${id}/report`, params: { campaignId: id }, mustNotContain: [fx.foreignSchool.id] };
    },
    cells: MANAGER_WRITE,
  },
  // 整改台帐: `lx` (set up below) holds an item of 巷道中心小学 (in) and one of 古城小学 (out)
  'GET /api/v1/ledger': {
    request: () => ({ url: '/api/v1/ledger', mustNotContain: [lx.out] }),
    cells: { ...everyone(['allow', 'allow']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  'POST /api/v1/ledger': {
    request: (fx, target, n) => ({
      url: '/api/v1/ledger',
      body: { unitId: target === 'in' ? fx.school.id : fx.foreignSchool.id, problem: `矩阵测试问题${n}`, source: 'spot_check', measure: '立即整改', target: '家长满意', dueOn: '2026-12-31' },
    }),
    cells: MANAGER_WRITE,
    denied: BY_NAME,
  },
  'GET /api/v1/ledger/export': {
    request: (fx, target) => ({ url: `/api/v1/ledger/export?unitId=${target === 'in' ? fx.school.id : fx.foreignSchool.id}`, mustNotContain: ['古城小学'] }),
    // the export filters the caller's items: another school's ledger comes back empty, never with its rows
    cells: { ...everyone(['allow', 'allow']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  'GET /api/v1/ledger/{itemId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? lx.in : lx.out;
      return { url: `/api/v1/ledger/${id}`, params: { itemId: id } };
    },
    cells: { ...everyone(['allow', 'deny']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  // a progress note: the school, the office and the supervision post (verify/reopen are in ledger.test.ts)
  'POST /api/v1/ledger/{itemId}/actions': {
    request: (_fx, target) => {
      const id = target === 'in' ? lx.in : lx.out;
      return { url: `/api/v1/ledger/${id}/actions`, params: { itemId: id }, body: { action: 'note', note: '矩阵测试进展。' } };
    },
    cells: { ...everyone(['allow', 'deny']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  // evidence files: `lx` also holds a file on each item, an item to upload to, and a pool to remove
  'GET /api/v1/ledger/{itemId}/attachments': {
    request: (_fx, target) => {
      const id = target === 'in' ? lx.in : lx.out;
      return { url: `/api/v1/ledger/${id}/attachments`, params: { itemId: id }, mustNotContain: [lx.outFile] };
    },
    cells: { ...everyone(['allow', 'deny']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  'POST /api/v1/ledger/{itemId}/attachments': {
    request: (_fx, target) => {
      const id = target === 'in' ? lx.upload : lx.out;
      const form = new FormData();
      form.set('file', new File([new Uint8Array(lx.png)], '矩阵佐证.png', { type: 'image/png' }));
      return { url: `/api/v1/ledger/${id}/attachments`, params: { itemId: id }, form };
    },
    cells: MANAGER_WRITE,
  },
  'GET /api/v1/ledger/{itemId}/attachments/{attachmentId}': {
    request: (_fx, target) => {
      const [itemId, attachmentId] = target === 'in' ? [lx.in, lx.inFile] : [lx.out, lx.outFile];
      return { url: `/api/v1/ledger/${itemId}/attachments/${attachmentId}`, params: { itemId, attachmentId } };
    },
    cells: { ...everyone(['allow', 'deny']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  // the office removes any file; a school admin only their own upload (these were added by the CLI)
  'DELETE /api/v1/ledger/{itemId}/attachments/{attachmentId}': {
    request: (_fx, target) => {
      const [itemId, attachmentId] = target === 'in' ? [lx.pool, lx.poolFiles.pop()!] : [lx.out, lx.outFile];
      return { url: `/api/v1/ledger/${itemId}/attachments/${attachmentId}`, params: { itemId, attachmentId } };
    },
    cells: OFFICE_WRITE,
  },
  // 公开承诺: `commitx` (set up below) holds a pending school commitment of 巷道中心小学 (in) and one
  // of 古城小学 (out); the matrix's staff logins have no staff record, so they own none (the
  // author's side is in commitments.test.ts and tests/security/commitments.test.ts)
  'GET /api/v1/commitments': { request: () => ({ url: '/api/v1/commitments', mustNotContain: [commitx.out, '古城小学'] }), cells: LOGGED_IN },
  'POST /api/v1/commitments': {
    request: (_fx, target, n) => ({ url: '/api/v1/commitments', body: { kind: 'school', body: `矩阵测试承诺${n}`, dueOn: '2026-12-31', campaignId: target === 'in' ? kx.in : kx.out } }),
    cells: { ...everyone(['deny', 'deny']), school_admin: ['allow', 'deny'], anonymous: ['deny', 'deny'] },
    denied: BY_NAME,
  },
  'GET /api/v1/commitments/{commitmentId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? commitx.in : commitx.out;
      return { url: `/api/v1/commitments/${id}`, params: { commitmentId: id } };
    },
    cells: { ...everyone(['allow', 'deny']), staff: ['deny', 'deny'], anonymous: ['deny', 'deny'] },
  },
  // only the author edits: the school's own commitment, its school admin
  'PATCH /api/v1/commitments/{commitmentId}': {
    request: (_fx, target, n) => {
      const id = target === 'in' ? commitx.in : commitx.out;
      return { url: `/api/v1/commitments/${id}`, params: { commitmentId: id }, body: { body: `矩阵测试修改${n}` } };
    },
    cells: { ...everyone(['deny', 'deny']), school_admin: ['allow', 'deny'], anonymous: ['deny', 'deny'] },
  },
  // approving: the office only, each call a fresh pending commitment
  'POST /api/v1/commitments/{commitmentId}/actions': {
    request: (_fx, target) => {
      const id = target === 'in' ? commitx.pending.pop()! : commitx.out;
      return { url: `/api/v1/commitments/${id}/actions`, params: { commitmentId: id }, body: { action: 'approve' } };
    },
    cells: OFFICE_WRITE,
  },
  // the public page of any school, no login
  'GET /api/v1/gongkai/{unitId}': {
    request: (fx, target) => {
      const id = target === 'in' ? fx.school.id : fx.foreignSchool.id;
      return { url: `/api/v1/gongkai/${id}`, params: { unitId: id } };
    },
    cells: ALL,
  },
  // 效能问责: `qx` (set up below) holds records about a teacher of 巷道中心小学 (in) and of 古城小学 (out),
  // and the measure kinds of both districts. A record is for the office and the person concerned
  // (tests/security/accountability.test.ts has colleagues and other schools' admins)
  'GET /api/v1/accountability/types': { request: () => ({ url: '/api/v1/accountability/types', mustNotContain: [qx.outType] }), cells: OFFICE_READ },
  'POST /api/v1/accountability/types': {
    request: (_fx, _target, n) => ({ url: '/api/v1/accountability/types', body: { name: `矩阵类型${n}` } }),
    cells: OFFICE_READ,
  },
  'PATCH /api/v1/accountability/types/{typeId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? qx.inType : qx.outType;
      return { url: `/api/v1/accountability/types/${id}`, params: { typeId: id }, body: { sortOrder: 5 } };
    },
    cells: UNRELEASED_RESULTS,
  },
  'GET /api/v1/accountability/records': {
    request: () => ({ url: '/api/v1/accountability/records', mustNotContain: [qx.out, '古城老师'] }),
    cells: LOGGED_IN,
  },
  'POST /api/v1/accountability/records': {
    request: (fx, target) => ({
      url: '/api/v1/accountability/records',
      body: { staffId: target === 'in' ? fx.inStaff.id : fx.foreignStaff.id, typeId: qx.inType, reason: '矩阵测试问责事由', decidedOn: '2026-06-01' },
    }),
    cells: UNRELEASED_RESULTS,
    denied: BY_NAME,
  },
  'GET /api/v1/accountability/records/{recordId}': {
    request: (_fx, target) => {
      const id = target === 'in' ? qx.in : qx.out;
      return { url: `/api/v1/accountability/records/${id}`, params: { recordId: id } };
    },
    // the matrix's staff login is the teacher the "in" record is about (linked below): the person concerned
    cells: { ...UNRELEASED_RESULTS, staff: ['allow', 'deny'] },
    keyCells: { staff: ['deny', 'deny'] },
  },
  // every call takes a fresh record (five callers × keys and sessions)
  'POST /api/v1/accountability/records/{recordId}/revoke': {
    request: (_fx, target) => {
      const id = target === 'in' ? qx.revocable.pop()! : qx.out;
      return { url: `/api/v1/accountability/records/${id}/revoke`, params: { recordId: id }, body: { reason: '矩阵测试撤销' } };
    },
    cells: UNRELEASED_RESULTS,
  },
  // the working-day calendar: the office's own unit's, so there is no "out" to reach
  'GET /api/v1/calendar/{year}': { request: () => ({ url: '/api/v1/calendar/2030', params: { year: '2030' } }), cells: OFFICE_READ },
  'PUT /api/v1/calendar/{year}': {
    request: () => ({ url: '/api/v1/calendar/2030', params: { year: '2030' }, body: { lines: '2030-10-01..2030-10-07 国庆节 休' } }),
    cells: OFFICE_READ,
  },
  // a backup holds every district: only the office of a top unit (none in these fixtures: the
  // district office sits under the county) may make one; tests/integration/backup.test.ts has the allowed side
  'POST /api/v1/backups': {
    request: () => ({ url: '/api/v1/backups' }),
    cells: { ...everyone(['deny', 'deny']), anonymous: ['deny', 'deny'] },
  },
};

/**
 * Server actions: each has a row saying who may call it and why it is safe. setLocale only sets
 * the caller's own language cookie and reads no data, so it is open to everyone (exercised in the
 * browser test).
 */
const SERVER_ACTIONS: Record<string, { who: 'anyone'; touches: string }> = {
  'app/_components/locale-action.ts': { who: 'anyone', touches: "the caller's own pingyi_locale cookie" },
};

let handle: DbHandle;
let fx: Fx;

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  fx = await scopeFixtures(handle.db);
});
afterAll(() => handle.close());

let bx: { lists: string[]; outList: string; unitYear: string };
beforeAll(async () => {
  const cli = { type: 'cli', label: 'matrix' } as const;
  const lists = [];
  // every "in" DELETE takes one (five callers × keys and sessions)
  for (let i = 0; i < 12; i++) lists.push((await createBallotList(handle.db, { role: 'office', unitId: fx.home.id }, cli, { name: `巷道名单${i}`, entries: [fx.inStaff.staffNo] })).id);
  const outList = (await createBallotList(handle.db, { role: 'office', unitId: fx.foreignDistrict.id }, cli, { name: '古城名单', entries: [fx.foreignStaff.staffNo] })).id;
  const unitYear = await createYear(handle.db, { role: 'office', unitId: fx.home.id }, cli, {
    unit: '巷道学区',
    // a year of its own: the demo holds this calendar year, the assessment rows below the two before it
    year: new Date().getUTCFullYear() - 3,
    title: '学校目标责任制考核',
    components: [{ key: 'inspection', kind: 'other', name: '督导检查', weight: 100, source: 'entries', appliesTo: 'unit' }],
  });
  bx = { lists, outList, unitYear: unitYear.id };
});

let ax: { inYear: string; inAnnounced: string; outYear: string; inStaffId: string; objections: string[]; outObjection: string };
beforeAll(async () => {
  const cli = { type: 'cli', label: 'matrix' } as const;
  const home = { role: 'office' as const, unitId: fx.home.id };
  const foreign = { role: 'office' as const, unitId: fx.foreignDistrict.id };
  const components = [{ key: 'regular', kind: 'regular' as const, name: '平时考核', weight: 100, source: 'entries' as const }];
  /** a computed year with every grade signed off and, when asked, announced */
  const year = async (scope: typeof home, unit: string, y: number, announce: boolean) => {
    const { id } = await createYear(handle.db, scope, cli, { unit, year: y, title: `${unit}${y}`, components });
    await yearAction(handle.db, scope, cli, id, { action: 'compute' });
    const { rows } = await listAssessments(handle.db, scope, id);
    await signGrades(handle.db, scope, cli, id, { items: rows.map((r) => ({ staffId: r.a.staffId, grade: 'qualified' as const, reason: '矩阵测试' })) }, 'matrix');
    if (announce) await yearAction(handle.db, scope, cli, id, { action: 'announce' });
    return id;
  };
  // years before the demo district's own (this calendar year, seeded announced)
  const demoYear = new Date().getUTCFullYear();
  const inYear = await year(home, '巷道学区', demoYear - 1, false);
  await recordEntries(handle.db, home, cli, inYear, { entries: [{ staff: fx.inStaff.staffNo, period: '全年', score: 91 }] });
  const inAnnounced = await year(home, '巷道学区', demoYear - 2, true);
  const outYear = await year(foreign, '古城镇学区', 2026, true);
  const objection = async (yearId: string) => (await handle.db.insert(assessmentObjections).values({ yearId, name: '张三', contact: '138', body: '请核实。' }).returning())[0]!.id;
  const objections = [];
  // every "in" call takes one (five callers × keys and sessions)
  for (let i = 0; i < 12; i++) objections.push(await objection(inAnnounced));
  ax = { inYear, inAnnounced, outYear, inStaffId: fx.inStaff.id, objections, outObjection: await objection(outYear) };
});

let mx: { roundId: string; ballotFormId: string; selfFormId: string; ballotAnswers: Record<string, unknown>; inReportId: string; outReportId: string };
beforeAll(async () => {
  const db = handle.db;
  const home = { role: 'office' as const, unitId: fx.home.id };
  const cli = { type: 'cli', label: 'matrix' } as const;
  // the staff login is the staff member fx.inStaff; two colleagues of theirs are on the ballot
  await db.update(users).set({ staffId: fx.inStaff.id }).where(eq(users.id, fx.logins.staff.id));
  const colleagues = (await db.select().from(staff).where(eq(staff.unitId, fx.school.id))).filter((s) => s.id !== fx.inStaff.id).slice(0, 2);
  const builtIn = async (key: string) => (await db.select().from(templates).where(eq(templates.builtInKey, key)))[0]!.id;
  const round = await createRound(db, home, cli, {
    title: '矩阵互评',
    schoolYear: '2026-2027',
    term: 1,
    units: ['巷道中心小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'colleague', name: '同事', weight: 100 }, { kind: 'self', name: '自评', weight: 0 }],
    forms: [
      { templateId: await builtIn('democratic-appraisal'), raterGroup: 0, subjectMode: 'ballot', ballot: [fx.inStaff.staffNo, ...colleagues.map((c) => c.staffNo)] },
      { templateId: await builtIn('self-inspection'), raterGroup: 1, subjectMode: 'self' },
    ],
  });
  await roundAction(db, home, cli, round.id, { action: 'open' });
  const forms = await db.select({ id: roundForms.id, mode: roundForms.subjectMode }).from(roundForms).where(eq(roundForms.roundId, round.id));
  const selfFormId = forms.find((f) => f.mode === 'self')!.id;
  const answer = { five_checks: { ideas: 'satisfied', style: 'satisfied', service: 'fair', delivery: 'satisfied', efficiency: 'satisfied' }, grade: 'competent' };
  const report = async (staffId: string, unitId: string) =>
    (await db.insert(selfReports).values({ roundId: round.id, formId: selfFormId, staffId, unitId, status: 'submitted', problems: 'p', measures: 'm', commitments: 'c' }).returning())[0]!.id;
  mx = {
    roundId: round.id,
    ballotFormId: forms.find((f) => f.mode === 'ballot')!.id,
    selfFormId,
    ballotAnswers: Object.fromEntries(colleagues.map((c) => [c.id, answer])),
    inReportId: await report(colleagues[0]!.id, fx.school.id),
    outReportId: await report(fx.foreignStaff.id, fx.foreignSchool.id),
  };
});

let cx: { inId: string; inCode: string; outId: string; outCode: string; received: string[]; repliedCodes: string[] };
beforeAll(async () => {
  const db = handle.db;
  const cli = { type: 'cli', label: 'matrix' } as const;
  const home = { role: 'office' as const, unitId: fx.home.id };
  const file = async (unitId: string, i: number) => {
    const { trackingCode } = await fileComplaint(db, `10.66.${i}.1`, { unitId, category: 'fees', body: `矩阵测试投诉第${i}件：乱收费。` });
    const [row] = await db.select({ id: complaints.id }).from(complaints).where(eq(complaints.trackingHash, trackingHash(trackingCode.replace(/-/g, ''))));
    return { id: row!.id, code: trackingCode };
  };
  const inside = await file(fx.school.id, 0);
  await complaintAction(db, home, cli, inside.id, { action: 'accept' });
  const outside = await file(fx.foreignSchool.id, 1);
  // every "in" call takes one (five callers × keys and sessions)
  const received = [];
  for (let i = 0; i < 12; i++) received.push((await file(fx.school.id, 10 + i)).id);
  const repliedCodes = [];
  for (let i = 0; i < 22; i++) {
    const c = await file(fx.school.id, 30 + i);
    await complaintAction(db, home, cli, c.id, { action: 'accept' });
    await complaintAction(db, home, cli, c.id, { action: 'assign', unitId: fx.school.id });
    await complaintAction(db, home, cli, c.id, { action: 'reply', reply: '已核实并退还费用。' });
    repliedCodes.push(c.code);
  }
  cx = { inId: inside.id, inCode: inside.code, outId: outside.id, outCode: outside.code, received, repliedCodes };
});

let kx: { in: string; inPlan: string; out: string; outPlan: string };
beforeAll(async () => {
  const db = handle.db;
  const [demo] = await db.select().from(campaigns).where(eq(campaigns.unitId, fx.home.id));
  const [inPlan] = await db.select().from(campaignDeliverables).where(and(eq(campaignDeliverables.campaignId, demo!.id), eq(campaignDeliverables.scope, 'school')));
  const foreign = { role: 'office' as const, unitId: fx.foreignDistrict.id };
  const { id: out } = await createCampaign(db, foreign, { type: 'cli', label: 'matrix' }, {
    title: '古城镇效能风暴行动', startsOn: '2026-07-01', endsOn: '2026-12-31', deliverables: [{ scope: 'school', title: '整改方案', dueAt: '2026-07-18T23:59:59+08:00' }],
  });
  const [outPlan] = await db.select().from(campaignDeliverables).where(eq(campaignDeliverables.campaignId, out));
  kx = { in: demo!.id, inPlan: inPlan!.id, out, outPlan: outPlan!.id };
});

let lx: { in: string; out: string; inFile: string; outFile: string; upload: string; pool: string; poolFiles: string[]; png: Buffer };
beforeAll(async () => {
  const db = handle.db;
  const cli = { type: 'cli', label: 'matrix' } as const;
  const item = (unitId: string, office: string) =>
    createLedgerItem(db, { role: 'office', unitId: office }, cli, { unitId, problem: '作业量偏大', source: 'round', measure: '控制作业总量', target: '家长满意', dueOn: '2026-12-31' });
  const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#2a6' } }).png().toBuffer();
  const file = async (itemId: string, unitId: string) => (await addLedgerAttachment(db, { role: 'office', unitId }, cli, itemId, { name: 'evidence.png', bytes: png })).id;
  const [inItem, outItem, upload, pool] = [await item(fx.school.id, fx.home.id), await item(fx.foreignSchool.id, fx.foreignDistrict.id), await item(fx.school.id, fx.home.id), await item(fx.school.id, fx.home.id)];
  // ten removal attempts per run (five callers, keys then sessions): one file for each
  const poolFiles: string[] = [];
  for (let i = 0; i < 10; i++) poolFiles.push(await file(pool.id, fx.home.id));
  lx = { in: inItem.id, out: outItem.id, inFile: await file(inItem.id, fx.home.id), outFile: await file(outItem.id, fx.foreignDistrict.id), upload: upload.id, pool: pool.id, poolFiles, png };
});

let commitx: { in: string; out: string; pending: string[] };
beforeAll(async () => {
  const db = handle.db;
  const cli = { type: 'cli', label: 'matrix' } as const;
  const make = (unitId: string, body: string) => createCommitment(db, { role: 'school_admin', unitId }, cli, { body, dueOn: '2026-12-31' });
  const pending = [];
  // every "in" call takes one (five callers × keys and sessions)
  for (let i = 0; i < 12; i++) pending.push((await make(fx.school.id, `矩阵待审承诺${i}`)).id);
  commitx = { in: (await make(fx.school.id, '矩阵本校承诺')).id, out: (await make(fx.foreignSchool.id, '矩阵外校承诺')).id, pending };
});

let qx: { in: string; out: string; revocable: string[]; inType: string; outType: string };
beforeAll(async () => {
  const db = handle.db;
  const cli = { type: 'cli', label: 'matrix' } as const;
  const home = { role: 'office' as const, unitId: fx.home.id };
  const foreign = { role: 'office' as const, unitId: fx.foreignDistrict.id };
  const inType = (await listTypes(db, home)).types[0]!.id;
  const outType = (await listTypes(db, foreign)).types[0]!.id;
  const record = async (office: typeof home, staffId: string, typeId: string) => (await createRecord(db, office, cli, { staffId, typeId, reason: '矩阵测试事由', decidedOn: '2026-03-01' })).id;
  const revocable: string[] = [];
  for (let i = 0; i < 12; i++) revocable.push(await record(home, fx.inStaff.id, inType));
  qx = { in: await record(home, fx.inStaff.id, inType), out: await record(foreign, fx.foreignStaff.id, outType), revocable, inType, outType };
});

async function sessionCookie(role: Role): Promise<string> {
  const login = await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/session' && e.method === 'post')!);
  const res = await login(
    new Request('http://localhost/api/v1/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost', 'x-forwarded-for': `10.9.${ROLES.indexOf(role)}.1` },
      body: JSON.stringify({ username: fx.logins[role].username, password: PASSWORD }),
    }),
    { params: Promise.resolve({}) },
  );
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

let counter = 0;
async function exercise(e: Endpoint, who: Who, mode: 'key' | 'session', target: 'in' | 'out') {
  const row = MATRIX[`${e.method.toUpperCase()} ${e.path}`]!;
  const req = row.request(fx, target, counter++);
  const headers: Record<string, string> = { origin: 'http://localhost', 'x-forwarded-for': req.address ?? '10.8.0.1' };
  if (who !== 'anonymous') {
    if (mode === 'key') headers.authorization = `Bearer ${fx.keys[who]}`;
    else headers.cookie = await sessionCookie(who);
  }
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  const handler = await routeHandler(e);
  const body = req.form ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
  const res = await handler(new Request(`http://localhost${req.url}`, { method: e.method.toUpperCase(), headers, body }), {
    params: Promise.resolve(req.params ?? {}),
  });
  const text = await res.text();
  return { status: res.status, text, mustNotContain: req.mustNotContain ?? [], allowed: row.allowed ?? [], denied: row.denied ?? [401, 403, 404] };
}

describe('authorisation matrix', () => {
  it('has a row for every endpoint and every server action, and no stale rows', () => {
    const endpoints = ENDPOINTS.map((e) => `${e.method.toUpperCase()} ${e.path}`).sort();
    expect(Object.keys(MATRIX).sort()).toEqual(endpoints);
    expect(Object.keys(SERVER_ACTIONS).sort()).toEqual(serverActionFiles());
  });

  for (const mode of ['key', 'session'] as const) {
    for (const e of ENDPOINTS) {
      const key = `${e.method.toUpperCase()} ${e.path}`;
      it(`${key} with ${mode === 'key' ? 'API keys' : 'session cookies'}`, async () => {
        const row = MATRIX[key];
        expect(row, `no matrix row for ${key}`).toBeDefined();
        const results: string[] = [];
        const expected: string[] = [];
        for (const who of [...ROLES, 'anonymous'] as Who[]) {
          for (const [i, target] of (['in', 'out'] as const).entries()) {
            const cell = (mode === 'key' ? row!.keyCells?.[who] : undefined) ?? row!.cells[who];
            const r = await exercise(e, who, mode, target);
            const allowed = (r.status >= 200 && r.status < 300) || r.allowed.includes(r.status);
            const leaked = allowed ? r.mustNotContain.filter((s) => r.text.includes(s)) : [];
            results.push(`${who}/${target}: ${allowed ? 'allow' : 'deny'}${leaked.length ? ' LEAK' : ''}`);
            expected.push(`${who}/${target}: ${cell[i]}`);
            if (!allowed) expect(r.denied, `${key} ${who}/${target}: ${r.text}`).toContain(r.status);
          }
        }
        expect(results).toEqual(expected);
      });
    }
  }
});
