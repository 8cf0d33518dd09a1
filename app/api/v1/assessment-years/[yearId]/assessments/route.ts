import { listAssessmentsEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { presentAssessment } from '@/lib/assessment/present';
import { listAssessments } from '@/lib/assessment/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listAssessmentsEndpoint, async ({ db, caller, params }) => {
  const { status, rows } = await listAssessments(db, caller, params.yearId);
  return { status, assessments: rows.map(presentAssessment) };
});
