import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getCalendarYear } from '@/lib/calendar/calendar';
import { shanghaiDay } from '@/lib/campaigns/campaigns';
import { formatCalendarLines } from '@/lib/calendar/lines';
import { getDb } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

/**
 * The working-day calendar of the office's district or county, a year at a time: the holidays
 * (休) and swapped working days (班) that complaint deadlines and the 公示 window count with. The
 * office pastes the State Council's dates as lines; each listed day can be taken out.
 */
export default async function CalendarPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/admin/calendar', ['office']);
  const t = await getTranslations('calendar');
  const db = await getDb();
  const search = await searchParams;
  const thisYear = Number(shanghaiDay().slice(0, 4));
  const asked = Number.parseInt(search.year ?? '', 10);
  const year = asked >= 2000 && asked <= 2100 ? asked : thisYear;
  const cal = await getCalendarYear(db, session.scope, year);
  const action = `/api/v1/calendar/${year}`;
  return (
    <>
      <h1>{t('title', { year })}</h1>
      <p className="muted">{t('intro')}</p>
      <form method="get" className="card">
        <label>
          {t('year')} <input name="year" type="number" min={2000} max={2100} defaultValue={year} style={{ width: '8em' }} />
        </label>
        <button type="submit">{t('show')}</button>
      </form>
      <section className="card">
        <h2>{t('edit')}</h2>
        <p className="muted">{t('format')}</p>
        <ApiForm method="PUT" action={action} submitLabel={t('save')} successText={t('saved')} labels={{ lines: t('lines') }}>
          <label>
            {t('lines')}
            <textarea name="lines" rows={10} defaultValue={cal.lines} placeholder={`${year}-10-01..${year}-10-07 国庆节 休\n${year}-10-10 国庆节 班`} style={{ fontFamily: 'monospace' }} />
          </label>
        </ApiForm>
      </section>
      <section className="card">
        <h2>{t('days', { n: cal.days.length })}</h2>
        {cal.days.length === 0 ? (
          <p className="muted">{t('none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('day')}</th>
                <th>{t('name')}</th>
                <th>{t('kind')}</th>
                <th>{t('remove')}</th>
              </tr>
            </thead>
            <tbody>
              {cal.days.map((d) => (
                <tr key={d.day} data-day={d.day}>
                  <td>{d.day}</td>
                  <td>{d.name || '—'}</td>
                  <td>{d.working ? t('working') : t('holiday')}</td>
                  <td>
                    <ApiForm method="PUT" action={action} submitLabel={t('remove')} successText={t('removed')} danger>
                      <input type="hidden" name="lines" value={formatCalendarLines(cal.days.filter((x) => x.day !== d.day))} />
                    </ApiForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {cal.inherited.length > 0 && (
          <>
            <h3>{t('inherited')}</h3>
            <p className="muted" style={{ whiteSpace: 'pre-wrap' }}>{formatCalendarLines(cal.inherited)}</p>
          </>
        )}
      </section>
    </>
  );
}
