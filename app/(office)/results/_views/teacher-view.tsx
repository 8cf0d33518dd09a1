import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { ChartView } from '@/app/_components/chart';
import { PrintButton } from '@/app/_components/print-button';
import type { Scope } from '@/lib/auth/scope';
import { dimensionRadar, dimensionsOf, distributionBars, gradeShares, trendLines } from '@/lib/charts/datasets';
import { getDb, getReadDb } from '@/lib/db/client';
import { getTrends } from '@/lib/results/trends';
import { fmtPct, fmtScore, loadResults, queryString, UUID } from '../_lib';
import { Comments } from './comments';
import { NotReleased } from './not-released';
import { ItemsToLedger, KeywordsToLedger, mayFileLedger } from './to-ledger';

/**
 * One teacher's results with their school's and the district's beside them. A teacher reaches only
 * their own (getRoundResults refuses any other with 403); a school admin only their school's staff.
 */
export async function TeacherView({ scope, roundId, staffId, filters, print }: { scope: Scope; roundId: string; staffId: string; filters: { raterGroupId?: string }; print?: boolean }) {
  const t = await getTranslations('results');
  if (!UUID.test(staffId)) return null;
  const loaded = await loadResults(scope, roundId, { level: 'subject', subjectId: staffId, ...filters });
  if ('notReleased' in loaded) return <NotReleased />;
  const { results } = loaded;
  const subject = results.subject!;
  const school = results.school;
  const suppressed = t('suppressed');
  const dims = dimensionsOf(results.round.dimensions, [subject]);
  const groupName = (id: string) => results.round.raterGroups.find((g) => g.id === id)?.name ?? '';
  const trends = await getTrends(await getDb(), scope, { subjectId: staffId, limit: 12 }, await getReadDb());
  const points = trends.rounds.map((r) => ({
    label: `${r.schoolYear} ${t(`terms.${r.term}` as 'terms.1')}`,
    values: { [subject.name]: r.subject?.score ?? null, [t('schoolMean')]: r.schools[0]?.score ?? null, [t('districtMean')]: r.district?.score ?? null },
  }));
  const rows = [
    { label: `${subject.name}（${t('mine')}）`, s: subject },
    { label: t('schoolMean'), s: school },
    { label: t('districtMean'), s: results.district },
  ];
  const schoolHref = school && scope.role !== 'staff' ? `/results/${roundId}/schools/${school.key}` : null;
  return (
    <>
      <h1>
        {subject.name} · {t(subject.type === 'unit' ? 'unitPage' : 'teacherPage')}
      </h1>
      <p className="muted">
        {school?.name} · {results.round.title} · {results.round.schoolYear} {t(`terms.${results.round.term}` as 'terms.1')}
      </p>
      {print ? (
        <PrintButton label={t('print')} hint={t('printHint')} />
      ) : (
        <p className="no-print actions">
          {schoolHref && (
            <>
              <Link href={schoolHref}>{t('backToSchool')}</Link> ·{' '}
            </>
          )}
          <a href={`/api/v1/rounds/${roundId}/results/export${queryString({ level: 'subject', subjectId: staffId, raterGroupId: filters.raterGroupId })}`}>{t('export')}</a> ·{' '}
          <a href={`/api/v1/rounds/${roundId}/results/export${queryString({ level: 'subject', subjectId: staffId, raterGroupId: filters.raterGroupId, format: 'pdf' })}`} download>
            {t('exportPdf')}
          </a>{' '}
          ·{' '}
          <Link href={`/results/${roundId}/teachers/${staffId}/report`}>{t('print')}</Link>
        </p>
      )}
      <section className="card">
        <table data-testid="teacher-summary">
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col" className="num">{t('respondents')}</th>
              <th scope="col" className="num">{t('score')}</th>
              <th scope="col" className="num">{t('satisfaction')}</th>
              {dims.map((d) => (
                <th key={d} scope="col" className="num">
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ label, s }) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {!s || s.suppressed ? (
                  <td colSpan={3 + dims.length} className="suppressed">
                    {suppressed}
                  </td>
                ) : (
                  <>
                    <td className="num">{s.respondents}</td>
                    <td className="num">{fmtScore(s.score)}</td>
                    <td className="num">{fmtPct(s.satisfaction)}</td>
                    {dims.map((d) => (
                      <td key={d} className="num">
                        {fmtScore(s.dimensions?.[d])}
                      </td>
                    ))}
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {subject.renormalised && !subject.suppressed && <p className="muted">{t('renormalised')}</p>}
        {subject.withheld && !subject.suppressed && <p className="muted">{t('withheldNote')}</p>}
        {!subject.suppressed && (
          <div className="charts">
            {dims.length >= 3 && (
              <ChartView
                spec={dimensionRadar(t('radar'), dims, [
                  { label: subject.name, summary: subject },
                  { label: t('schoolMean'), summary: school },
                  { label: t('districtMean'), summary: results.district },
                ])}
                suppressedText={suppressed}
                height={360}
              />
            )}
            {results.items.length > 0 && <ChartView spec={distributionBars(t('distribution'), results.items)} suppressedText={suppressed} />}
            {results.grades.length > 0 && <ChartView spec={gradeShares(t('grades'), results.grades, groupName)} suppressedText={suppressed} />}
          </div>
        )}
      </section>
      {results.parts.length > 1 && (
        <section className="card">
          <h2>{t('parts')}</h2>
          <table data-testid="subject-parts">
            <thead>
              <tr>
                <th scope="col">{t('part')}</th>
                <th scope="col" className="num">{t('respondents')}</th>
                <th scope="col" className="num">{t('score')}</th>
                {results.round.raterGroups.map((g) => (
                  <th key={g.id} scope="col" className="num">
                    {g.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {results.parts.map((p) => (
                <tr key={p.key}>
                  <th scope="row">{p.type === 'district' ? t('districtPart') : p.name}</th>
                  {p.suppressed ? (
                    <td colSpan={2 + results.round.raterGroups.length} className="suppressed">
                      {suppressed}
                    </td>
                  ) : (
                    <>
                      <td className="num">{p.respondents}</td>
                      <td className="num">{fmtScore(p.score)}</td>
                      {results.round.raterGroups.map((g) => {
                        const cell = p.groups.find((x) => x.raterGroupId === g.id);
                        return (
                          <td key={g.id} className={cell?.suppressed ? 'suppressed num' : 'num'}>
                            {cell?.suppressed ? suppressed : fmtScore(cell?.score)}
                          </td>
                        );
                      })}
                    </>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">{t('partsHelp')}</p>
        </section>
      )}
      {points.length > 1 && (
        <section className="card">
          <h2>{t('trend')}</h2>
          <ChartView spec={trendLines(t('trendScore'), points, false)} suppressedText={suppressed} />
        </section>
      )}
      <Comments comments={results.comments} />
      {!print && subject.type === 'staff' && mayFileLedger(scope, school?.key) && (
        <>
          <ItemsToLedger items={results.items} raterGroups={results.round.raterGroups} target={{ roundId, roundTitle: results.round.title, unitId: school!.key, subjectName: subject.name, staffId }} />
          <KeywordsToLedger comments={results.comments} target={{ roundId, roundTitle: results.round.title, unitId: school!.key, subjectName: subject.name, staffId }} />
        </>
      )}
    </>
  );
}
