import { eq } from 'drizzle-orm';
import Link from '@/app/_components/link';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { ChartView } from '@/app/_components/chart';
import { LiveProgress } from '@/app/_components/live-progress';
import { SortableTable } from '@/app/_components/sortable-table';
import { requirePageSession } from '@/lib/auth/current';
import { bySchool, differenceFromMean, dimensionRadar, dimensionsOf } from '@/lib/charts/datasets';
import { getDb } from '@/lib/db/client';
import { rounds } from '@/lib/db/schema';
import { effectiveStatus } from '@/lib/rounds/status';
import { filtersOf, fmtPct, fmtScore, loadResults, queryString } from '../_lib';
import { Filters } from '../_views/filters';
import { NotReleased } from '../_views/not-released';

export const dynamic = 'force-dynamic';

/** One round: live response rate while open, then every school's figures (bars, radar, a sortable table). */
export default async function RoundResultsPage({ params, searchParams }: { params: Promise<{ roundId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { roundId } = await params;
  const session = await requirePageSession(`/results/${roundId}`);
  const scope = session.scope;
  if (scope.role === 'staff' && scope.staffId) redirect(`/results/${roundId}/teachers/${scope.staffId}`);
  const t = await getTranslations('results');
  const filters = filtersOf(await searchParams);
  const loaded = await loadResults(scope, roundId, { level: 'district', ...filters });
  if ('notReleased' in loaded) return <NotReleased />;
  const { results } = loaded;
  const r = results.round;
  // loadResults has checked the caller may read this round
  const [window] = await (await getDb()).select({ status: rounds.status, opensAt: rounds.opensAt, closesAt: rounds.closesAt }).from(rounds).where(eq(rounds.id, roundId));
  const status = effectiveStatus(window!);
  const dims = dimensionsOf(r.dimensions, [results.district, ...results.schools]);
  const office = scope.role === 'office';
  const suppressed = t('suppressed');
  const figureLabels = { mean: t('districtMean'), interval: t('interval95'), n: t('n') };
  return (
    <>
      <h1>{r.title}</h1>
      <p className="muted">
        {r.schoolYear} {t(`terms.${r.term}` as 'terms.1')} · {r.raterGroups.map((g) => `${g.name} ${g.weight}%`).join(' · ')}
      </p>
      <p className="no-print actions">
        <a href={`/api/v1/rounds/${roundId}/results/export${queryString({ level: 'district', raterGroupId: filters.raterGroupId })}`}>{t('export')}</a> ·{' '}
        <a href={`/api/v1/rounds/${roundId}/results/export${queryString({ level: 'district', raterGroupId: filters.raterGroupId, format: 'pdf' })}`} download>
          {t('exportPdf')}
        </a>
        {office && (
          <>
            {' · '}
            <a href={`/api/v1/rounds/${roundId}/results/export?kind=raw`}>{t('exportRaw')}</a>
          </>
        )}
      </p>
      {status === 'open' && (
        <section className="card">
          <h2>{t('progress')}</h2>
          <LiveProgress
            roundId={roundId}
            labels={{ title: t('progressChart'), rate: t('rate'), received: t('received'), expected: t('expected'), suppressed, updated: t('updatedEvery') }}
          />
        </section>
      )}
      <Filters results={results} current={filters} />
      {!results.district?.respondents ? (
        <p className="notice">
          {t('noAnswers')} {office && <Link href={`/rounds/${roundId}`}>{t('goRound')}</Link>}
        </p>
      ) : (
        <>
          <section className="card">
            <div className="charts">
              <ChartView spec={bySchool(results, 'satisfaction', { ...figureLabels, title: t('satisfactionBySchool'), series: t('satisfaction') })} suppressedText={suppressed} />
              <ChartView spec={bySchool(results, 'score', { ...figureLabels, title: t('scoreBySchool'), series: t('score') })} suppressedText={suppressed} />
            </div>
            <div className="charts">
              <ChartView spec={differenceFromMean(results.schools, results.district, 'satisfaction', { ...figureLabels, title: t('satisfactionDiff'), series: t('difference') })} suppressedText={suppressed} />
              <ChartView spec={differenceFromMean(results.schools, results.district, 'score', { ...figureLabels, title: t('scoreDiff'), series: t('difference') })} suppressedText={suppressed} />
            </div>
            {dims.length >= 3 && (
              <ChartView
                spec={dimensionRadar(t('radar'), dims, [{ label: t('districtMean'), summary: results.district }, ...results.schools.map((s) => ({ label: s.name, summary: s }))])}
                suppressedText={suppressed}
                height={380}
              />
            )}
          </section>
          <section className="card">
            <h2>{t('schools')}</h2>
            <SortableTable
              testId="schools"
              searchLabel={t('search')}
              searchPlaceholder={t('searchPlaceholder')}
              columns={[{ label: t('school') }, { label: t('respondents'), numeric: true }, { label: t('score'), numeric: true }, { label: t('satisfaction'), numeric: true }, ...dims.map((d) => ({ label: d, numeric: true }))]}
              rows={results.schools.map((s) => ({
                key: s.key,
                href: `/results/${roundId}/schools/${s.key}`,
                note: s.belowThreshold ? t('belowThreshold') : undefined,
                cells: s.suppressed
                  ? [{ text: s.name, sort: s.name }, ...Array.from({ length: 3 + dims.length }, () => ({ text: suppressed, sort: null, suppressed: true }))]
                  : [
                      { text: s.name, sort: s.name },
                      { text: String(s.respondents), sort: s.respondents },
                      { text: fmtScore(s.score), sort: s.score },
                      { text: fmtPct(s.satisfaction), sort: s.satisfaction },
                      ...dims.map((d) => ({ text: fmtScore(s.dimensions?.[d]), sort: s.dimensions?.[d] ?? null })),
                    ],
              }))}
            />
          </section>
          {results.subjects.length > 0 && (
            <section className="card">
              <h2>{t('districtSubjects')}</h2>
              <SortableTable
                testId="district-subjects"
                searchLabel={t('search')}
                searchPlaceholder={t('searchPlaceholder')}
                columns={[{ label: t('subjectName') }, { label: t('respondents'), numeric: true }, { label: t('score'), numeric: true }, ...dims.map((d) => ({ label: d, numeric: true }))]}
                rows={results.subjects.map((s) => ({
                  key: s.key,
                  href: `/results/${roundId}/teachers/${s.key}`,
                  cells: [
                    { text: s.name, sort: s.name },
                    { text: String(s.respondents ?? ''), sort: s.respondents },
                    { text: fmtScore(s.score), sort: s.score },
                    ...dims.map((d) => ({ text: fmtScore(s.dimensions?.[d]), sort: s.dimensions?.[d] ?? null })),
                  ],
                }))}
              />
            </section>
          )}
        </>
      )}
    </>
  );
}
