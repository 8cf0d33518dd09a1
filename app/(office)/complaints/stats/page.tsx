import { getTranslations } from 'next-intl/server';
import { requirePageSession } from '@/lib/auth/current';
import { complaintStats } from '@/lib/complaints/stats';
import { getDb } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

/** Complaint counts per school, category and month, for the office and the supervision post. */
export default async function ComplaintStatsPage() {
  const session = await requirePageSession('/complaints/stats', ['office', 'supervisor']);
  const t = await getTranslations('complaints');
  const stats = await complaintStats(await getDb(), session.scope);
  return (
    <>
      <h1>{t('stats.title')}</h1>
      <p className="muted">{t('stats.help')}</p>
      {stats.bySchool.length === 0 && <p>{t('stats.none')}</p>}
      {stats.bySchool.length > 0 && (
        <section className="card">
          <table data-testid="complaint-stats">
            <thead>
              <tr>
                <th>{t('stats.school')}</th>
                <th className="num">{t('stats.total')}</th>
                <th className="num">{t('stats.open')}</th>
                <th className="num">{t('stats.overdue')}</th>
                <th className="num">{t('stats.closed')}</th>
                <th className="num">{t('stats.meanDays')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.bySchool.map((r) => (
                <tr key={r.unitId}>
                  <td>{r.unitName}</td>
                  <td className="num">{r.total}</td>
                  <td className="num">{r.open}</td>
                  <td className="num">{r.overdue}</td>
                  <td className="num">{r.closed}</td>
                  <td className="num">{r.meanDaysToClose ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <div className="stats">
        <section className="card">
          <h2>{t('stats.byCategory')}</h2>
          <table>
            <tbody>
              {stats.byCategory.map((r) => (
                <tr key={r.category}>
                  <td>{t(`categories.${r.category}`)}</td>
                  <td className="num">{r.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card">
          <h2>{t('stats.byMonth')}</h2>
          <table>
            <tbody>
              {stats.byMonth.map((r) => (
                <tr key={r.month}>
                  <td>{r.month}</td>
                  <td className="num">{r.n}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </>
  );
}
