import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { unitIdsInScope } from '@/lib/auth/scope';
import { getDb } from '@/lib/db/client';
import { LEDGER_SOURCES, LEDGER_STATUSES, units } from '@/lib/db/schema';
import { listLedgerItems } from '@/lib/ledger/ledger';
import { readPrefill } from './_lib';

export const dynamic = 'force-dynamic';

const PER_PAGE = 50;

/** 整改台帐: the caller's schools' items (overdue flagged, filters, paging), the xlsx, and a new item. */
export default async function LedgerPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/ledger', ['office', 'school_admin', 'supervisor']);
  const t = await getTranslations('ledger');
  const tc = await getTranslations('commitments');
  const db = await getDb();
  const search = await searchParams;
  const status = search.status && (LEDGER_STATUSES as readonly string[]).includes(search.status) ? search.status : undefined;
  const page = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const q = search.q?.trim().slice(0, 100) || undefined;
  const list = await listLedgerItems(db, session.scope, { page: String(page), limit: String(PER_PAGE), ...(q ? { q } : {}), ...(status ? { status } : {}), ...(search.overdue ? { overdue: '1' } : {}) });
  const role = session.user.role;
  const mayCreate = role === 'office' || role === 'school_admin';
  // 列入整改台帐 from a round's result, a comment keyword or a complaint opens this form filled in
  const prefill = readPrefill(search);
  const tx = await getTranslations('ledgerExtras');
  const schools = role === 'office'
    ? await db.select({ id: units.id, name: units.name }).from(units).where(and(inArray(units.id, await unitIdsInScope(db, session.scope)), eq(units.kind, 'school'), eq(units.active, true))).orderBy(asc(units.sortOrder), asc(units.name))
    : [];
  return (
    <>
      <h1>
        {t('title')} {list.overdue > 0 && <span className="tag" data-testid="ledger-overdue">{t('page.overdueCount', { n: list.overdue })}</span>}
      </h1>
      <form method="get" className="card">
        <label>
          {t('page.status')}
          <select name="status" defaultValue={status ?? ''}>
            <option value="">{t('page.all')}</option>
            {LEDGER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-check">
          <input type="checkbox" name="overdue" value="1" defaultChecked={Boolean(search.overdue)} style={{ display: 'inline-block', width: 'auto' }} /> {t('page.onlyOverdue')}
        </label>
        <button type="submit">{t('page.filter')}</button>
      </form>
      <p>
        <a href="/api/v1/ledger/export" download>
          {t('page.xlsx')}
        </a>{' '}
        · <Link href="/ledger/print">{tx('print')}</Link>{' '}
        · <a href="/commitments#public-pages">{tc('publicPages')}</a>
      </p>
      {list.items.length === 0 ? (
        <EmptyState title={t('page.none')} next={t('page.noneNext')} />
      ) : (
        <section className="card">
          <table>
            <thead>
              <tr>
                <th>{t('export.school')}</th>
                <th>{t('export.seq')}</th>
                <th>{t('export.problem')}</th>
                <th>{t('export.responsible')}</th>
                <th>{t('export.dueOn')}</th>
                <th>{t('page.status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((i) => (
                <tr key={i.id} data-ledger-item={i.id} className={i.overdue ? 'selected' : undefined}>
                  <td>{i.unitName}</td>
                  <td>{i.seq}</td>
                  <td>
                    <Link href={`/ledger/${i.id}`}>{i.problem.length > 60 ? `${i.problem.slice(0, 60)}…` : i.problem}</Link>
                  </td>
                  <td>{i.responsibleName ?? '—'}</td>
                  <td>
                    {i.dueOn} {i.overdue && <span className="tag">{t('overdue')}</span>}
                  </td>
                  <td>{t(`statuses.${i.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListControls total={list.total} page={page} limit={PER_PAGE} q={q} placeholder={t('page.search')} />
        </section>
      )}
      {mayCreate && (
        <section className="card" id="new-item">
          <h2>{t('page.create')}</h2>
          {prefill && <p className="notice" data-testid="ledger-prefilled">{tx('prefilled')}</p>}
          <ApiForm method="POST" action="/api/v1/ledger" submitLabel={t('page.createSubmit')} successText={t('page.created')}>
            {prefill?.complaintId && <input type="hidden" name="complaintId" value={prefill.complaintId} />}
            {prefill?.sourceRoundId && <input type="hidden" name="sourceRoundId" value={prefill.sourceRoundId} />}
            {prefill?.sourceRoundId && prefill.sourceQuestion && <input type="hidden" name="sourceQuestion" value={prefill.sourceQuestion} />}
            {prefill?.responsibleStaffId && <input type="hidden" name="responsibleStaffId" value={prefill.responsibleStaffId} />}
            {role === 'office' && (
              <label>
                {t('export.school')}
                <select name="unitId" defaultValue={prefill?.unitId}>
                  {schools.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {prefill?.complaintId ? (
              <p>
                {t('page.source')}：{tx('fromComplaint')} · <Link href={`/complaints/${prefill.complaintId}`}>{t('page.complaint')}</Link>
              </p>
            ) : (
              <label>
                {t('page.source')}
                <select name="source" defaultValue={prefill?.sourceRoundId ? 'round' : 'self_inspection'}>
                  {LEDGER_SOURCES.filter((s) => s !== 'complaint').map((s) => (
                    <option key={s} value={s}>
                      {t(`sources.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {(prefill?.sourceDetail || prefill?.sourceRoundId) && (
              <label>
                {tx('fromRound')} <input name="sourceDetail" defaultValue={prefill.sourceDetail} maxLength={500} data-optional />
              </label>
            )}
            <label>
              {t('export.problem')} <textarea name="problem" rows={3} maxLength={2000} defaultValue={prefill?.problem} />
            </label>
            <label>
              {t('export.measure')} <textarea name="measure" rows={3} maxLength={2000} />
            </label>
            <label>
              {t('export.target')} <textarea name="target" rows={2} maxLength={1000} />
            </label>
            <label>
              {t('export.dueOn')} <input name="dueOn" type="date" />
            </label>
          </ApiForm>
        </section>
      )}
    </>
  );
}
