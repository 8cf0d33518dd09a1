import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requirePageSession } from '@/lib/auth/current';
import { getCampaign } from '@/lib/campaigns/campaigns';
import { listSubmissions } from '@/lib/campaigns/deliverables';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The texts handed in for one deliverable: the office reads its schools', a school admin their school's. */
export default async function SubmissionsPage({ params }: { params: Promise<{ campaignId: string; deliverableId: string }> }) {
  const { campaignId, deliverableId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(campaignId) || !/^[0-9a-f-]{36}$/i.test(deliverableId)) notFound();
  const session = await requirePageSession(`/campaigns/${campaignId}/deliverables/${deliverableId}`, ['office', 'school_admin']);
  const t = await getTranslations('campaigns');
  const format = await getFormatter();
  const db = await getDb();
  const load = async () => ({ campaign: await getCampaign(db, session.scope, campaignId), list: await listSubmissions(db, session.scope, campaignId, deliverableId) });
  const { campaign, list } = await load().catch((e) => {
    if (e instanceof DomainError) notFound();
    throw e;
  });
  const deliverable = campaign.deliverables.find((d) => d.id === deliverableId)!;
  return (
    <>
      <p>
        <Link href={`/campaigns/${campaignId}`}>{campaign.title}</Link>
      </p>
      <h1>
        {deliverable.title} · {t('submissions')}
      </h1>
      {list.submissions.length === 0 && <p>{t('noSubmissions')}</p>}
      {list.submissions.map((s) => (
        <section key={`${s.unitId}-${s.staffId ?? ''}`} className="card" data-state={s.state}>
          <h2>
            {s.unitName}
            {s.staffName && ` · ${s.staffName}`} · {t(`states.${s.state}`)}
          </h2>
          <p className="muted">{t('submitted', { date: format.dateTime(new Date(s.submittedAt), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }) })}</p>
          <p style={{ whiteSpace: 'pre-wrap' }}>{s.body}</p>
        </section>
      ))}
    </>
  );
}
