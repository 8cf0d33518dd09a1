/**
 * Trends across rounds and school years: the district's, each school's and (for one teacher) the
 * subject's figures in every round the caller may read, oldest first. Each round goes through
 * getRoundResults, so release, scope and suppression are exactly those of the results themselves.
 */
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { DomainError, ForbiddenError } from '@/lib/errors';
import { listRounds } from '@/lib/rounds/queries';
import { getRoundResults } from '@/lib/scoring/queries';
import type { RoundResults, Summary } from '@/lib/scoring/schemas';
import type { Trends, TrendsQuery } from './schemas';

const figure = (s: Pick<Summary, 'score' | 'satisfaction' | 'respondents' | 'suppressed'>) => ({
  score: s.suppressed ? null : s.score,
  satisfaction: s.suppressed ? null : s.satisfaction,
  respondents: s.suppressed ? null : s.respondents,
  suppressed: s.suppressed,
});

/** `replica`: where the figures are read (see getRoundResults). */
export async function getTrends(db: Db, scope: Scope, query: TrendsQuery, replica: Db = db): Promise<Trends> {
  // a teacher's trend is their own line and nothing else (asked for up front, not skipped per round)
  if (scope.role === 'staff' && (!query.subjectId || query.subjectId !== scope.staffId)) throw new ForbiddenError('own_results_only');
  const listed = await listRounds(db, scope, { limit: query.limit });
  const candidates = listed
    .filter((r) => r.status !== 'draft' && !r.testMode)
    .sort((a, b) => a.closesAt.getTime() - b.closesAt.getTime());
  const out: Trends['rounds'] = [];
  for (const r of candidates) {
    let results: RoundResults;
    try {
      results = query.subjectId
        ? await getRoundResults(db, scope, r.id, { level: 'subject', subjectId: query.subjectId }, { replica })
        : await getRoundResults(db, scope, r.id, { level: 'district' }, { replica });
    } catch (err) {
      // not released to this caller, or the subject was not rated in that round: no point
      if (err instanceof DomainError && ['forbidden', 'not_found'].includes(err.code)) continue;
      throw err;
    }
    const schools = query.subjectId ? (results.school ? [results.school] : []) : results.schools;
    out.push({
      id: r.id,
      title: r.title,
      schoolYear: r.schoolYear,
      term: r.term,
      closesAt: r.closesAt.toISOString(),
      district: results.district && (results.district.respondents ?? 0) > 0 ? figure(results.district) : null,
      schools: schools.filter((s) => !query.schoolId || s.key === query.schoolId).map((s) => ({ id: s.key, name: s.name, ...figure(s) })),
      subject: results.subject ? { id: results.subject.key, name: results.subject.name, ...figure(results.subject) } : null,
    });
  }
  return { rounds: out };
}
