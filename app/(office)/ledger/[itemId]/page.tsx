import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { listLedgerAttachments } from '@/lib/ledger/attachments';
import { getLedgerItem } from '@/lib/ledger/ledger';
import { LedgerAttachments } from '../_components/attachments';
import { FollowUp } from '../_components/follow-up';

export const dynamic = 'force-dynamic';

/** One 整改台帐 item: the problem, measure, target and deadline, its history, and the caller's next steps. */
export default async function LedgerItemPage({ params }: { params: Promise<{ itemId: string }> }) {
  const { itemId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(itemId)) notFound();
  const session = await requirePageSession(`/ledger/${itemId}`, ['office', 'school_admin', 'supervisor']);
  const t = await getTranslations('ledger');
  const tx = await getTranslations('ledgerExtras');
  const tc = await getTranslations('commitments');
  const tq = await getTranslations('accountability');
  const format = await getFormatter();
  const db = await getDb();
  const item = await getLedgerItem(db, session.scope, itemId).catch((e) => {
    if (e instanceof DomainError) notFound();
    throw e;
  });
  const action = `/api/v1/ledger/${item.id}/actions`;
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  // the text each step asks for (see ledgerActionInput)
  const field: Record<string, { name: string; optional?: boolean }> = {
    start: { name: 'note', optional: true },
    done: { name: 'note' },
    verify: { name: 'effect' },
    reopen: { name: 'reason' },
    note: { name: 'note' },
  };
  return (
    <>
      <p>
        <Link href="/ledger">{t('page.back')}</Link> · <a href={`/gongkai/${item.unitId}`}>{tc('publicPage')}</a>
      </p>
      <h1>
        {item.unitName} · {t('export.seq')} {item.seq} · {t(`statuses.${item.status}`)} {item.overdue && <span className="tag">{t('overdue')}</span>}
      </h1>
      {session.user.role === 'office' && (
        <p>
          <Link
            href={`/accountability?ledgerItemId=${item.id}${item.responsibleStaffId ? `&staffId=${item.responsibleStaffId}` : ''}${item.campaignId ? `&campaignId=${item.campaignId}` : ''}#create`}
            data-testid="record-accountability"
          >
            {tq('recordFrom')}
          </Link>
        </p>
      )}
      <section className="card">
        <dl>
          <dt>{t('export.problem')}</dt>
          <dd style={{ whiteSpace: 'pre-wrap' }}>{item.problem}</dd>
          <dt>{t('page.source')}</dt>
          <dd>
            {t(`sources.${item.source}`)}
            {item.sourceDetail && ` · ${item.sourceDetail}`}
            {item.complaintId && (
              <>
                {' · '}
                <Link href={`/complaints/${item.complaintId}`}>{t('page.complaint')}</Link>
              </>
            )}
          </dd>
          <dt>{t('export.measure')}</dt>
          <dd style={{ whiteSpace: 'pre-wrap' }}>{item.measure}</dd>
          <dt>{t('export.target')}</dt>
          <dd style={{ whiteSpace: 'pre-wrap' }}>{item.target}</dd>
          <dt>{t('export.dueOn')}</dt>
          <dd>{item.dueOn}</dd>
          <dt>{t('export.responsible')}</dt>
          <dd>{item.responsibleName ?? '—'}</dd>
          {item.effect && (
            <>
              <dt>{t('export.effect')}</dt>
              <dd>{item.effect}</dd>
            </>
          )}
        </dl>
      </section>
      {item.followUp && <FollowUp followUp={item.followUp} />}
      <section className="card">
        <h2>{tx('attachments')}</h2>
        <LedgerAttachments itemId={item.id} initial={await listLedgerAttachments(db, session.scope, item.id)} />
      </section>
      <section className="card">
        <h2>{t('export.progress')}</h2>
        <ol>
          {item.notes.map((n, i) => (
            <li key={i}>
              {date(n.at)} · {t(`statuses.${n.status}`)}
              {n.actor && ` · ${n.actor}`}
              <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div>
            </li>
          ))}
        </ol>
      </section>
      {item.actions.length > 0 && (
        <section className="card">
          <h2>{t('page.nextStep')}</h2>
          {item.actions.map((a) => (
            <ApiForm key={a} method="POST" action={action} submitLabel={t(`page.actions.${a}`)} danger={a === 'reopen'}>
              <input type="hidden" name="action" value={a} />
              <label>
                {t(`page.fields.${field[a]!.name}`)} <textarea name={field[a]!.name} rows={2} maxLength={2000} {...(field[a]!.optional ? { 'data-optional': true } : {})} />
              </label>
            </ApiForm>
          ))}
        </section>
      )}
    </>
  );
}
