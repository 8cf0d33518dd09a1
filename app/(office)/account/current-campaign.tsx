import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import type { Scope } from '@/lib/auth/scope';
import { getCampaign, listCampaigns, shanghaiDay } from '@/lib/campaigns/campaigns';
import { campaignOverview } from '@/lib/campaigns/deliverables';
import type { Db } from '@/lib/db/client';

/**
 * The top of the office's (and a school admin's) landing page while a campaign is under way: the
 * campaign whose dates include today, its current phase, each deliverable's totals across the
 * schools, and links to the overview per school and to the report.
 */
export async function CurrentCampaign({ db, scope }: { db: Db; scope: Scope }) {
  if (scope.role !== 'office' && scope.role !== 'school_admin') return null;
  const today = shanghaiDay();
  const current = (await listCampaigns(db, scope)).find((c) => c.startsOn <= today && today <= c.endsOn);
  if (!current) return null;
  const t = await getTranslations('campaignReport');
  const tc = await getTranslations('campaigns');
  const campaign = await getCampaign(db, scope, current.id);
  const overview = await campaignOverview(db, scope, current.id);
  const phase = campaign.phases.find((p) => p.current);
  const complaints = overview.schools.reduce((n, s) => ({ total: n.total + s.complaints.total, open: n.open + s.complaints.open, overdue: n.overdue + s.complaints.overdue }), { total: 0, open: 0, overdue: 0 });
  return (
    <section className="card" data-testid="current-campaign" aria-label={t('current')}>
      <h2>{t('current')}</h2>
      <p>{t('currentIntro', { title: campaign.title, start: campaign.startsOn, end: campaign.endsOn, phase: phase ? tc(`phases.${phase.kind}`) : t('noPhase') })}</p>
      {overview.deliverables.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>{tc('deliverables')}</th>
              <th className="num">{tc('states.submitted')}</th>
              <th className="num">{tc('states.late')}</th>
              <th className="num">{tc('states.missing')}</th>
              <th className="num">{tc('states.pending')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.deliverables.map((d) => (
              <tr key={d.id}>
                <td>{d.title}</td>
                <td className="num">{d.totals.submitted}</td>
                <td className="num">{d.totals.late}</td>
                <td className="num">{d.totals.missing}</td>
                <td className="num">{d.totals.pending}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        {tc('complaints')}：{complaints.total} / {complaints.open} / {complaints.overdue}
      </p>
      <p>
        <Link href={`/campaigns/${campaign.id}`}>{t('overviewLink')}</Link> · <Link href={`/campaigns/${campaign.id}/report`}>{t('open')}</Link>
      </p>
    </section>
  );
}
