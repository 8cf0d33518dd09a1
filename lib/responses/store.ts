import { rawQuery, type Db } from '@/lib/db/client';
import type { Subject } from '@/lib/responses/respond';
import { countDeltas, writeResponseSql } from '@/lib/scoring/counters';
import type { FactDraft } from '@/lib/surveys/annotations';

export interface ResponseWrite {
  roundId: string;
  formId: string;
  raterGroupId: string;
  schoolId: string;
  classId?: string | null;
  idempotencyKey: string;
  /** answers keyed by subject */
  data: Record<string, unknown>;
  status?: 'valid' | 'void';
  /** a ballot-quality flag (straight_line, same_grade) */
  flag?: string | null;
}

export interface SubjectFacts {
  subject: Pick<Subject, 'type' | 'key'>;
  facts: FactDraft[];
}

const THROUGH_LINK = writeResponseSql('link');
const DIRECT = writeResponseSql('none');

/**
 * The parameters of writeResponseSql for one response, in its order ($1 … $13). The submission
 * benchmark builds its pgbench statement from this too, so the two cannot drift apart.
 */
export function writeResponseParams(response: ResponseWrite, subjects: SubjectFacts[], linkId?: string): unknown[] {
  const facts = subjects.flatMap(({ subject, facts: drafts }) =>
    drafts.map((f) => ({
      ...f,
      subjectType: subject.type,
      subjectStaffId: subject.type === 'staff' ? subject.key : null,
      subjectUnitId: subject.type === 'unit' ? subject.key : null,
    })),
  );
  const status = response.status ?? 'valid';
  const deltas = countDeltas(
    facts.map((f) => ({ ...f, subjectId: (f.subjectStaffId ?? f.subjectUnitId)! })),
    status,
    response.flag ?? null,
  );
  return [
    linkId ?? null,
    response.roundId,
    response.formId,
    response.raterGroupId,
    response.schoolId,
    response.classId ?? null,
    response.idempotencyKey,
    JSON.stringify(response.data),
    JSON.stringify(facts),
    status,
    response.flag ?? null,
    JSON.stringify(deltas.subject),
    JSON.stringify(deltas.school),
  ];
}

/**
 * Writes one response, its answer facts and its counts in one statement. Through a link, the
 * link's place is taken in the same statement and nothing is written when it was not (returns
 * false); without one (the demo seed and the benchmarks' generated answers) it always writes.
 */
export async function writeResponse(db: Db, response: ResponseWrite, subjects: SubjectFacts[], linkId?: string): Promise<boolean> {
  const [written] = await rawQuery<{ taken: number }>(db, linkId ? THROUGH_LINK : DIRECT, writeResponseParams(response, subjects, linkId));
  return Boolean(written?.taken);
}
