import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { ApiForm } from '@/app/_components/api-form';
import { listAssessments, listEntries, listObjections, visibleYear, yearComponents } from '@/lib/assessment/queries';
import { DUPLICATE_MARK } from '@/lib/assessment/objections';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { ASSESSMENT_GRADES, type ProposalNote } from '@/lib/db/schema';
import { listRounds } from '@/lib/rounds/queries';
import { EntryImport } from './entry-import';

export const dynamic = 'force-dynamic';

const PER_PAGE = 200;

/** A starting set for grading the schools (学校目标责任制考核); ledger and complaint sources come later. */
const UNIT_DEFAULTS = [
  { key: 'unit_satisfaction', kind: 'parent', weight: 30, source: 'school_satisfaction' },
  { key: 'unit_appraisal', kind: 'democratic', weight: 30, source: 'unit_score' },
  { key: 'unit_team', kind: 'democratic', weight: 20, source: 'team_score' },
  { key: 'unit_entries', kind: 'regular', weight: 20, source: 'entries' },
] as const;

export default async function AssessmentYearPage({ params, searchParams }: { params: Promise<{ yearId: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { yearId } = await params;
  const search = await searchParams;
  const page = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const q = search.q?.trim().slice(0, 100) || undefined;
  const session = await requirePageSession(`/assessment/${yearId}`, ['office', 'school_admin', 'staff']);
  const t = await getTranslations('assessment');
  const format = await getFormatter();
  const db = await getDb();
  const scope = session.scope;
  const { year, status, openObjections } = await visibleYear(db, scope, yearId);
  const role = session.user.role;
  const office = role === 'office';
  if (role === 'staff' && status === 'draft') {
    return (
      <>
        <h1>{year.title}</h1>
        <p>{t('notAnnounced')}</p>
      </>
    );
  }
  const { rows, total } = await listAssessments(db, scope, yearId, { q, page: { page, limit: PER_PAGE } });
  const components = await yearComponents(db, yearId);
  const staffComponents = components.filter((c) => c.appliesTo === 'staff');
  // 学校目标责任制考核: the year's unit components, or a starting set the office adjusts
  const unitComponents = components.filter((c) => c.appliesTo === 'unit');
  const unitDrafts = unitComponents.length
    ? unitComponents.map((c) => ({ key: c.key, kind: c.kind, name: c.name, weight: c.weight, source: c.source, roundIds: c.roundIds }))
    : UNIT_DEFAULTS.map((c) => ({ ...c, name: t(`unitDefaults.${c.key}`), roundIds: [] as string[] }));
  const rounds = office && status === 'draft' ? await listRounds(db, scope, { limit: 200 }) : [];
  const entries = role === 'staff' ? [] : await listEntries(db, scope, yearId);
  const objections = office ? await listObjections(db, scope, yearId) : [];
  const grade = (g: string | null) => (g ? t(`grades.${g}`) : '—');
  const note = (n: ProposalNote) => t(`noteCodes.${n.code}`, { ...n.params, cap: n.params?.cap ? grade(String(n.params.cap)) : '' });
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: 'medium', timeStyle: 'short' }) : '');
  const canSign = office && status !== 'locked';
  return (
    <>
      <h1>{year.title}</h1>
      <p>
        {t(`statuses.${status}`)}
        {year.announcementEndsAt && status === 'announced' && <> · {t('announcedUntil', { endsAt: when(year.announcementEndsAt) })}</>}
        {year.lockedAt && <> · {t('lockedAt', { at: when(year.lockedAt) })}</>}
        {status !== 'draft' && (
          <>
            {' '}
            · <Link href={`/gongshi/${year.id}`}>{t('publicPage')}</Link>
          </>
        )}
      </p>
      <section className="card">
        <h2>{t('components')}</h2>
        <ul>
          {components.map((c) => (
            <li key={c.id}>
              {c.name} ({c.key}) · {t(`appliesTo.${c.appliesTo}`)} · {c.weight}% · {t(`sources.${c.source}`)}
            </li>
          ))}
        </ul>
        {office && status === 'draft' && (
          <details>
            <summary>{t('unitComponentsTitle')}</summary>
            <p className="hint">{t('unitComponentsHelp')}</p>
            {/* the staff components travel along unchanged: the year's components are replaced as a whole */}
            <ApiForm method="PATCH" action={`/api/v1/assessment-years/${yearId}`} submitLabel={t('saveUnitComponents')} labels={{ components: t('components') }}>
              {staffComponents.map((c, i) => (
                <span key={c.id}>
                  {(['key', 'kind', 'name', 'source', 'appliesTo'] as const).map((f) => (
                    <input key={f} type="hidden" name={`components.${i}.${f}`} value={c[f]} />
                  ))}
                  <input type="hidden" name={`components.${i}.weight`} data-type="number" value={c.weight} />
                  {c.roundIds.map((id, j) => (
                    <input key={id} type="hidden" name={`components.${i}.roundIds.${j}`} value={id} />
                  ))}
                </span>
              ))}
              {unitDrafts.map((c, k) => {
                const i = staffComponents.length + k;
                return (
                  <div key={c.key} className="row">
                    <input type="hidden" name={`components.${i}.key`} value={c.key} />
                    <input type="hidden" name={`components.${i}.kind`} value={c.kind} />
                    <input type="hidden" name={`components.${i}.source`} value={c.source} />
                    <input type="hidden" name={`components.${i}.appliesTo`} value="unit" />
                    <input name={`components.${i}.name`} defaultValue={c.name} aria-label={t('name')} />
                    <input name={`components.${i}.weight`} type="number" min={0} max={100} data-type="number" defaultValue={c.weight} aria-label={t('weight')} /> {t(`sources.${c.source}`)}
                    {c.source !== 'entries' &&
                      rounds.map((r) => (
                        <label key={r.id}>
                          <input type="checkbox" name={`components.${i}.roundIds`} value={r.id} data-type="set" defaultChecked={c.roundIds.includes(r.id)} /> {r.title}
                        </label>
                      ))}
                  </div>
                );
              })}
            </ApiForm>
          </details>
        )}
        {office && status === 'draft' && (
          <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/actions`} submitLabel={t('compute')} successText={t('computed')}>
            <input type="hidden" name="action" value="compute" />
          </ApiForm>
        )}
        {office && status === 'draft' && total > 0 && (
          <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/actions`} submitLabel={t('announce')}>
            <input type="hidden" name="action" value="announce" />
            <label>
              {t('workingDays')} <input name="workingDays" type="number" data-type="number" min={1} max={30} defaultValue={5} />
            </label>
            <label>
              {t('endsAt')} <input name="endsAt" type="datetime-local" data-type="datetime" data-optional />
            </label>
          </ApiForm>
        )}
        <p>
          {t('exportTitle')}: <a href={`/api/v1/assessment-years/${yearId}/export?kind=summary`}>{t('exportSummary')}</a> ·{' '}
          <a href={`/api/v1/assessment-years/${yearId}/export?kind=register`}>{t('exportRegister')}</a>
        </p>
      </section>

      <section className="card">
        <h2>{role === 'staff' ? t('mine') : t('staff')}</h2>
        {role !== 'staff' && <ListControls total={total} page={page} limit={PER_PAGE} q={q} placeholder={t('searchStaff')} />}
        {canSign && status === 'draft' && rows.some((r) => !r.a.grade && r.a.proposedGrade) && (
          <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/sign`} submitLabel={t('signAll')}>
            {rows
              .filter((r) => !r.a.grade && r.a.proposedGrade)
              .map((r, i) => (
                <span key={r.a.id}>
                  <input type="hidden" name={`items.${i}.${r.a.staffId ? 'staffId' : 'unitId'}`} value={r.a.staffId ?? r.a.subjectUnitId ?? ''} />
                  <input type="hidden" name={`items.${i}.grade`} value={r.a.proposedGrade!} />
                </span>
              ))}
          </ApiForm>
        )}
        <table>
          <thead>
            <tr>
              <th>{t('staff')}</th>
              <th className="num">{t('composite')}</th>
              <th className="num">{t('rank')}</th>
              <th>{t('proposed')}</th>
              <th>{t('grade')}</th>
              <th>{t('breakdown')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.a.id} data-staff={r.staffNo || undefined} data-unit={r.subject === 'unit' ? r.name : undefined}>
                <td>
                  {r.subject === 'unit' ? (
                    <>
                      {r.name} <small>{t('unitGraded')}</small>
                    </>
                  ) : (
                    <>
                      {r.name} <small>{r.staffNo} · {r.unitName} · {r.position}</small>
                    </>
                  )}
                </td>
                <td className="num" title={r.withheld ? t('withheldNote') : undefined}>
                  {r.a.compositeScore ?? '—'}
                </td>
                <td className="num">{r.a.rank ?? '—'}</td>
                <td>
                  {grade(r.a.proposedGrade)}
                  {r.a.notes.map((n, i) => (
                    <div key={i}>
                      <small>{note(n)}</small>
                    </div>
                  ))}
                </td>
                <td>
                  {r.a.grade ? (
                    <>
                      {grade(r.a.grade)} <small>{r.a.signedByLabel}</small>
                      {r.a.reason && (
                        <div>
                          <small>{r.a.reason}</small>
                        </div>
                      )}
                    </>
                  ) : (
                    t('unsigned')
                  )}
                  {canSign && (
                    <details>
                      <summary>{t('sign')}</summary>
                      <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/sign`} submitLabel={t('sign')} labels={{ 'items.0.reason': t('reason') }}>
                        <input type="hidden" name={r.a.staffId ? 'items.0.staffId' : 'items.0.unitId'} value={r.a.staffId ?? r.a.subjectUnitId ?? ''} />
                        <select name="items.0.grade" defaultValue={r.a.grade ?? r.a.proposedGrade ?? 'qualified'} aria-label={t('grade')}>
                          {ASSESSMENT_GRADES.map((g) => (
                            <option key={g} value={g}>
                              {grade(g)}
                            </option>
                          ))}
                        </select>
                        <input name="items.0.reason" data-optional placeholder={t('reason')} aria-label={t('reason')} />
                      </ApiForm>
                    </details>
                  )}
                </td>
                <td>
                  <details>
                    <summary>{t('breakdown')}</summary>
                    <table>
                      <thead>
                        <tr>
                          <th>{t('name')}</th>
                          <th className="num">{t('value')}</th>
                          <th className="num">{t('weight')}</th>
                          <th>{t('source')}</th>
                          <th className="num">{t('n')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.a.components.map((c) => (
                          <tr key={c.key}>
                            <td>{c.name}</td>
                            {c.withheld ? <td className="num suppressed">{t('withheld')}</td> : <td className="num">{c.value ?? '—'}</td>}
                            <td className="num">{c.weight}%</td>
                            <td>{c.source}</td>
                            <td className="num">{c.n ?? '—'}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                    {r.a.renormalised.length > 0 && <small>{t('renormalised', { list: r.a.renormalised.join('、') })}</small>}
                    {r.withheld && <small>{t('withheldNote')}</small>}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {role !== 'staff' && (
        <section className="card">
          <h2>{t('entries')}</h2>
          <p className="hint">{t('entriesHelp')}</p>
          {status === 'draft' && (
            <>
              <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/entries`} submitLabel={t('record')}>
                <input name="entries.0.staff" placeholder="工号" aria-label="工号" />
                <select name="entries.0.component" aria-label={t('name')}>
                  {components
                    .filter((c) => c.source === 'entries' && c.appliesTo === 'staff')
                    .map((c) => (
                      <option key={c.id} value={c.key}>
                        {c.name}
                      </option>
                    ))}
                </select>
                <input name="entries.0.period" placeholder={t('period')} aria-label={t('period')} />
                <input name="entries.0.score" type="number" data-type="number" data-optional placeholder={t('score')} aria-label={t('score')} />
                <input name="entries.0.sanction" data-optional placeholder={t('sanction')} aria-label={t('sanction')} />
                <input name="entries.0.note" data-optional placeholder={t('note')} aria-label={t('note')} />
              </ApiForm>
              {office && components.some((c) => c.source === 'entries' && c.appliesTo === 'unit') && (
                <>
                  <h3>{t('unitEntries')}</h3>
                  <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/unit-entries`} submitLabel={t('record')}>
                    <input name="entries.0.unit" placeholder={t('unit')} aria-label={t('unit')} />
                    <select name="entries.0.component" aria-label={t('name')}>
                      {components
                        .filter((c) => c.source === 'entries' && c.appliesTo === 'unit')
                        .map((c) => (
                          <option key={c.id} value={c.key}>
                            {c.name}
                          </option>
                        ))}
                    </select>
                    <input name="entries.0.period" placeholder={t('period')} aria-label={t('period')} />
                    <input name="entries.0.score" type="number" data-type="number" placeholder={t('score')} aria-label={t('score')} />
                    <input name="entries.0.note" data-optional placeholder={t('note')} aria-label={t('note')} />
                  </ApiForm>
                </>
              )}
              <h3>{t('import')}</h3>
              <p className="hint">{t('importHelp')}</p>
              <EntryImport yearId={yearId} labels={{ check: t('check'), importNow: t('importNow') }} />
            </>
          )}
          <table>
            <tbody>
              {entries.map((e) => (
                <tr key={e.e.id}>
                  <td>
                    {e.name} <small>{e.staffNo}</small>
                  </td>
                  <td>{e.component}</td>
                  <td>{e.e.period}</td>
                  <td className="num">{e.e.score ?? ''}</td>
                  <td>{e.e.sanction ?? ''}</td>
                  <td>{e.e.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      {office && status !== 'draft' && (
        <section className="card">
          <h2>
            {t('objections')} ({openObjections})
          </h2>
          {objections.map(({ o, staffName }) => (
            <article key={o.id}>
              <p>
                <strong>{o.name}</strong> · {o.contact} {staffName && <>· {t('about')}: {staffName}</>} · {when(o.createdAt)} · {o.status === 'open' ? t('open') : t('answered')}
              </p>
              <p>{o.body}</p>
              {o.answer?.startsWith(DUPLICATE_MARK) ? (
                <p>{t('duplicateObjection', { n: objections.findIndex((x) => x.o.id === o.answer!.slice(DUPLICATE_MARK.length)) + 1 })}</p>
              ) : o.answer ? (
                <p>
                  {t('answer')}: {o.answer}
                </p>
              ) : (
                status !== 'locked' && (
                  <ApiForm method="POST" action={`/api/v1/assessment-years/${yearId}/objections/${o.id}/answer`} submitLabel={t('sendAnswer')}>
                    <textarea name="answer" rows={2} aria-label={t('answer')} />
                  </ApiForm>
                )
              )}
            </article>
          ))}
        </section>
      )}
    </>
  );
}
