/** 异议 from the public 公示 page: named, with a contact, throttled per address like answering tokens. */
import type { z } from 'zod';
import { recordAudit } from '@/lib/audit/log';
import { countAttempt, type ThrottleRule } from '@/lib/auth/throttle';
import type { Db } from '@/lib/db/client';
import { assessmentObjections, assessments } from '@/lib/db/schema';
import { and, eq } from 'drizzle-orm';
import { ConflictError, DomainError, ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { loadYear } from './queries';
import { objectionInput } from './schemas';

/** Twenty objections an hour from one address (a school or a family may share one address). */
export const OBJECTION_RULE: ThrottleRule = { maxFailures: 20, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };

export async function submitObjection(db: Db, yearId: string, address: string, raw: z.input<typeof objectionInput>) {
  const { year, status } = await loadYear(db, yearId);
  if (status === 'draft') throw new DomainError('not_found', { entity: 'assessment_year' });
  if (status !== 'announced') throw new ConflictError('announcement_closed');
  const input = parseInput(objectionInput, raw);
  if (input.assessmentId) {
    const [a] = await db.select({ id: assessments.id }).from(assessments).where(and(eq(assessments.id, input.assessmentId), eq(assessments.yearId, yearId)));
    if (!a) throw new ValidationError({ assessmentId: [{ key: 'invalid' }] });
  }
  const wait = await countAttempt(db, `objection:${address}`, OBJECTION_RULE);
  if (wait > 0) throw new DomainError('rate_limited', { minutes: wait });
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(assessmentObjections).values({ yearId, assessmentId: input.assessmentId ?? null, name: input.name, contact: input.contact, body: input.body }).returning();
    // the objector's name and contact stay in the objection; the audit log only notes that one came in
    await recordAudit(tx, { type: 'system', label: 'public' }, { action: 'assessment_objection.create', entityType: 'assessment_objection', entityId: row!.id, unitId: year.unitId, summary: { yearId } });
    return { id: row!.id };
  });
}
