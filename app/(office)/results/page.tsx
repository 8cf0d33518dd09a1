import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { ChartView } from '@/app/_components/chart';
import { requirePageSession } from '@/lib/auth/current';
import { bySchool, trendLines } from '@/lib/charts/datasets';
import { getDb, getReadDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { getTrends } from '@/lib/results/trends';
import { listRounds } from '@/lib/rounds/queries';
import { effectiveStatus } from '@/lib/rounds/status';
import { getRoundResults } from '@/lib/scoring/queries';
import type { RoundResults } from '@/lib/scoring/schemas';
import { fmtPct } from './_lib';

export const dynamic = 'force-dynamic';

/** District overview: every round with its response rate, satisfaction by school in the latest one, and the trend. */
export default async function ResultsOverview() {
  const session = await requirePageSession('/results');
  const t = await getTranslations('results');
  const db = await getDb();
  // figures from the replica when there is one (release and scope are still the primary's)
  const replica = await getReadDb();
  const scope = session.scope;
  const term = (schoolYear: string, n: number) => `${schoolYear} ${t(`terms.${n}` as 'terms.1')}`;

  if (scope.role === 'staff') {
    const mine = scope.staffId ? await getTrends(db, scope, { subjectId: scope.staffId, limit: 12 }, replica) : { rounds: [] };
    return (
      <>
        <h1>{t('my')}</h1>
        {!mine.rounds.length && <p className="notice">{t('noRelease')}</p>}
        <ul>
          {mine.rounds.map((r) => (
            <li key={r.id}>
              <Link href={`/results/${r.id}/teachers/${scope.staffId}`}>{r.title}</Link> <span className="muted">{term(r.schoolYear, r.term)}</span>
            </li>
          ))}
        </ul>
      </>
    );
  }

  const rounds = (await listRounds(db, scope, { limit: 50 })).filter((r) => r.status !== 'draft');
  const released = (r: (typeof rounds)[number]) => (scope.role === 'office' ? true : Boolean(r.releasedToSchoolsAt));
  // the newest round whose results this caller may read and that has answers
  let latest: RoundResults | null = null;
  for (const r of rounds.filter((x) => released(x) && x.responses > 0 && !x.testMode)) {
    try {
      latest = await getRoundResults(db, scope, r.id, { level: 'district' }, { replica });
      break;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
    }
  }
  const trends = await getTrends(db, scope, { limit: 12 }, replica);
  const points = trends.rounds.map((r) => ({
    label: term(r.schoolYear, r.term),
    values: { [t('district')]: r.district?.satisfaction ?? null, ...Object.fromEntries(r.schools.map((s) => [s.name, s.satisfaction])) },
  }));
  const office = scope.role === 'office';
  return (
    <>
      <h1>{t('overview')}</h1>
      {!rounds.length && (
        <p className="notice" data-testid="empty">
          {t('noRounds')} {office && <Link href="/rounds/new">{t('newRound')}</Link>}
        </p>
      )}
      {rounds.length > 0 && (
        <section className="card">
          <h2>{t('rounds')}</h2>
          <div className="table-scroll">
            <table data-testid="rounds">
              <thead>
                <tr>
                  <th scope="col">{t('round')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col" className="num">{t('responses')}</th>
                  <th scope="col" className="num">{t('expected')}</th>
                  <th scope="col" className="num">{t('rate')}</th>
                </tr>
              </thead>
              <tbody>
                {rounds.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link href={`/results/${r.id}`}>{r.title}</Link> <span className="muted">{term(r.schoolYear, r.term)}</span>
                    </td>
                    <td>
                      {t(`statuses.${effectiveStatus(r)}`)}
                      {office && <span className="muted"> · {t(`released.${r.releasedToStaffAt ? 'staff' : r.releasedToSchoolsAt ? 'schools' : 'none'}`)}</span>}
                    </td>
                    <td className="num">{r.responses}</td>
                    <td className="num">{r.expected}</td>
                    <td className="num">{r.expected ? fmtPct(r.responses / r.expected) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {rounds.length > 0 && !latest && <p className="notice">{office ? t('noAnswers') : t('noRelease')}</p>}
      {latest && (
        <section className="card">
          <h2>
            <Link href={`/results/${latest.round.id}`}>{latest.round.title}</Link>
          </h2>
          <div className="charts">
            <ChartView spec={bySchool(latest, 'satisfaction', { title: t('satisfactionBySchool'), series: t('satisfaction'), mean: t('districtMean'), interval: t('interval95'), n: t('n') })} suppressedText={t('suppressed')} />
            <ChartView spec={bySchool(latest, 'score', { title: t('scoreBySchool'), series: t('score'), mean: t('districtMean'), interval: t('interval95'), n: t('n') })} suppressedText={t('suppressed')} />
          </div>
        </section>
      )}
      {points.length > 1 && (
        <section className="card">
          <h2>{t('trend')}</h2>
          <ChartView spec={trendLines(t('trendSatisfaction'), points, true)} suppressedText={t('suppressed')} />
        </section>
      )}
    </>
  );
}
