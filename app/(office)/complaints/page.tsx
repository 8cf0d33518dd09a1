import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { listComplaints } from '@/lib/complaints/handling';
import { getComplaintRules } from '@/lib/complaints/rules';
import { COMPLAINT_STEPS } from '@/lib/complaints/schemas';
import { getDb } from '@/lib/db/client';
import { COMPLAINT_STATUSES } from '@/lib/db/schema';

export const dynamic = 'force-dynamic';

/** 效能投诉 the caller handles: overdue steps first flagged, filters by status; the office also sets the step periods. */
export default async function ComplaintsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/complaints', ['office', 'school_admin']);
  const t = await getTranslations('complaints');
  const format = await getFormatter();
  const db = await getDb();
  const { status, overdue } = await searchParams;
  const query = { ...(status && (COMPLAINT_STATUSES as readonly string[]).includes(status) ? { status } : {}), ...(overdue ? { overdue: '1' } : {}) };
  const list = await listComplaints(db, session.scope, query);
  const office = session.user.role === 'office';
  const rules = office ? await getComplaintRules(db, session.scope) : null;
  const date = (iso: string | null) => (iso ? format.dateTime(new Date(iso), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Shanghai' }) : '—');
  return (
    <>
      <h1>
        {t('office.title')} {list.overdue > 0 && <span className="tag" data-testid="overdue-count">{t('office.overdue', { n: list.overdue })}</span>}
      </h1>
      <form method="get" className="card">
        <label>
          {t('office.status')}
          <select name="status" defaultValue={query.status ?? ''}>
            <option value="">{t('office.all')}</option>
            {COMPLAINT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-check">
          <input type="checkbox" name="overdue" value="1" defaultChecked={Boolean(overdue)} style={{ display: 'inline-block', width: 'auto' }} /> {t('office.onlyOverdue')}
        </label>
        <button type="submit">{t('office.filter')}</button>
      </form>
      {list.complaints.length === 0 ? (
        <EmptyState title={t('office.none')} next={t('office.posterHelp')} action={office ? { href: '/complaints/poster', label: t('office.poster') } : undefined} />
      ) : (
        <section className="card">
          <table>
            <thead>
              <tr>
                <th>{t('office.received')}</th>
                <th>{t('office.unit')}</th>
                <th>{t('office.person')}</th>
                <th>{t('category')}</th>
                <th>{t('office.status')}</th>
                <th>{t('office.handlingUnit')}</th>
                <th>{t('office.stepDue')}</th>
              </tr>
            </thead>
            <tbody>
              {list.complaints.map((c) => (
                <tr key={c.id} data-complaint={c.id} className={c.overdue ? 'selected' : undefined}>
                  <td>
                    <Link href={`/complaints/${c.id}`}>{date(c.createdAt)}</Link>
                  </td>
                  <td>{c.unitName}</td>
                  <td>{c.staffName ?? c.personName ?? '—'}</td>
                  <td>{t(`categories.${c.category}`)}</td>
                  <td>{t(`statuses.${c.status}`)}</td>
                  <td>{c.handlingUnitName ?? '—'}</td>
                  <td>
                    {date(c.stepDueAt)} {c.overdue && <span className="tag">{t('office.overdueTag')}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {office && (
        <p>
          <Link href="/complaints/poster">{t('office.poster')}</Link>
        </p>
      )}
      {rules && (
        <section className="card">
          <h2>{t('office.rules')}</h2>
          <p className="muted">{t('office.rulesHelp')}</p>
          <ApiForm method="PUT" action="/api/v1/complaint-rules" submitLabel={t('office.save')} successText={t('office.saved')}>
            {COMPLAINT_STEPS.map((s) => (
              <label key={s}>
                {t(`office.steps.${s}`)}
                <input name={`days.${s}`} type="number" min={1} max={60} data-type="number" defaultValue={rules.days[s]} />
              </label>
            ))}
          </ApiForm>
        </section>
      )}
    </>
  );
}
