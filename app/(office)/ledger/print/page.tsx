import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { PrintButton } from '@/app/_components/print-button';
import { requirePageSession } from '@/lib/auth/current';
import { unitIdsInScope } from '@/lib/auth/scope';
import { shanghaiDay } from '@/lib/campaigns/campaigns';
import { getDb } from '@/lib/db/client';
import { units } from '@/lib/db/schema';
import { ledgerRowsForExport } from '@/lib/ledger/ledger';
import './print.css';

export const dynamic = 'force-dynamic';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One school's 整改台帐 to print (A4 landscape): 序号, 存在问题, 整改措施, 整改目标, 整改时限, 责任人,
 * 整改进展, 整改效果, 是否销号, overdue rows flagged. The rows are the xlsx export's, scoped the same way.
 */
export default async function LedgerPrintPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/ledger/print', ['office', 'school_admin', 'supervisor']);
  const t = await getTranslations('ledger');
  const tx = await getTranslations('ledgerExtras');
  const db = await getDb();
  const search = await searchParams;
  const scope = session.scope;
  const schools = await db
    .select({ id: units.id, name: units.name })
    .from(units)
    .where(and(inArray(units.id, scope.role === 'school_admin' ? [scope.unitId] : await unitIdsInScope(db, scope)), eq(units.kind, 'school')))
    .orderBy(asc(units.sortOrder), asc(units.name));
  const chosen = scope.role === 'school_admin' ? schools[0] : schools.find((s) => search.unitId && UUID.test(search.unitId) && s.id === search.unitId);
  if (!chosen) {
    return (
      <>
        <p>
          <Link href="/ledger">{t('page.back')}</Link>
        </p>
        <h1>{tx('print')}</h1>
        <form method="get" className="card">
          <label>
            {tx('choose')}
            <select name="unitId">
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{tx('open')}</button>
        </form>
      </>
    );
  }
  const now = new Date();
  const rows = await ledgerRowsForExport(db, scope, { unitId: chosen.id }, now);
  const overdue = rows.filter((r) => r.overdue).length;
  return (
    <div className="ledger-print">
      <p className="no-print">
        <Link href="/ledger">{t('page.back')}</Link>
      </p>
      <PrintButton label={tx('print')} hint={tx('printHint')} />
      <h1>{tx('printTitle', { school: chosen.name })}</h1>
      <p>
        {tx('printAsOf', { date: shanghaiDay(now) })}
        {overdue > 0 && <span className="overdue-mark"> · {tx('overdueCount', { n: overdue })}</span>}
      </p>
      <table data-testid="ledger-print">
        <colgroup>
          <col className="seq" />
          <col />
          <col />
          <col />
          <col className="due" />
          <col className="person" />
          <col />
          <col />
          <col className="verified" />
        </colgroup>
        <thead>
          <tr>
            {(['seq', 'problem', 'measure', 'target', 'dueOn', 'responsible', 'progress', 'effect', 'verified'] as const).map((c) => (
              <th key={c} scope="col">
                {t(`export.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} className={r.overdue ? 'overdue' : undefined} data-overdue={r.overdue || undefined}>
              <td>{r.seq}</td>
              <td>{r.problem}</td>
              <td>{r.measure}</td>
              <td>{r.target}</td>
              <td>
                {r.dueOn}
                {r.overdue && <div className="overdue-mark">{t('overdue')}</div>}
              </td>
              <td>{r.responsibleName ?? ''}</td>
              <td>
                {[...r.notes.filter((n) => n.body && n.status !== 'verified').map((n) => `${shanghaiDay(n.at)} ${n.body}`), t(`statuses.${r.status}`)].join('\n')}
              </td>
              <td>{r.effect ?? ''}</td>
              <td>{r.status === 'verified' ? t('export.yes') : t('export.no')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
