import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { listCampaigns } from '@/lib/campaigns/campaigns';
import { getDb } from '@/lib/db/client';
import { CAMPAIGN_PHASE_KINDS } from '@/lib/db/schema';
import { listRounds } from '@/lib/rounds/queries';

export const dynamic = 'force-dynamic';

/** The campaigns that reach the caller; the office creates one with its four phases, the two usual deliverables and its rounds. */
export default async function CampaignsPage() {
  const session = await requirePageSession('/campaigns');
  const t = await getTranslations('campaigns');
  const db = await getDb();
  const list = await listCampaigns(db, session.scope);
  const office = session.user.role === 'office';
  const rounds = office ? await listRounds(db, session.scope, { limit: 100 }) : [];
  const year = new Date().getFullYear();
  return (
    <>
      <h1>{t('title')}</h1>
      {list.length === 0 ? (
        <EmptyState title={t('none')} next={office ? t('noneNext') : ''} />
      ) : (
        <section className="card">
          <table>
            <thead>
              <tr>
                <th>{t('name')}</th>
                <th>{t('unit')}</th>
                <th>{t('period')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link href={`/campaigns/${c.id}`}>{c.title}</Link>
                  </td>
                  <td>{c.unitName}</td>
                  <td>
                    {c.startsOn} – {c.endsOn}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {office && (
        <section className="card">
          <h2>{t('new')}</h2>
          <ApiForm method="POST" action="/api/v1/campaigns" submitLabel={t('create')} successText={t('saved')}>
            <label>
              {t('name')} <input name="title" defaultValue={`${year}年效能风暴行动`} />
            </label>
            <fieldset>
              <div className="row">
                <label>
                  {t('startsOn')} <input type="date" name="startsOn" />
                </label>
                <label>
                  {t('endsOn')} <input type="date" name="endsOn" />
                </label>
              </div>
              {CAMPAIGN_PHASE_KINDS.map((k, i) => (
                <div className="row" key={k}>
                  <input type="hidden" name={`phases.${i}.kind`} value={k} />
                  <label>
                    {t('phaseStart', { phase: t(`phases.${k}`) })} <input type="date" name={`phases.${i}.startsOn`} />
                  </label>
                  <label>
                    {t('phaseEnd', { phase: t(`phases.${k}`) })} <input type="date" name={`phases.${i}.endsOn`} />
                  </label>
                </div>
              ))}
            </fieldset>
            <fieldset>
              <div className="row">
                <input type="hidden" name="deliverables.0.scope" value="school" />
                <label>
                  {t('planTitle')} <input name="deliverables.0.title" defaultValue={t('defaultPlan')} />
                </label>
                <label>
                  {t('planDue')} <input type="datetime-local" name="deliverables.0.dueAt" data-type="datetime" />
                </label>
              </div>
              <div className="row">
                <input type="hidden" name="deliverables.1.scope" value="person" />
                <label>
                  {t('summaryTitle')} <input name="deliverables.1.title" defaultValue={t('defaultSummary')} />
                </label>
                <label>
                  {t('summaryDue')} <input type="datetime-local" name="deliverables.1.dueAt" data-type="datetime" />
                </label>
              </div>
            </fieldset>
            {rounds.length > 0 && (
              <fieldset>
                <legend>{t('linkRounds')}</legend>
                {rounds.map((r) => (
                  <label key={r.id} className="inline-check">
                    <input type="checkbox" name="roundIds" value={r.id} data-type="set" style={{ display: 'inline-block', width: 'auto' }} /> {r.title}
                  </label>
                ))}
              </fieldset>
            )}
          </ApiForm>
        </section>
      )}
    </>
  );
}
