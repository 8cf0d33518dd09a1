import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { RATER_KINDS } from '@/lib/db/schema';
import { listUnits } from '@/lib/org/queries';
import { currentSchoolYear } from '@/lib/seed/demo';
import { listTemplates } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

const ROWS = [0, 1, 2, 3];

/** A new round: window, schools, rater groups with weights, and forms. */
export default async function NewRoundPage() {
  const session = await requirePageSession('/rounds/new', ['office']);
  const t = await getTranslations('rounds');
  const db = await getDb();
  const schools = await listUnits(db, session.scope, { kind: 'school' });
  const templates = await listTemplates(db, session.scope);
  const labels = {
    title: t('name'),
    schoolYear: t('schoolYear'),
    term: t('term'),
    opensAt: t('opensAt'),
    closesAt: t('closesAt'),
    raterGroups: t('raterGroups'),
    forms: t('forms'),
  };
  return (
    <section className="card">
      <h1>{t('new')}</h1>
      <ApiForm method="POST" action="/api/v1/rounds" submitLabel={t('create')} redirectTo="/rounds" labels={labels}>
        <label>
          {t('name')} <input name="title" placeholder="2026年秋季学期家长满意度测评" />
        </label>
        <label>
          {t('schoolYear')} <input name="schoolYear" defaultValue={currentSchoolYear()} />
        </label>
        <label>
          {t('term')}
          <select name="term" data-type="number" defaultValue="1">
            <option value="1">{t('term1')}</option>
            <option value="2">{t('term2')}</option>
          </select>
        </label>
        <label>
          {t('opensAt')} <input name="opensAt" type="datetime-local" data-type="datetime" />
        </label>
        <label>
          {t('closesAt')} <input name="closesAt" type="datetime-local" data-type="datetime" />
        </label>
        <label>
          <input type="checkbox" name="testMode" /> {t('testMode')}
        </label>
        <fieldset>
          <legend>{t('schools')}</legend>
          {schools.map((s) => (
            <label key={s.id} className="inline-check">
              <input type="checkbox" name="units" value={s.id} data-type="set" defaultChecked /> {s.name}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('raterGroups')}</legend>
          {ROWS.map((i) => (
            <div key={i} className="row">
              <select name={`raterGroups.${i}.kind`} defaultValue={i === 0 ? 'parent' : ''} data-optional aria-label={t('raterKind')}>
                <option value="">—</option>
                {RATER_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`raterKinds.${k}`)}
                  </option>
                ))}
              </select>
              <input name={`raterGroups.${i}.name`} placeholder={t('groupName')} defaultValue={i === 0 ? '家长' : ''} data-optional aria-label={`${t('groupName')} ${i + 1}`} />
              <input name={`raterGroups.${i}.weight`} type="number" min={0} max={100} placeholder="%" defaultValue={i === 0 ? 100 : undefined} data-type="number" data-optional aria-label={t('weight')} />
            </div>
          ))}
          <p className="muted">{t('weightsHelp')}</p>
        </fieldset>
        <fieldset>
          <legend>{t('forms')}</legend>
          {ROWS.slice(0, 3).map((i) => (
            <div key={i} className="row">
              <select name={`forms.${i}.templateId`} defaultValue={i === 0 ? templates[0]?.id : ''} data-optional aria-label={t('template')}>
                <option value="">—</option>
                {templates.map((tpl) => (
                  <option key={tpl.id} value={tpl.id}>
                    {tpl.name}
                  </option>
                ))}
              </select>
              <select name={`forms.${i}.raterGroup`} data-type="number" defaultValue={i === 0 ? '0' : ''} data-optional aria-label={t('answeredBy')}>
                <option value="">—</option>
                {ROWS.map((g) => (
                  <option key={g} value={g}>
                    {t('groupN', { n: g + 1 })}
                  </option>
                ))}
              </select>
              <select name={`forms.${i}.subjectMode`} defaultValue={i === 0 ? 'school' : ''} data-optional aria-label={t('subjectMode')}>
                <option value="">—</option>
                {['school', 'class_teachers', 'ballot', 'self'].map((m) => (
                  <option key={m} value={m}>
                    {t(`subjectModes.${m}`)}
                  </option>
                ))}
              </select>
              <textarea name={`forms.${i}.ballot`} data-type="lines" data-optional rows={2} placeholder={t('ballotHelp')} aria-label={t('ballot')} />
            </div>
          ))}
        </fieldset>
      </ApiForm>
    </section>
  );
}
