import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { publicAnnouncement } from '@/lib/assessment/queries';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The public 公示 page (no login): name, position and 等次 only (and the schools' 等次), while the window is open. */
export default async function AnnouncementPage({ params }: { params: Promise<{ yearId: string }> }) {
  const { yearId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(yearId)) notFound();
  const t = await getTranslations('assessment');
  const format = await getFormatter();
  const a = await publicAnnouncement(await getDb(), yearId).catch((e) => {
    if (e instanceof DomainError) notFound();
    throw e;
  });
  const endsAt = a.endsAt ? format.dateTime(a.endsAt, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Asia/Shanghai' }) : '';
  return (
    <>
      <h1>{t('public.heading', { year: a.year })}</h1>
      {!a.open ? (
        <p>{t('public.closed')}</p>
      ) : (
        <>
          <p>{t('public.intro', { unit: a.unitName, year: a.year, endsAt })}</p>
          <section className="card">
            <table>
              <thead>
                <tr>
                  <th>{t('export.name')}</th>
                  <th>{t('public.unit')}</th>
                  <th>{t('public.position')}</th>
                  <th>{t('public.grade')}</th>
                </tr>
              </thead>
              <tbody>
                {a.list.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>{r.unit}</td>
                    <td>{r.position}</td>
                    <td>{t(`grades.${r.grade}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          {a.units.length > 0 && (
            <section className="card" aria-label={t('public.units')}>
              <h2>{t('public.units')}</h2>
              <table>
                <thead>
                  <tr>
                    <th>{t('public.unit')}</th>
                    <th>{t('public.grade')}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.units.map((r) => (
                    <tr key={r.id}>
                      <td>{r.name}</td>
                      <td>{t(`grades.${r.grade}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
          <section className="card">
            <h2>{t('public.objection')}</h2>
            <ApiForm method="POST" action={`/api/v1/announcements/${yearId}/objections`} submitLabel={t('public.submit')} successText={t('public.thanks')}>
              <label>
                {t('public.yourName')} <input name="name" required />
              </label>
              <label>
                {t('public.contact')} <input name="contact" required />
              </label>
              <label>
                {t('public.about')}{' '}
                <select name="assessmentId" data-optional defaultValue="">
                  <option value="">—</option>
                  {a.list.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}（{r.unit}）
                    </option>
                  ))}
                  {a.units.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('public.body')} <textarea name="body" rows={4} required />
              </label>
            </ApiForm>
          </section>
        </>
      )}
    </>
  );
}
