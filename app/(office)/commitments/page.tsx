import { getTranslations } from 'next-intl/server';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { requirePageSession } from '@/lib/auth/current';
import { unitIdsInScope } from '@/lib/auth/scope';
import { listCommitments } from '@/lib/commitments/commitments';
import { getDb } from '@/lib/db/client';
import { COMMITMENT_STATUSES, units } from '@/lib/db/schema';
import { CommitmentActions, NewCommitmentForm } from './commitment-actions';

export const dynamic = 'force-dynamic';

const PER_PAGE = 50;
const KINDS = ['school', 'personal'] as const;

/**
 * 公开承诺: the office approves, returns and confirms its schools' commitments (supervisors read
 * them); a school admin makes the school's own and reads their staff's. Links to each school's
 * public page, which printed is the 公示卡 poster.
 */
export default async function CommitmentsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/commitments', ['office', 'school_admin', 'supervisor']);
  const t = await getTranslations('commitments');
  const db = await getDb();
  const search = await searchParams;
  const role = session.user.role;
  const pick = <T extends string>(v: string | undefined, allowed: readonly T[]) => (v && (allowed as readonly string[]).includes(v) ? (v as T) : undefined);
  const status = pick(search.status, COMMITMENT_STATUSES);
  const kind = pick(search.kind, KINDS);
  const page = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const q = search.q?.trim().slice(0, 100) || undefined;
  const schools =
    role === 'school_admin'
      ? await db.select({ id: units.id, name: units.name }).from(units).where(and(eq(units.id, session.scope.unitId), eq(units.kind, 'school')))
      : await db
          .select({ id: units.id, name: units.name })
          .from(units)
          .where(and(inArray(units.id, await unitIdsInScope(db, session.scope)), eq(units.kind, 'school'), eq(units.active, true)))
          .orderBy(asc(units.sortOrder), asc(units.name));
  const unitId = pick(search.unitId, schools.map((s) => s.id));
  const list = await listCommitments(db, session.scope, {
    page: String(page),
    limit: String(PER_PAGE),
    ...(q ? { q } : {}),
    ...(status ? { status } : {}),
    ...(kind ? { kind } : {}),
    ...(unitId ? { unitId } : {}),
    ...(search.overdue ? { overdue: '1' } : {}),
  });
  return (
    <>
      <h1>{role === 'school_admin' ? t('schoolTitle') : t('title')}</h1>
      {role === 'school_admin' && <p className="muted">{t('schoolIntro')}</p>}
      <form method="get" className="card">
        {schools.length > 1 && (
          <label>
            {t('fields.unit')}
            <select name="unitId" defaultValue={unitId ?? ''}>
              <option value="">{t('allSchools')}</option>
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('fields.status')}
          <select name="status" defaultValue={status ?? ''}>
            <option value="">{t('all')}</option>
            {COMMITMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('fields.kind')}
          <select name="kind" defaultValue={kind ?? ''}>
            <option value="">{t('all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-check">
          <input type="checkbox" name="overdue" value="1" defaultChecked={Boolean(search.overdue)} style={{ display: 'inline-block', width: 'auto' }} /> {t('onlyOverdue')}
        </label>
        <button type="submit">{t('filter')}</button>
      </form>
      {list.items.length === 0 ? (
        <EmptyState title={t('none')} next={t('noneNext')} />
      ) : (
        <section className="card">
          <table>
            <thead>
              <tr>
                <th>{t('fields.unit')}</th>
                <th>{t('fields.person')}</th>
                <th>{t('fields.body')}</th>
                <th>{t('fields.dueOn')}</th>
                <th>{t('fields.status')}</th>
                <th>{t('fields.fulfilment')}</th>
                <th>{t('fields.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id} data-commitment={c.id} className={c.overdue ? 'selected' : undefined}>
                  <td>{c.unitName}</td>
                  <td>{c.kind === 'school' ? t('kinds.school') : c.staffName}</td>
                  <td style={{ whiteSpace: 'pre-wrap', minWidth: '16em' }}>{c.body}</td>
                  <td>
                    {c.dueOn} {c.overdue && <span className="tag">{t('overdue')}</span>}
                  </td>
                  <td>
                    {t(`statuses.${c.status}`)}
                    {c.remark && <div className="muted">{t('remark', { remark: c.remark })}</div>}
                  </td>
                  <td style={{ whiteSpace: 'pre-wrap', minWidth: '10em' }}>{c.fulfilment ?? '—'}</td>
                  <td>
                    <CommitmentActions c={c} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ListControls total={list.total} page={page} limit={PER_PAGE} q={q} placeholder={t('search')} />
        </section>
      )}
      {role === 'school_admin' && (
        <section className="card">
          <h2>{t('create')}</h2>
          <NewCommitmentForm kind="school" />
        </section>
      )}
      <section className="card" aria-labelledby="public-pages">
        <h2 id="public-pages">{t('publicPages')}</h2>
        <ul>
          {schools.map((s) => (
            <li key={s.id}>
              <a href={`/gongkai/${s.id}`} data-gongkai={s.id}>
                {s.name} · {t('publicPage')}
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
