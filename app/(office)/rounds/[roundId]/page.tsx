import { getFormatter, getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { ApiForm } from '@/app/_components/api-form';
import { ConfirmApiForm } from '@/app/(office)/_components/confirm-api-form';
import { ListControls } from '@/app/(office)/_components/list-controls';
import { RoundProgress } from '@/app/_components/round-progress';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { publicOrigin } from '@/lib/env';
import { DomainError } from '@/lib/errors';
import { listClasses } from '@/lib/org/queries';
import { linkBatches, listLinks } from '@/lib/rounds/links';
import { getRound } from '@/lib/rounds/queries';
import { effectiveStatus } from '@/lib/rounds/status';

export const dynamic = 'force-dynamic';

const LINKS_PER_PAGE = 100;

export default async function RoundPage({ params, searchParams }: { params: Promise<{ roundId: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const { roundId } = await params;
  const search = await searchParams;
  const linkPage = Math.max(1, Number.parseInt(search.page ?? '1', 10) || 1);
  const q = search.q?.trim().slice(0, 100) || undefined;
  const session = await requirePageSession(`/rounds/${roundId}`);
  const t = await getTranslations('rounds');
  const format = await getFormatter();
  const db = await getDb();
  let detail;
  try {
    detail = /^[0-9a-f-]{36}$/i.test(roundId) ? await getRound(db, session.scope, roundId) : null;
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') detail = null;
    else throw err;
  }
  if (!detail) notFound();
  const { round, groups, forms, schools } = detail;
  const office = session.user.role === 'office';
  const status = effectiveStatus(round);
  // one page of links: a county issues tens of thousands of codes in a round
  const links = office ? await listLinks(db, session.scope, { type: 'user', userId: session.user.id }, roundId, { via: 'page', q, page: { page: linkPage, limit: LINKS_PER_PAGE } }) : Object.assign([], { total: 0 });
  const batches = office ? await linkBatches(db, roundId) : [];
  const classes = office ? (await listClasses(db, session.scope)).filter((c) => schools.some((s) => s.id === c.c.schoolId)) : [];
  const origin = publicOrigin(await headers());
  const action = (name: string, label: string, extra?: React.ReactNode) => (
    <ApiForm method="POST" action={`/api/v1/rounds/${roundId}/actions`} submitLabel={label} className="inline" successText={t('done')}>
      <input type="hidden" name="action" value={name} />
      {extra}
    </ApiForm>
  );
  // closing early and wiping answers cannot be undone: a confirmation says so first
  const irreversible = (name: 'close' | 'wipe_test_answers', label: string, title: string, content: string) => (
    <ConfirmApiForm
      method="POST"
      action={`/api/v1/rounds/${roundId}/actions`}
      submitLabel={label}
      className="inline"
      danger
      successText={t('done')}
      title={title}
      content={content}
      okText={t('confirmOk')}
      cancelText={t('confirmCancel')}
    >
      <input type="hidden" name="action" value={name} />
    </ConfirmApiForm>
  );
  return (
    <>
      <h1>
        {round.title} {round.testMode && <span className="tag">{t('test')}</span>}
      </h1>
      <p className="muted">
        {t(`statuses.${status}`)} · {format.dateTime(round.opensAt, { dateStyle: 'medium', timeStyle: 'short' })} –{' '}
        {format.dateTime(round.closesAt, { dateStyle: 'medium', timeStyle: 'short' })} · {schools.map((s) => s.name).join('、')}
      </p>
      <p className="muted">
        {groups.map((g) => `${g.name} ${g.weight}%`).join(' · ')} · {forms.map((f) => `${f.form.title}（${f.templateName} v${f.version}）`).join('；')}
      </p>
      {office && (
        <section className="card" aria-label={t('actions')}>
          {round.status === 'draft' && action('open', t('open'))}
          {round.status === 'draft' && (
            <ApiForm method="PATCH" action={`/api/v1/rounds/${roundId}`} submitLabel={t('saveDraft')} className="inline" successText={t('done')} labels={{ title: t('name'), opensAt: t('opensAt'), closesAt: t('closesAt') }}>
              <input name="title" defaultValue={round.title} aria-label={t('name')} data-optional />
              <input name="opensAt" type="datetime-local" data-type="datetime" aria-label={t('opensAt')} data-optional />
              <input name="closesAt" type="datetime-local" data-type="datetime" aria-label={t('closesAt')} data-optional />
            </ApiForm>
          )}
          {(status === 'open' || status === 'scheduled') && irreversible('close', t('close'), t('confirmCloseTitle'), t('confirmClose'))}
          {round.status === 'open' &&
            action('extend', t('extend'), <input name="closesAt" type="datetime-local" data-type="datetime" aria-label={t('closesAt')} />)}
          {status === 'closed' && action('release_schools', t('releaseSchools'))}
          {round.releasedToSchoolsAt && !round.releasedToStaffAt && action('release_staff', t('releaseStaff'))}
          {round.releasedToSchoolsAt && !round.pooledReleasedAt && action('release_pooled', t('releasePooled'))}
          {round.pooledReleasedAt && action('withhold_pooled', t('withholdPooled'))}
          {round.testMode && irreversible('wipe_test_answers', t('wipe'), t('confirmWipeTitle'), t('confirmWipe'))}
        </section>
      )}
      <section className="card">
        <h2>{t('progress')}</h2>
        <RoundProgress roundId={roundId} />
      </section>
      {office && (
        <section className="card">
          <h2>{t('links')}</h2>
          {forms.map(({ form }) => (
            <div key={form.id} className="issue">
              <h3>{form.title}</h3>
              <ApiForm method="POST" action={`/api/v1/rounds/${roundId}/links`} submitLabel={t('issueClass')} className="inline" successText={t('done')}>
                <input type="hidden" name="kind" value="class" />
                <input type="hidden" name="formId" value={form.id} />
              </ApiForm>
              <ApiForm method="POST" action={`/api/v1/rounds/${roundId}/links`} submitLabel={t('issueCodes')} className="inline" successText={t('done')}>
                <input type="hidden" name="kind" value="code" />
                <input type="hidden" name="formId" value={form.id} />
                <select name="classId" aria-label={t('class')} data-optional>
                  <option value="">{t('allClasses')}</option>
                  {classes.map(({ c, schoolName }) => (
                    <option key={c.id} value={c.id}>
                      {schoolName} {c.name}
                    </option>
                  ))}
                </select>
                <input name="count" type="number" min={1} max={200} defaultValue={45} data-type="number" aria-label={t('count')} size={4} />
              </ApiForm>
              <ApiForm method="POST" action={`/api/v1/rounds/${roundId}/links`} submitLabel={t('issuePersonal')} className="inline" successText={t('done')}>
                <input type="hidden" name="kind" value="personal" />
                <input type="hidden" name="formId" value={form.id} />
                <textarea name="people" data-type="lines" rows={2} placeholder={t('peopleHelp')} aria-label={t('people')} />
              </ApiForm>
            </div>
          ))}
          <p>
            <a href={`/api/v1/rounds/${roundId}/links?format=csv`}>{t('downloadCsv')}</a>
            {batches.map((b) => (
              <span key={b}>
                {' '}
                · <a href={`/rounds/${roundId}/slips?batch=${b}`}>{t('printSlips', { batch: b })}</a> (
                <a href={`/api/v1/rounds/${roundId}/slips?batch=${b}`} download>
                  {t('slipsPdfBatch', { batch: b })}
                </a>
                )
              </span>
            ))}
          </p>
          <ListControls total={links.total} page={linkPage} limit={LINKS_PER_PAGE} q={q} placeholder={t('searchLinks')} />
          <table>
            <thead>
              <tr>
                <th>{t('kind')}</th>
                <th>{t('school')}</th>
                <th>{t('class')}</th>
                <th>{t('label')}</th>
                <th>{t('code')}</th>
                <th className="num">{t('used')}</th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => (
                <tr key={l.id} data-kind={l.kind}>
                  <td>{t(`linkKinds.${l.kind}`)}</td>
                  <td>{l.schoolName}</td>
                  <td>{l.className}</td>
                  <td>{l.label}</td>
                  <td>
                    <a href={`${origin}/s/${l.token}`}>
                      <code>{l.token}</code>
                    </a>
                  </td>
                  <td className="num">
                    {l.usedCount === null ? t('usedWithheld', { used: l.group.used, expected: l.group.expected, threshold: round.anonymityThreshold }) : `${l.usedCount}/${l.capacity}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
