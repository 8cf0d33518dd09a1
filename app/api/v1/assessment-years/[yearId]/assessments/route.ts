import { listAssessmentsEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { presentAssessment } from '@/lib/assessment/present';
import { listAssessments } from '@/lib/assessment/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listAssessmentsEndpoint, async ({ db, caller, params, query }) => {
  const { status, rows, total } = await listAssessments(db, caller, params.yearId, { q: query.q, page: query });
  return { status, assessments: rows.map(presentAssessment), page: query.page, limit: query.limit, total };
});
