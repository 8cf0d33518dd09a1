/**
 * 异议 from the public 公示 page: named, with a contact, throttled per address. An open objection
 * holds the year's lock, so strangers must not be able to hold it cheaply: the endpoint takes only
 * same-origin JSON (lib/api/handler.ts), each address gets OBJECTION_RULE, an objection with no
 * real content is refused, and one repeating an objection already raised about the same person is
 * kept for the office but filed as answered by the first one, so it holds nothing.
 */
import type { z } from 'zod';
import { recordAudit } from '@/lib/audit/log';
import { countAttempt, type ThrottleRule } from '@/lib/auth/throttle';
import type { Db } from '@/lib/db/client';
import { assessmentObjections, assessments } from '@/lib/db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import { ConflictError, DomainError, ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { loadYear } from './queries';
import { objectionInput } from './schemas';

/** Twenty objections an hour from one address (a school or a family may share one address). */
export const OBJECTION_RULE: ThrottleRule = { maxFailures: 20, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };

/** Filed as the answer of a repeated objection, with the id of the first one. */
export const DUPLICATE_MARK = 'duplicate-of:';

/** What an objection says, for comparing: letters, digits and CJK only, case and width folded. */
export function objectionGist(body: string): string {
  return body.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

export async function submitObjection(db: Db, yearId: string, address: string, raw: z.input<typeof objectionInput>) {
  const { year, status } = await loadYear(db, yearId);
  if (status === 'draft') throw new DomainError('not_found', { entity: 'assessment_year' });
  if (status !== 'announced') throw new ConflictError('announcement_closed');
  const input = parseInput(objectionInput, raw);
  if (input.assessmentId) {
    const [a] = await db.select({ id: assessments.id }).from(assessments).where(and(eq(assessments.id, input.assessmentId), eq(assessments.yearId, yearId)));
    if (!a) throw new ValidationError({ assessmentId: [{ key: 'invalid' }] });
  }
  const gist = objectionGist(input.body);
  if (gist.length < 4 || new Set(gist).size < 3) throw new ValidationError({ body: [{ key: 'objection_empty' }] });
  const wait = await countAttempt(db, `objection:${address}`, OBJECTION_RULE);
  if (wait > 0) throw new DomainError('rate_limited', { minutes: wait });
  return db.transaction(async (tx) => {
    const earlier = await tx
      .select({ id: assessmentObjections.id, body: assessmentObjections.body })
      .from(assessmentObjections)
      .where(and(eq(assessmentObjections.yearId, yearId), input.assessmentId ? eq(assessmentObjections.assessmentId, input.assessmentId) : isNull(assessmentObjections.assessmentId)));
    const original = earlier.find((o) => objectionGist(o.body) === gist);
    const [row] = await tx
      .insert(assessmentObjections)
      .values({
        yearId,
        assessmentId: input.assessmentId ?? null,
        name: input.name,
        contact: input.contact,
        body: input.body,
        ...(original ? { status: 'answered' as const, answer: `${DUPLICATE_MARK}${original.id}`, answeredAt: new Date() } : {}),
      })
      .returning();
    // the objector's name and contact stay in the objection; the audit log only notes that one came in
    await recordAudit(tx, { type: 'system', label: 'public' }, { action: 'assessment_objection.create', entityType: 'assessment_objection', entityId: row!.id, unitId: year.unitId, summary: { yearId } });
    return { id: row!.id };
  });
}
