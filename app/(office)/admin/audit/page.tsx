import { getFormatter, getTranslations } from 'next-intl/server';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { listAudit } from '@/lib/auth/admin';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';

export const dynamic = 'force-dynamic';

const PER_PAGE = 100;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/admin/audit', ['office']);
  const t = await getTranslations('admin');
  const format = await getFormatter();
  const q = await searchParams;
  const date = (s: string | undefined) => (s && !Number.isNaN(Date.parse(s)) ? new Date(s) : undefined);
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const search = q.q?.trim().slice(0, 100) || undefined;
  const entries = await listAudit(await getDb(), session.scope, {
    action: q.action || undefined,
    entityType: q.entityType || undefined,
    from: date(q.from),
    to: date(q.to),
    q: search,
    page,
    limit: PER_PAGE,
  });
  return (
    <>
      <h1>{t('auditTitle')}</h1>
      <form className="card" method="get">
        <label className="inline">
          {t('action')} <input name="action" defaultValue={q.action} placeholder="user.update" />
        </label>
        <label className="inline">
          {t('entityType')} <input name="entityType" defaultValue={q.entityType} placeholder="user" />
        </label>
        <label className="inline">
          {t('from')} <input name="from" type="date" defaultValue={q.from} />
        </label>
        <label className="inline">
          {t('to')} <input name="to" type="date" defaultValue={q.to} />
        </label>
        <button type="submit">{t('filter')}</button>
      </form>
      <section className="card">
        <ListControls total={entries.total} page={page} limit={PER_PAGE} q={search} placeholder={t('searchAudit')} />
        {entries.length === 0 ? (
          <p>{t('noEntries')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('at')}</th>
                <th>{t('actor')}</th>
                <th>{t('action')}</th>
                <th>{t('entityType')}</th>
                <th>{t('summary')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{format.dateTime(e.at, { dateStyle: 'short', timeStyle: 'medium' })}</td>
                  <td>{e.actorUser ?? (e.actorApiKey ? `🔑 ${e.actorApiKey}` : e.actorLabel)}</td>
                  <td>{e.action}</td>
                  <td>{e.entityType}</td>
                  <td>
                    <code>{JSON.stringify(e.summary)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
