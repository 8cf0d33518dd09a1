/**
 * What /me shows besides the tasks: the caller's own released results and their annual assessment
 * once announced. Both read as a staff member (even for a principal whose login is a school admin),
 * through the same gates as the results and assessment pages.
 */
import { listAssessments, listYears } from '@/lib/assessment/queries';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { getTrends } from '@/lib/results/trends';

export async function myOverview(db: Db, scope: Scope) {
  if (!scope.staffId) return { results: [], assessments: [] };
  const asStaff: Scope = { ...scope, role: 'staff' };
  const results = (await getTrends(db, asStaff, { subjectId: scope.staffId, limit: 12 })).rounds;
  const assessments = [];
  for (const y of await listYears(db, asStaff)) {
    if (y.status === 'draft') continue;
    const { rows } = await listAssessments(db, asStaff, y.year.id);
    const mine = rows.find((r) => r.a.staffId === scope.staffId);
    if (!mine) continue;
    assessments.push({
      yearId: y.year.id,
      title: y.year.title,
      status: y.status,
      announcedAt: y.year.announcedAt,
      endsAt: y.year.announcementEndsAt,
      grade: mine.a.grade,
      compositeScore: mine.a.compositeScore,
      components: mine.a.components,
    });
  }
  return { results, assessments };
}
