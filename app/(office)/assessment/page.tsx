import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { listYears } from '@/lib/assessment/queries';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { listUnits } from '@/lib/org/queries';
import { listRounds } from '@/lib/rounds/queries';

export const dynamic = 'force-dynamic';

const DEFAULT_COMPONENTS = [
  { key: 'democratic', kind: 'democratic', weight: 30, source: 'round_score' },
  { key: 'student', kind: 'student', weight: 20, source: 'round_score' },
  { key: 'parent', kind: 'parent', weight: 10, source: 'school_satisfaction' },
  { key: 'regular', kind: 'regular', weight: 40, source: 'entries' },
] as const;
const SOURCES = ['round_score', 'round_satisfaction', 'school_score', 'school_satisfaction', 'entries'] as const;

export default async function AssessmentPage() {
  const session = await requirePageSession('/assessment', ['office', 'school_admin', 'staff']);
  const t = await getTranslations('assessment');
  const db = await getDb();
  const years = await listYears(db, session.scope);
  const office = session.user.role === 'office';
  const units = office ? (await listUnits(db, session.scope)).filter((u) => u.kind !== 'office') : [];
  const rounds = office ? await listRounds(db, session.scope, { limit: 200 }) : [];
  return (
    <>
      <h1>{t('title')}</h1>
      <section className="card">
        {years.length === 0 && <p>{t('noYears')}</p>}
        <table>
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('unit')}</th>
              <th>{t('year')}</th>
              <th>{t('status')}</th>
            </tr>
          </thead>
          <tbody>
            {years.map((y) => (
              <tr key={y.year.id}>
                <td>
                  <Link href={`/assessment/${y.year.id}`}>{y.year.title}</Link>
                </td>
                <td>{y.unitName}</td>
                <td>{y.year.year}</td>
                <td>{t(`statuses.${y.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {office && (
        <section className="card">
          <h2>{t('new')}</h2>
          <ApiForm method="POST" action="/api/v1/assessment-years" submitLabel={t('create')}>
            <label>
              {t('unit')}{' '}
              <select name="unit">
                {units.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('year')} <input name="year" type="number" data-type="number" defaultValue={new Date().getFullYear()} />
            </label>
            <label>
              {t('name')} <input name="title" defaultValue={`${new Date().getFullYear()} 年度考核`} />
            </label>
            <fieldset>
              <legend>{t('components')}</legend>
              <p className="hint">{t('componentsHelp')}</p>
              {DEFAULT_COMPONENTS.map((c, i) => (
                <div key={c.key} className="row">
                  <input type="hidden" name={`components.${i}.key`} value={c.key} />
                  <input type="hidden" name={`components.${i}.kind`} value={c.kind} />
                  <input name={`components.${i}.name`} defaultValue={t(`kinds.${c.kind}`)} aria-label={t('name')} />
                  <input name={`components.${i}.weight`} type="number" min={0} max={100} data-type="number" defaultValue={c.weight} aria-label={t('weight')} />
                  <select name={`components.${i}.source`} defaultValue={c.source} aria-label={t('source')}>
                    {SOURCES.map((s) => (
                      <option key={s} value={s}>
                        {t(`sources.${s}`)}
                      </option>
                    ))}
                  </select>
                  {rounds.map((r) => (
                    <label key={r.id}>
                      <input type="checkbox" name={`components.${i}.roundIds`} value={r.id} data-type="set" /> {r.title}
                    </label>
                  ))}
                </div>
              ))}
            </fieldset>
            <fieldset>
              <legend>{t('rules')}</legend>
              <label>
                {t('thresholds')} <input name="rules.thresholds.excellent" type="number" data-type="number" defaultValue={90} />
                <input name="rules.thresholds.qualified" type="number" data-type="number" defaultValue={75} aria-label="qualified" />
                <input name="rules.thresholds.basicallyQualified" type="number" data-type="number" defaultValue={60} aria-label="basicallyQualified" />
              </label>
              <label>
                {t('quota')} <input name="rules.excellentQuotaPercent" type="number" data-type="number" defaultValue={20} />
              </label>
              <p className="hint">{t('sanctionCaps')}</p>
            </fieldset>
          </ApiForm>
        </section>
      )}
    </>
  );
}
