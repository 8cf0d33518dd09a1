import { getTranslations } from 'next-intl/server';
import { ApiForm } from '@/app/_components/api-form';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { listRounds } from '@/lib/rounds/queries';
import { listReports, roundCompletion } from '@/lib/workspace/reports';

export const dynamic = 'force-dynamic';

/** Self-inspection reports of the caller's scope (school admin: their school), with review, and completion per round. */
export default async function SelfReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession('/self-reports', ['office', 'school_admin']);
  const t = await getTranslations('me');
  const db = await getDb();
  const { roundId } = await searchParams;
  const reports = await listReports(db, session.scope, roundId ? { roundId } : {});
  const rounds = (await listRounds(db, session.scope, { limit: 100 })).filter((r) => r.status !== 'draft');
  const completion = roundId ? await roundCompletion(db, session.scope, roundId).catch(() => null) : null;
  return (
    <>
      <h1>{t('reviewTitle')}</h1>
      <form method="get" className="card">
        <label>
          {t('chooseRound')}
          <select name="roundId" defaultValue={roundId ?? ''}>
            <option value="">—</option>
            {rounds.map((r) => (
              <option key={r.id} value={r.id}>
                {r.title}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('completion')}</button>
      </form>

      {completion && (
        <section className="card" aria-labelledby="completion">
          <h2 id="completion">
            {t('completion')} · {completion.round.title}
          </h2>
          <p className="muted">{t('completionHelp')}</p>
          {completion.forms.map((f) => (
            <div key={f.formId} data-completion={f.kind}>
              <h3>
                {f.kind === 'colleague' ? t('colleague') : t('self')} · {f.title}
              </h3>
              <table>
                <thead>
                  <tr>
                    <th>{t('unit')}</th>
                    <th>{t('expected')}</th>
                    <th>{t('answered')}</th>
                  </tr>
                </thead>
                <tbody>
                  {f.schools.map((s) => (
                    <tr key={s.schoolId}>
                      <td>{s.name}</td>
                      <td>{s.expected}</td>
                      <td>{s.answered}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {f.missing && (
                <>
                  <h4>{t('missing')}</h4>
                  {!f.missing.length && <p>{t('allSubmitted')}</p>}
                  <ul>
                    {f.missing.map((m) => (
                      <li key={m.staffId}>
                        {m.name}（{m.staffNo}）· {m.unitName} · {t(`statuses.${m.status ?? 'none'}`)}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          ))}
        </section>
      )}

      <section className="card" aria-labelledby="reports">
        <h2 id="reports">{t('reports')}</h2>
        {!reports.length && <p className="muted">{t('noReports')}</p>}
        {reports.map((r) => (
          <article key={r.id} className="report" data-report={r.staffNo}>
            <h3>
              {r.staffName}（{r.staffNo}）· {r.unitName}
            </h3>
            <p className="muted">
              {r.roundTitle} · <span data-status={r.status}>{t(`statuses.${r.status}`)}</span>
            </p>
            <dl>
              <dt>{t('problems')}</dt>
              <dd>{r.problems}</dd>
              <dt>{t('measures')}</dt>
              <dd>{r.measures}</dd>
              <dt>{t('commitments')}</dt>
              <dd>{r.commitments}</dd>
            </dl>
            {r.remark && <p className="muted">{t('remark', { remark: r.remark })}</p>}
            {r.status === 'submitted' && (
              <div className="row">
                <ApiForm method="POST" action={`/api/v1/self-reports/${r.id}/review`} submitLabel={t('review')}>
                  <input type="hidden" name="action" value="review" />
                </ApiForm>
                <ApiForm method="POST" action={`/api/v1/self-reports/${r.id}/review`} submitLabel={t('return')} labels={{ remark: t('remarkLabel') }}>
                  <input type="hidden" name="action" value="return" />
                  <label>
                    {t('remarkLabel')}
                    <textarea name="remark" rows={2} maxLength={500} />
                  </label>
                </ApiForm>
              </div>
            )}
          </article>
        ))}
      </section>
    </>
  );
}
