import { z } from 'zod';
import { ASSESSMENT_GRADES } from '@/lib/db/schema';
import { pageQuery } from '@/lib/paging';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);
const grade = z.enum(ASSESSMENT_GRADES);

/** A kind of 效能问责 measure of the caller's district or county. */
export const createTypeInput = z
  .object({
    name: text(2, 20),
    /** the best annual grade allowed in the year of the measure; null or absent: no effect on the grade */
    capGrade: grade.nullable().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export const updateTypeInput = z
  .object({
    name: text(2, 20).optional(),
    capGrade: grade.nullable().optional(),
    sortOrder: z.number().int().min(0).max(1000).optional(),
    /** an unused kind is hidden from new records; records of it keep it */
    active: z.boolean().optional(),
  })
  .strict();

/** A measure against a person, with what it came from (a complaint, a ledger item, a campaign). */
export const createRecordInput = z
  .object({
    staffId: z.uuid(),
    typeId: z.uuid(),
    reason: text(2, 2000),
    decidedOn: z.iso.date(),
    complaintId: z.uuid().optional(),
    ledgerItemId: z.uuid().optional(),
    campaignId: z.uuid().optional(),
  })
  .strict();

export const revokeRecordInput = z.object({ reason: text(2, 1000) }).strict();

export const recordListQuery = pageQuery.extend({
  staffId: z.uuid().optional(),
  typeId: z.uuid().optional(),
  unitId: z.uuid().optional(),
  complaintId: z.uuid().optional(),
  ledgerItemId: z.uuid().optional(),
  /** records decided in this calendar year */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  /** active: not revoked (the default shows both) */
  status: z.enum(['active', 'revoked']).optional(),
});
