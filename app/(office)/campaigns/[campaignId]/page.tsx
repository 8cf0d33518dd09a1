import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getCampaign } from '@/lib/campaigns/campaigns';
import { campaignOverview, myDeliverables } from '@/lib/campaigns/deliverables';
import { getDb } from '@/lib/db/client';
import { campaignComparisons, deliverableSubmissions } from '@/lib/db/schema';
import { listRounds } from '@/lib/rounds/queries';
import { eq, inArray } from 'drizzle-orm';
import { CampaignEditForm } from './edit-form';
import { DomainError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** A campaign: its phases, what the caller owes (with the form to hand it in), and the overview per school. */
export default async function CampaignPage({ params }: { params: Promise<{ campaignId: string }> }) {
  const { campaignId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(campaignId)) notFound();
  const session = await requirePageSession(`/campaigns/${campaignId}`);
  const t = await getTranslations('campaigns');
  const format = await getFormatter();
  const db = await getDb();
  const campaign = await getCampaign(db, session.scope, campaignId).catch((e) => {
    if (e instanceof DomainError) notFound();
    throw e;
  });
  const mine = await myDeliverables(db, session.scope, campaignId);
  const role = session.user.role;
  const overview = role === 'staff' ? null : await campaignOverview(db, session.scope, campaignId);
  const tr = await getTranslations('campaignReport');
  const editable = role === 'office' && session.scope.unitId === campaign.unitId;
  const handedIn = editable && campaign.deliverables.length
    ? new Set((await db.selectDistinct({ id: deliverableSubmissions.deliverableId }).from(deliverableSubmissions).where(inArray(deliverableSubmissions.deliverableId, campaign.deliverables.map((d) => d.id)))).map((r) => r.id))
    : new Set<string>();
  const [comparison] = editable ? await db.select().from(campaignComparisons).where(eq(campaignComparisons.campaignId, campaignId)) : [];
  const roundChoices = editable ? await listRounds(db, session.scope, { limit: 100 }) : [];
  const date = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  return (
    <>
      <h1>{campaign.title}</h1>
      <p className="muted">
        {campaign.unitName} · {campaign.startsOn} – {campaign.endsOn}
      </p>
      {(role === 'office' || role === 'school_admin') && (
        <p>
          <Link href={`/campaigns/${campaignId}/report`}>{tr('open')}</Link>
        </p>
      )}
      <section className="card">
        <h2>{t('phase')}</h2>
        <ol>
          {campaign.phases.map((p) => (
            <li key={p.id} data-phase={p.kind} aria-current={p.current ? 'step' : undefined}>
              {t(`phases.${p.kind}`)} · {p.startsOn} – {p.endsOn} {p.current && <span className="tag">{t('current')}</span>}
            </li>
          ))}
        </ol>
      </section>
      {(role === 'school_admin' || session.user.staffId) && (
        <section className="card">
          <h2>{t('mine')}</h2>
          {mine.length === 0 && <p>{t('nothingOwed')}</p>}
          {mine.map((d) => (
            <div key={d.id} data-deliverable={d.id} className="issue">
              <h3>
                {d.title} · {t(`states.${d.state}`)}
              </h3>
              <p className="muted">
                {t('dueAt')}：{date(d.dueAt)}
                {d.submittedAt && ` · ${t('submitted', { date: date(d.submittedAt) })}`}
              </p>
              <ApiForm method="PUT" action={`/api/v1/campaigns/${campaignId}/deliverables/${d.id}`} submitLabel={d.body ? t('resubmit') : t('submit')} successText={t('saved')}>
                <label>
                  {t('text')} <textarea name="body" rows={8} maxLength={20000} defaultValue={d.body ?? ''} style={{ fontFamily: 'inherit' }} />
                </label>
              </ApiForm>
            </div>
          ))}
        </section>
      )}
      {overview && (
        <section className="card">
          <h2>{t('overview')}</h2>
          <table data-testid="campaign-overview">
            <thead>
              <tr>
                <th>{t('school')}</th>
                {overview.deliverables.map((d) => (
                  <th key={d.id}>
                    {role === 'supervisor' ? d.title : <Link href={`/campaigns/${campaignId}/deliverables/${d.id}`}>{d.title}</Link>}
                    <div className="muted">
                      {t('dueAt')} {date(d.dueAt)}
                    </div>
                  </th>
                ))}
                <th>{t('complaints')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.schools.map((s) => (
                <tr key={s.schoolId} data-school={s.schoolName}>
                  <td>{s.schoolName}</td>
                  {s.deliverables.map((d) => (
                    <td key={d.deliverableId} data-state={d.state}>
                      {d.counts ? t('counts', d.counts) : t(`states.${d.state}`)}
                    </td>
                  ))}
                  <td>
                    {s.complaints.total} / {s.complaints.open} / {s.complaints.overdue}
                  </td>
                </tr>
              ))}
              <tr className="total">
                <td />
                {overview.deliverables.map((d) => (
                  <td key={d.id}>{t('counts', d.totals)}</td>
                ))}
                <td />
              </tr>
            </tbody>
          </table>
        </section>
      )}
      {editable && <CampaignEditForm campaign={campaign} handedIn={handedIn} rounds={roundChoices.map((r) => ({ id: r.id, title: r.title }))} comparison={comparison ?? null} />}
      <section className="card">
        <h2>{t('rounds')}</h2>
        {campaign.rounds.length === 0 && <p>{t('noRounds')}</p>}
        <ul>
          {campaign.rounds.map((r) => (
            <li key={r.id}>
              <Link href={`/rounds/${r.id}`}>{r.title}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
