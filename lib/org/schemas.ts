import { z } from 'zod';
import { pageQuery } from '@/lib/paging';

const text = (max: number) => z.string().trim().min(1).max(max);
const count = z.number().int().min(0).max(300);

export const createSchoolInput = z.object({ name: text(60), code: z.string().trim().max(20).optional(), parent: text(60).optional() }).strict();

export const UNIT_KINDS = ['county', 'district', 'school', 'office', 'team'] as const;

/** A new unit; `kind` defaults to a school, `parent` to the caller's unit (a school: the office's district). */
export const createUnitInput = z
  .object({ name: text(60), kind: z.enum(UNIT_KINDS).default('school'), code: z.string().trim().max(20).optional(), parent: text(60).optional() })
  .strict();
export const updateSchoolInput = z.object({ code: z.string().trim().max(20), active: z.boolean() }).partial().strict();

export const createClassInput = z
  .object({
    school: text(60),
    name: text(40),
    grade: z.number().int().min(1).max(12),
    expectedStudents: count.optional(),
    expectedParents: count.optional(),
  })
  .strict();
export const updateClassInput = z
  .object({ grade: z.number().int().min(1).max(12), expectedStudents: count, expectedParents: count, active: z.boolean() })
  .partial()
  .strict();

export const createStaffInput = z
  .object({
    staffNo: z.string().trim().regex(/^[A-Za-z0-9_-]{1,32}$/, { message: 'staff_no' }),
    name: text(30),
    unit: text(60),
    position: text(10),
    subjects: z.array(text(20)).max(10).optional(),
  })
  .strict();
export const updateStaffInput = z
  .object({ name: text(30), unit: text(60), position: text(10), subjects: z.array(text(20)).max(10), active: z.boolean() })
  .partial()
  .strict();

export const createAssignmentInput = z
  .object({
    staffNo: text(32),
    school: text(60),
    className: text(40),
    subject: text(20),
    schoolYear: z.string().regex(/^\d{4}-\d{4}$/, { message: 'school_year' }),
    headTeacher: z.boolean().optional(),
  })
  .strict();
export const updateAssignmentInput = z.object({ headTeacher: z.boolean() }).strict();

export const listStaffQuery = pageQuery.extend({
  unitId: z.uuid().optional(),
  q: z.string().trim().max(40).optional(),
  active: z.enum(['true', 'false']).optional(),
});
export const listClassesQuery = pageQuery.extend({ schoolId: z.uuid().optional() });
export const listAssignmentsQuery = pageQuery.extend({
  classId: z.uuid().optional(),
  staffId: z.uuid().optional(),
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/).optional(),
});

/** Accounts for every active staff member of a unit (and the units beneath it) who has none. */
export const createStaffAccountsInput = z.object({ unit: text(60).optional() }).strict();

