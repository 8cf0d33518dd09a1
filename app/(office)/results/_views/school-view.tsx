import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { ChartView } from '@/app/_components/chart';
import { PrintButton } from '@/app/_components/print-button';
import { SortableTable } from '@/app/_components/sortable-table';
import type { Scope } from '@/lib/auth/scope';
import { differenceFromMean, dimensionRadar, dimensionsOf, distributionBars, gradeShares } from '@/lib/charts/datasets';
import { getDb, getReadDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { getRoundResults } from '@/lib/scoring/queries';
import type { RoundResults } from '@/lib/scoring/schemas';
import { fmtPct, fmtScore, loadResults, queryString, UUID } from '../_lib';
import { Comments } from './comments';
import { Filters } from './filters';
import { NotReleased } from './not-released';
import { ItemsToLedger, KeywordsToLedger, mayFileLedger } from './to-ledger';

/** A school's results: its figures against the district, answer distributions, and every teacher ranked. */
export async function SchoolView({ scope, roundId, schoolId, filters, print }: { scope: Scope; roundId: string; schoolId: string; filters: { raterGroupId?: string; dimension?: string }; print?: boolean }) {
  const t = await getTranslations('results');
  if (!UUID.test(schoolId)) return null;
  const loaded = await loadResults(scope, roundId, { level: 'school', schoolId, ...filters });
  if ('notReleased' in loaded) return <NotReleased />;
  const { results } = loaded;
  const school = results.school!;
  // where parents rated the school itself, its items and their distributions
  let own: RoundResults | null = null;
  try {
    own = await getRoundResults(await getDb(), scope, roundId, { level: 'subject', subjectId: schoolId, ...filters }, { replica: await getReadDb() });
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
  }
  const suppressed = t('suppressed');
  // teachers (ranked), then office staff and units such as the 领导班子 rated here (this school's part, unranked)
  const teachers = results.subjects.filter((s) => s.key !== schoolId);
  const dims = dimensionsOf(results.round.dimensions, [school, results.district]);
  const teacherDims = dimensionsOf(results.round.dimensions, teachers);
  const groupName = (id: string) => results.round.raterGroups.find((g) => g.id === id)?.name ?? '';
  const base = `/results/${roundId}/schools/${schoolId}`;
  const figures = [
    { label: school.name, s: school },
    { label: t('districtMean'), s: results.district },
  ];
  return (
    <>
      <h1>
        {school.name} · {t('schoolPage')}
      </h1>
      <p className="muted">
        {results.round.title} · {results.round.schoolYear} {t(`terms.${results.round.term}` as 'terms.1')}
      </p>
      {print ? (
        <PrintButton label={t('print')} hint={t('printHint')} />
      ) : (
        <p className="no-print actions">
          <Link href={`/results/${roundId}`}>{t('backToRound')}</Link> · <a href={`/api/v1/rounds/${roundId}/results/export${queryString({ level: 'school', schoolId, raterGroupId: filters.raterGroupId })}`}>{t('export')}</a> ·{' '}
          <a href={`/api/v1/rounds/${roundId}/results/export${queryString({ level: 'school', schoolId, raterGroupId: filters.raterGroupId, format: 'pdf' })}`} download>
            {t('exportPdf')}
          </a>{' '}
          ·{' '}
          <Link href={`${base}/report`}>{t('print')}</Link>
        </p>
      )}
      {!print && <Filters results={results} current={filters} />}
      <section className="card">
        <table data-testid="school-summary">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col" className="num">{t('respondents')}</th>
              <th scope="col" className="num">{t('score')}</th>
              <th scope="col" className="num">{t('satisfaction')}</th>
            </tr>
          </thead>
          <tbody>
            {figures.map(({ label, s }) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {!s || s.suppressed ? (
                  <td colSpan={3} className="suppressed">{suppressed}</td>
                ) : (
                  <>
                    <td className="num">{s.respondents}</td>
                    <td className="num">{fmtScore(s.score)}</td>
                    <td className="num">{fmtPct(s.satisfaction)}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="charts">
          {dims.length >= 3 && <ChartView spec={dimensionRadar(t('radar'), dims, [{ label: school.name, summary: school }, { label: t('districtMean'), summary: results.district }])} suppressedText={suppressed} height={360} />}
          {own && own.items.length > 0 && <ChartView spec={distributionBars(t('distribution'), own.items)} suppressedText={suppressed} />}
          {own && own.grades.length > 0 && <ChartView spec={gradeShares(t('grades'), own.grades, groupName)} suppressedText={suppressed} />}
        </div>
      </section>
      <section className="card page-break">
        <h2>{t('teachers')}</h2>
        {!teachers.length ? (
          <p className="notice">{t('noTeachers')}</p>
        ) : (
          <>
            <ChartView
              spec={differenceFromMean(teachers, results.district, 'score', { title: t('teacherScoreDiff'), series: t('difference'), mean: t('districtMean'), interval: t('interval95'), n: t('n') })}
              suppressedText={suppressed}
            />
            <p className="muted">{t('shrinkNote')}</p>
            <SortableTable
              testId="teachers"
              searchLabel={t('search')}
              searchPlaceholder={t('searchPlaceholder')}
              columns={[
                { label: t('teacher') },
                { label: t('rank'), numeric: true },
                { label: t('respondents'), numeric: true },
                { label: t('score'), numeric: true },
                { label: t('shrunk'), numeric: true },
                { label: t('satisfaction'), numeric: true },
                ...teacherDims.map((d) => ({ label: d, numeric: true })),
              ]}
              rows={teachers.map((s) => ({
                key: s.key,
                href: print ? undefined : `/results/${roundId}/teachers/${s.key}`,
                note: s.belowThreshold ? t('belowThreshold') : s.withheld && !s.suppressed ? t('withheld') : undefined,
                cells: s.suppressed
                  ? [{ text: s.name, sort: s.name }, ...Array.from({ length: 5 + teacherDims.length }, () => ({ text: suppressed, sort: null, suppressed: true }))]
                  : [
                      { text: s.name, sort: s.name },
                      { text: s.rank === null ? '—' : String(s.rank), sort: s.rank },
                      { text: String(s.respondents), sort: s.respondents },
                      { text: fmtScore(s.score), sort: s.score },
                      { text: fmtScore(s.shrunk), sort: s.shrunk },
                      { text: fmtPct(s.satisfaction), sort: s.satisfaction },
                      ...teacherDims.map((d) => ({ text: fmtScore(s.dimensions?.[d]), sort: s.dimensions?.[d] ?? null })),
                    ],
              }))}
            />
          </>
        )}
      </section>
      <Comments comments={results.comments} />
      {!print && mayFileLedger(scope, schoolId) && (
        <>
          {own && <ItemsToLedger items={own.items} raterGroups={own.round.raterGroups} target={{ roundId, roundTitle: results.round.title, unitId: schoolId, subjectName: school.name }} />}
          <KeywordsToLedger comments={results.comments} target={{ roundId, roundTitle: results.round.title, unitId: schoolId, subjectName: school.name }} />
        </>
      )}
    </>
  );
}
