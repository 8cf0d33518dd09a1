import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getComplaint } from '@/lib/complaints/handling';
import { getDb } from '@/lib/db/client';
import { staff, units } from '@/lib/db/schema';
import { DomainError } from '@/lib/errors';
import { unitIdsInScope } from '@/lib/auth/scope';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { newLedgerItemHref } from '@/app/(office)/ledger/_lib';

export const dynamic = 'force-dynamic';

/** One complaint: the text, the steps so far (late ones marked) and the form for the next step. */
export default async function ComplaintPage({ params }: { params: Promise<{ complaintId: string }> }) {
  const { complaintId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(complaintId)) notFound();
  const session = await requirePageSession(`/complaints/${complaintId}`, ['office', 'school_admin']);
  const t = await getTranslations('complaints');
  const tx = await getTranslations('ledgerExtras');
  const tq = await getTranslations('accountability');
  const format = await getFormatter();
  const db = await getDb();
  const c = await getComplaint(db, session.scope, complaintId).catch((e) => {
    if (e instanceof DomainError) notFound();
    throw e;
  });
  const office = session.user.role === 'office';
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  const action = `/api/v1/complaints/${c.id}/actions`;
  const people = office && c.status === 'received' ? await db.select({ id: staff.id, name: staff.name, position: staff.position }).from(staff).where(and(eq(staff.unitId, c.unitId), eq(staff.active, true))).orderBy(asc(staff.name)) : [];
  const handlers =
    office && (c.status === 'accepted' || (c.status === 'rated' && c.rating === 'unsatisfied'))
      ? await db
          .select({ id: units.id, name: units.name })
          .from(units)
          .where(and(inArray(units.id, await unitIdsInScope(db, session.scope)), inArray(units.kind, ['school', 'office']), eq(units.active, true)))
          .orderBy(asc(units.sortOrder), asc(units.name))
      : [];
  const mayReply = c.status === 'assigned' && (office || c.handlingUnitId === session.scope.unitId);
  return (
    <>
      <p>
        <Link href="/complaints">{t('office.back')}</Link>
      </p>
      <h1>
        {t('office.detail')} · {t(`statuses.${c.status}`)} {c.overdue && <span className="tag">{t('office.overdueTag')}</span>}
      </h1>
      {office && (
        <p>
          <Link href={`/accountability?complaintId=${c.id}${c.staffId ? `&staffId=${c.staffId}` : ''}#create`} data-testid="record-accountability">
            {tq('recordFrom')}
          </Link>
        </p>
      )}
      <section className="card">
        <dl>
          <dt>{t('office.unit')}</dt>
          <dd>{c.unitName}</dd>
          <dt>{t('office.person')}</dt>
          <dd>{c.staffName ?? c.personName ?? '—'}</dd>
          <dt>{t('category')}</dt>
          <dd>{t(`categories.${c.category}`)}</dd>
          <dt>{t('office.complainant')}</dt>
          <dd>{c.anonymous ? t('office.anonymous') : office ? [c.name, c.contact].filter(Boolean).join(' · ') : t('office.identityHidden')}</dd>
          {c.stepDueAt && (
            <>
              <dt>{t('office.stepDue')}</dt>
              <dd>{date(c.stepDueAt)}</dd>
            </>
          )}
        </dl>
        <h2>{t('office.body')}</h2>
        <p style={{ whiteSpace: 'pre-wrap' }}>{c.body}</p>
        {c.rating && (
          <p>
            {t('office.rating')}：{t(`ratings.${c.rating}`)} {c.ratingComment && `· ${c.ratingComment}`}
          </p>
        )}
        {/* the office and the complaint's school admin both file ledger items; the API checks the school again */}
        <p className="no-print">
          <Link
            className="button"
            data-testid="complaint-to-ledger"
            title={tx('toLedgerHint')}
            href={newLedgerItemHref({ complaintId: c.id, unitId: office ? c.unitId : undefined, problem: tx('complaintProblem', { body: c.body.slice(0, 300) }), responsibleStaffId: (office || session.scope.unitId === c.unitId) && c.staffId ? c.staffId : undefined })}
          >
            {tx('toLedger')}
          </Link>
        </p>
      </section>
      <section className="card">
        <h2>{t('office.events')}</h2>
        <ol>
          {c.events.map((e, i) => (
            <li key={i}>
              {date(e.at)} · {t(`statuses.${e.status}`)}
              {e.actor && ` · ${e.actor}`}
              {e.late && (
                <>
                  {' '}
                  <span className="tag">{t('office.late')}</span>
                </>
              )}
              {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
            </li>
          ))}
        </ol>
      </section>
      <section className="card">
        <h2>{t('office.nextStep')}</h2>
        {(c.status === 'declined' || c.status === 'closed') && <p>{t('office.noStep')}</p>}
        {office && c.status === 'received' && (
          <>
            <ApiForm method="POST" action={action} submitLabel={t('office.accept')}>
              <input type="hidden" name="action" value="accept" />
              <label>
                {t('office.matchStaff')}
                <select name="staffId" data-optional defaultValue="">
                  <option value="">—</option>
                  {people.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}（{p.position}）
                    </option>
                  ))}
                </select>
              </label>
            </ApiForm>
            <ApiForm method="POST" action={action} submitLabel={t('office.decline')} danger>
              <input type="hidden" name="action" value="decline" />
              <label>
                {t('office.reason')} <textarea name="reason" rows={2} maxLength={500} />
              </label>
            </ApiForm>
          </>
        )}
        {handlers.length > 0 && (
          <ApiForm method="POST" action={action} submitLabel={t('office.assign')}>
            <input type="hidden" name="action" value="assign" />
            <label>
              {t('office.assignTo')}
              <select name="unitId" defaultValue={c.unitId}>
                {handlers.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('office.note')} <textarea name="note" rows={2} maxLength={500} data-optional />
            </label>
          </ApiForm>
        )}
        {mayReply && (
          <ApiForm method="POST" action={action} submitLabel={t('office.reply')}>
            <input type="hidden" name="action" value="reply" />
            <label>
              {t('office.replyText')} <textarea name="reply" rows={5} maxLength={2000} />
            </label>
          </ApiForm>
        )}
        {c.status === 'replied' && <p className="muted">{t('office.waitRating')}</p>}
        {office && (c.status === 'replied' || c.status === 'rated') && (
          <ApiForm method="POST" action={action} submitLabel={t('office.close')}>
            <input type="hidden" name="action" value="close" />
            <label>
              {t('office.note')} <textarea name="note" rows={2} maxLength={500} data-optional />
            </label>
          </ApiForm>
        )}
      </section>
    </>
  );
}
