import { getFormatter, getTranslations } from 'next-intl/server';
import { OperationsNotice } from '@/app/_components/operations-notice';
import { getDb } from '@/lib/db/client';
import { districtCounts, primaryDistrict } from '@/lib/org/queries';
import { listRounds, responseRates } from '@/lib/rounds/queries';
import { unitIdsInScope } from '@/lib/auth/scope';

export const dynamic = 'force-dynamic';

function percent(n: number, d: number) {
  return d > 0 ? Math.round((n / d) * 1000) / 10 : 0;
}

/** The district at a glance: size, open rounds and their response rates (no scores: those need a login). */
export default async function HomePage() {
  const t = await getTranslations('home');
  const format = await getFormatter();
  const db = await getDb();
  const district = await primaryDistrict(db);
  if (!district) return <p>{t('emptyDatabase')}</p>;
  const scope = { role: 'office' as const, unitId: district.id };
  const counts = await districtCounts(db, district.id);
  const open = await listRounds(db, scope, { status: 'open' });
  const rates = await responseRates(db, open.map((r) => r.id), await unitIdsInScope(db, scope));

  return (
    <>
      <h1>{t('title', { district: district.name })}</h1>
      <p className="muted">{t('intro')}</p>
      <OperationsNotice />
      <div className="stats">
        <div className="stat">
          <b>{counts.schools}</b>
          {t('schools')}
        </div>
        <div className="stat">
          <b>{counts.classes}</b>
          {t('classes')}
        </div>
        <div className="stat">
          <b>{counts.staff}</b>
          {t('staff')}
        </div>
      </div>
      <h2>{t('openRounds')}</h2>
      {open.length === 0 && <p>{t('noOpenRounds')}</p>}
      {open.map((round) => (
        <section className="card" key={round.id} aria-label={round.title}>
          <h3>{round.title}</h3>
          <p className="muted">
            {t('closesAt')}: {format.dateTime(round.closesAt, { dateStyle: 'medium', timeStyle: 'short' })} · {t('rate')}{' '}
            {percent(round.responses, round.expected)}%
          </p>
          <table>
            <thead>
              <tr>
                <th>{t('school')}</th>
                <th className="num">{t('responses')}</th>
                <th className="num">{t('expected')}</th>
                <th className="num">{t('rate')}</th>
              </tr>
            </thead>
            <tbody>
              {rates
                .filter((r) => r.roundId === round.id)
                .map((r) => (
                  <tr key={r.schoolId}>
                    <td>{r.schoolName}</td>
                    <td className="num">{r.responses}</td>
                    <td className="num">{r.expected}</td>
                    <td className="num">
                      <progress max={100} value={percent(r.responses, r.expected)} /> {percent(r.responses, r.expected)}%
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
      <footer className="muted">
        <a href="/api/v1/openapi.json">{t('apiDocs')}</a> · <a href="/api/health">{t('health')}</a>
      </footer>
    </>
  );
}
