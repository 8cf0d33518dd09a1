import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { CAMPAIGN_PHASE_KINDS, DELIVERABLE_SCOPES } from '@/lib/db/schema';

interface Props {
  campaign: {
    id: string;
    title: string;
    startsOn: string;
    endsOn: string;
    phases: { kind: string; startsOn: string; endsOn: string }[];
    deliverables: { id: string; scope: string; title: string; dueAt: string }[];
    rounds: { id: string }[];
  };
  /** deliverables something was handed in for: they can be edited but not removed */
  handedIn: Set<string>;
  rounds: { id: string; title: string }[];
  comparison: { baselineRoundId: string; followUpRoundId: string } | null;
}

/** a datetime-local value in China time */
const local = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16);

/** The office's edit form (PATCH /api/v1/campaigns/{id}) and a remove button per deliverable nothing was handed in for. */
export async function CampaignEditForm({ campaign, handedIn, rounds, comparison }: Props) {
  const t = await getTranslations('campaigns');
  const action = `/api/v1/campaigns/${campaign.id}`;
  const phaseRows = [...campaign.phases, ...Array(CAMPAIGN_PHASE_KINDS.length - campaign.phases.length).fill(null)] as (Props['campaign']['phases'][number] | null)[];
  const linked = new Set(campaign.rounds.map((r) => r.id));
  return (
    <section className="card" data-testid="campaign-edit">
      <h2>{t('edit')}</h2>
      <ApiForm method="PATCH" action={action} submitLabel={t('editSave')} successText={t('saved')}>
        <label>
          {t('name')} <input name="title" defaultValue={campaign.title} />
        </label>
        <fieldset>
          <div className="row">
            <label>
              {t('startsOn')} <input type="date" name="startsOn" defaultValue={campaign.startsOn} />
            </label>
            <label>
              {t('endsOn')} <input type="date" name="endsOn" defaultValue={campaign.endsOn} />
            </label>
          </div>
          {phaseRows.map((p, i) => (
            <div className="row" key={i}>
              <label>
                {t('phase')}
                <select name={`phases.${i}.kind`} defaultValue={p?.kind ?? ''}>
                  <option value="" />
                  {CAMPAIGN_PHASE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`phases.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('startsOn')} <input type="date" name={`phases.${i}.startsOn`} defaultValue={p?.startsOn ?? ''} />
              </label>
              <label>
                {t('endsOn')} <input type="date" name={`phases.${i}.endsOn`} defaultValue={p?.endsOn ?? ''} />
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('deliverables')}</legend>
          <p className="muted">{t('editHelp')}</p>
          {[...campaign.deliverables, null].map((d, i) => (
            <div className="row" key={d?.id ?? 'new'}>
              {d && <input type="hidden" name={`deliverables.${i}.id`} value={d.id} />}
              <label>
                {d ? t('deliverables') : t('newDeliverable')}
                <select name={`deliverables.${i}.scope`} defaultValue={d?.scope ?? ''}>
                  {!d && <option value="" />}
                  {DELIVERABLE_SCOPES.map((s) => (
                    <option key={s} value={s}>
                      {t(`scopes.${s}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t('text')} <input name={`deliverables.${i}.title`} defaultValue={d?.title ?? ''} />
              </label>
              <label>
                {t('dueAt')} <input type="datetime-local" name={`deliverables.${i}.dueAt`} data-type="datetime" defaultValue={d ? local(d.dueAt) : ''} />
              </label>
            </div>
          ))}
        </fieldset>
        {rounds.length > 0 && (
          <fieldset>
            <legend>{t('linkRounds')}</legend>
            {rounds.map((r) => (
              <label key={r.id} className="inline-check">
                <input type="checkbox" name="roundIds" value={r.id} data-type="set" defaultChecked={linked.has(r.id)} style={{ display: 'inline-block', width: 'auto' }} /> {r.title}
              </label>
            ))}
          </fieldset>
        )}
        {rounds.length > 1 && (
          <fieldset>
            <legend>{t('comparisonTitle')}</legend>
            <div className="row">
              {(['baselineRoundId', 'followUpRoundId'] as const).map((k) => (
                <label key={k}>
                  {t(k === 'baselineRoundId' ? 'baseline' : 'followUp')}
                  <select name={`comparison.${k}`} data-optional defaultValue={comparison?.[k] ?? ''}>
                    <option value="">{t('noComparisonOption')}</option>
                    {rounds.map((r) => (
                      <option key={r.id} value={r.id}>
                        {r.title}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </div>
          </fieldset>
        )}
      </ApiForm>
      {campaign.deliverables
        .filter((d) => !handedIn.has(d.id))
        .map((d) => {
          const others = campaign.deliverables.filter((x) => x.id !== d.id);
          return (
            <ApiForm key={d.id} method="PATCH" action={action} submitLabel={`${t('removeDeliverable')}：${d.title}`} successText={t('saved')} danger>
              {others.map((x, i) => (
                <span key={x.id} hidden>
                  <input type="hidden" name={`deliverables.${i}.id`} value={x.id} />
                  <input type="hidden" name={`deliverables.${i}.scope`} value={x.scope} />
                  <input type="hidden" name={`deliverables.${i}.title`} value={x.title} />
                  <input type="hidden" name={`deliverables.${i}.dueAt`} value={x.dueAt} />
                </span>
              ))}
              {/* removing the last one sends an empty list */}
              {others.length === 0 && <input type="hidden" name="deliverables" data-type="json" value="[]" />}
            </ApiForm>
          );
        })}
    </section>
  );
}
