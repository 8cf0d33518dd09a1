import type { Db } from '@/lib/db/client';
import { answerFacts, responses, type NewResponse } from '@/lib/db/schema';
import type { FactDraft } from '@/lib/surveys/annotations';

export interface SubjectFacts {
  subject: { type: 'staff'; staffId: string } | { type: 'unit'; unitId: string };
  facts: FactDraft[];
}

/**
 * Writes one response and its answer facts through the query builder, for generated answers (the
 * demo seed). Live submissions go through SUBMIT_SQL in respond.ts, which also takes the link's place.
 */
export async function storeResponse(
  db: Db,
  response: Omit<NewResponse, 'id'>,
  subjects: SubjectFacts[],
): Promise<string> {
  const [row] = await db.insert(responses).values(response).returning({ id: responses.id });
  const id = row!.id;
  const facts = subjects.flatMap(({ subject, facts: drafts }) =>
    drafts.map((f) => ({
      ...f,
      responseId: id,
      roundId: response.roundId,
      formId: response.formId,
      raterGroupId: response.raterGroupId,
      schoolId: response.schoolId,
      classId: response.classId ?? null,
      subjectType: subject.type,
      subjectStaffId: subject.type === 'staff' ? subject.staffId : null,
      subjectUnitId: subject.type === 'unit' ? subject.unitId : null,
    })),
  );
  if (facts.length) await db.insert(answerFacts).values(facts);
  return id;
}
