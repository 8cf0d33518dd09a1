import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { CommitmentActions, NewCommitmentForm } from '@/app/(office)/commitments/commitment-actions';
import { requirePageSession } from '@/lib/auth/current';
import { listCommitments } from '@/lib/commitments/commitments';
import { getDb } from '@/lib/db/client';
import { myOverview } from '@/lib/workspace/overview';
import { listMyReports } from '@/lib/workspace/reports';
import { listMyTasks } from '@/lib/workspace/tasks';
import { MyAccountability } from './my-accountability';

export const dynamic = 'force-dynamic';

/** The staff workspace, phone first: my tasks, my self-inspection reports, my results, my assessment. */
export default async function MePage() {
  const session = await requirePageSession('/me');
  const t = await getTranslations('me');
  const ta = await getTranslations('assessment');
  const tc = await getTranslations('commitments');
  const format = await getFormatter();
  const db = await getDb();
  const scope = session.scope;
  if (!scope.staffId) {
    return (
      <>
        <h1>{t('title')}</h1>
        <p className="notice">{t('noStaff')}</p>
      </>
    );
  }
  const [tasks, reports, overview, mine] = await Promise.all([
    listMyTasks(db, scope),
    listMyReports(db, scope),
    myOverview(db, scope),
    listCommitments(db, scope, { mine: '1', kind: 'personal', limit: '100' }),
  ]);
  const when = (d: Date | string | null) => (d ? format.dateTime(new Date(d), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }) : '—');
  return (
    <div className="workspace">
      <h1>{t('title')}</h1>
      <section className="card" aria-labelledby="tasks">
        <h2 id="tasks">{t('tasks')}</h2>
        {!tasks.length && <p className="muted">{t('noTasks')}</p>}
        <ul className="task-list">
          {tasks.map((task) => (
            <li key={task.formId} data-task={task.kind}>
              <div>
                <strong>{task.kind === 'colleague' ? t('colleague') : t('self')}</strong> · {task.formTitle}
                <div className="muted">
                  {task.roundTitle} · {t('closesAt', { time: when(task.closesAt) })}
                </div>
                {task.kind === 'self' && <div className="status">{t(`statuses.${task.reportStatus ?? 'none'}`)}</div>}
                {task.remark && task.reportStatus === 'returned' && (
                  <p role="alert" className="error">
                    {t('remark', { remark: task.remark })}
                  </p>
                )}
              </div>
              {task.kind === 'colleague' ? (
                task.done ? (
                  <span className="status done">{t('done')}</span>
                ) : (
                  <Link className="button" href={`/me/ballot/${task.formId}`}>
                    {t('open')}
                  </Link>
                )
              ) : (
                <Link className="button" href={`/me/report/${task.formId}`}>
                  {task.reportStatus ? t('edit') : t('open')}
                </Link>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="commitments">
        <h2 id="commitments">{tc('mine')}</h2>
        <p className="muted">{tc('mineIntro')}</p>
        {!mine.items.length && <p className="muted">{tc('none')}</p>}
        <ul className="task-list commitment-list">
          {mine.items.map((c) => (
            <li key={c.id} data-commitment={c.id}>
              <div>
                <div style={{ whiteSpace: 'pre-wrap' }}>{c.body}</div>
                <div className="muted">
                  {tc('fields.dueOn')} {c.dueOn}
                  {c.overdue && <span className="tag">{tc('overdue')}</span>}
                </div>
                <div className="status" data-status={c.status}>
                  {tc(`statuses.${c.status}`)}
                </div>
                {c.remark && (
                  <p role={c.status === 'rejected' ? 'alert' : undefined} className={c.status === 'rejected' ? 'error' : 'muted'}>
                    {tc('remark', { remark: c.remark })}
                  </p>
                )}
                {c.fulfilment && <p className="muted">{tc('fulfilmentText', { text: c.fulfilment })}</p>}
                <CommitmentActions c={c} />
              </div>
            </li>
          ))}
        </ul>
        {mine.items[0] && (
          <p>
            <Link href={`/gongkai/${mine.items[0].unitId}`}>{tc('publicPage')}</Link>
          </p>
        )}
        <details>
          <summary>{tc('create')}</summary>
          <NewCommitmentForm kind="personal" />
        </details>
      </section>

      {reports.length > 0 && (
        <section className="card" aria-labelledby="reports">
          <h2 id="reports">{t('reports')}</h2>
          <ul>
            {reports.map((r) => (
              <li key={r.id}>
                {r.roundTitle} · {r.formTitle}: <span className="status">{t(`statuses.${r.status}`)}</span>
                {r.remark && <div className="muted">{t('remark', { remark: r.remark })}</div>}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="results">
        <h2 id="results">{t('results')}</h2>
        {!overview.results.length && <p className="muted">{t('noResults')}</p>}
        <ul>
          {overview.results.map((r) => (
            <li key={r.id}>
              <Link href={`/results/${r.id}/teachers/${scope.staffId}`}>{r.title}</Link>{' '}
              <span className="muted">{r.schoolYear}</span>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="assessment">
        <h2 id="assessment">{t('assessment')}</h2>
        {!overview.assessments.length && <p className="muted">{t('noAssessment')}</p>}
        {overview.assessments.map((a) => (
          <div key={a.yearId} className="assessment-summary">
            <h3>{a.title}</h3>
            <p>
              {t('grade')}: <strong>{a.grade ? ta(`grades.${a.grade}`) : '—'}</strong> · {t('composite')}:{' '}
              {a.compositeScore === null ? <span className="muted">{t('withheld')}</span> : a.compositeScore.toFixed(2)}
            </p>
            <table>
              <tbody>
                {a.components.map((c) => (
                  <tr key={c.key}>
                    <th scope="row">{c.name}</th>
                    <td>{c.weight}%</td>
                    <td>{c.value === null ? <span className="muted">{t('withheld')}</span> : c.value.toFixed(1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {a.status === 'announced' && (
              <p>
                {t('window', { from: when(a.announcedAt), to: when(a.endsAt) })}
                <br />
                {t('objectHow')} <Link href={`/gongshi/${a.yearId}`}>{t('gongshi')}</Link>
              </p>
            )}
            <p>
              <Link href={`/assessment/${a.yearId}`}>{t('details')}</Link> · {ta(`statuses.${a.status}`)}
            </p>
          </div>
        ))}
      </section>
      <MyAccountability db={db} scope={scope} />
    </div>
  );
}
