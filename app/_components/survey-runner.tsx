'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { answeredHere, finishDraft, forgetDevice, newIdempotencyKey, readDraft, writeDraft, type Draft } from './answer-storage';
import { firstPageComplete, PAGE_NEXT_TEXT, type StaticPage } from './first-page';
import { StaticFirstPage } from './static-first-page';
import type { SubjectSurvey as SubjectSurveyComponent } from './subject-survey';

// SurveyJS (survey-core + survey-react-ui, most of the page's weight) is its own chunk, fetched
// when the respondent first touches the form — or at once when there is no server-rendered page.
const loadSurvey = () => import('./subject-survey').then((m) => m.SubjectSurvey);

interface Subject {
  key: string;
  type: 'staff' | 'unit';
  name: string;
  detail?: string;
}
type Phase =
  | { kind: 'answering' }
  | { kind: 'sending' }
  | { kind: 'done'; receipt: string }
  | { kind: 'error'; message: string; fields?: Record<string, string[]>; retrying?: boolean };

/** Automatic retries of a submission the server could not take now (503) or that did not arrive. */
const AUTO_RETRIES = 5;

/** The page is reloaded with this hash after "not my device", to say that it was done. */
const CLEARED = '#cleared';

/**
 * Answers a form for each subject in one sitting (a student: each of their teachers). The draft —
 * answers so far and the idempotency key — lives in this tab's sessionStorage (answer-storage.ts),
 * so a reload or a lost connection loses nothing and a retried submission is accepted once, while
 * the next person on a shared computer finds nothing; "not my device" clears what is left.
 *
 * With firstPage (from staticFirstPage on the server) the first page is plain HTML that works
 * before SurveyJS has arrived; SurveyJS takes over, with the answers so far, once it has loaded.
 */
export function SurveyRunner({
  token,
  definition,
  subjects,
  multiUse,
  firstPage,
}: {
  token: string;
  definition: Record<string, unknown>;
  subjects: Subject[];
  multiUse: boolean;
  firstPage: StaticPage | null;
}) {
  const t = useTranslations('answer');
  const [draft, setDraft] = useState<Draft | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'answering' });
  const [answeredBefore, setAnsweredBefore] = useState(false);
  const [cleared, setCleared] = useState(false);
  const [SurveyView, setSurveyView] = useState<typeof SubjectSurveyComponent | null>(null);
  // next/submit pressed on the server-rendered page: SurveyJS performs it when it takes over
  const [advance, setAdvance] = useState(false);
  const loading = useRef(false);

  const wake = useCallback(() => {
    if (loading.current) return;
    loading.current = true;
    loadSurvey().then(
      (view) => setSurveyView(() => view),
      () => {
        // offline: the next touch tries again; the answers stay in the page and the draft
        loading.current = false;
      },
    );
  }, []);

  useEffect(() => {
    const restored = readDraft(token);
    // restoring browser state after mount is the point of this effect
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDraft(restored ?? { idempotencyKey: newIdempotencyKey(), answers: {}, step: 0 });
    setAnsweredBefore(answeredHere(token));
    if (window.location.hash === CLEARED) {
      setCleared(true);
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    if (!firstPage || (restored?.step ?? 0) > 0) wake();
  }, [token, firstPage, wake]);

  const save = useCallback(
    (next: Draft) => {
      setDraft(next);
      writeDraft(token, next);
    },
    [token],
  );

  // "not my device": nothing of this link stays in the browser, and the page starts afresh (or,
  // for a one-time code already used, says so)
  const forget = useCallback(() => {
    if (!window.confirm(t('forgetConfirm'))) return;
    forgetDevice(token);
    history.replaceState(null, '', window.location.pathname + window.location.search + CLEARED);
    window.location.reload();
  }, [token, t]);
  const forgetButton = (
    <button type="button" className="link forget-device" onClick={forget}>
      {t('forgetDevice')}
    </button>
  );

  const submit = useCallback(
    async (final: Draft) => {
      setPhase({ kind: 'sending' });
      // a busy or restarting server (503) or a lost connection is retried by itself, a few times,
      // after the server's Retry-After, always with the draft's idempotency key: accepted once
      for (let attempt = 0; ; attempt++) {
        let res: Response | null = null;
        let body: { receipt?: string; error?: { message: string; fields?: Record<string, string[]> } } = {};
        try {
          res = await fetch(`/api/v1/respond/${encodeURIComponent(token)}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
            body: JSON.stringify({ idempotencyKey: final.idempotencyKey, answers: final.answers }),
          });
          body = await res.json();
        } catch {
          // offline, or a proxy's error page instead of JSON
        }
        if (res?.ok && body.receipt) {
          // the receipt is shown, never stored
          finishDraft(token);
          setPhase({ kind: 'done', receipt: body.receipt });
          return;
        }
        const message = (res && body.error?.message) || (res && res.status !== 503 ? String(res.status) : t('offline'));
        if ((!res || res.status === 503) && attempt < AUTO_RETRIES) {
          const seconds = Math.min(30, (Number(res?.headers.get('retry-after')) || 3) * (attempt + 1)) + Math.random();
          setPhase({ kind: 'error', message: `${message} ${t('retrying', { seconds: Math.ceil(seconds) })}`, retrying: true });
          await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
          setPhase({ kind: 'sending' });
          continue;
        }
        setPhase({ kind: 'error', message, fields: body.error?.fields });
        return;
      }
    },
    [token, t],
  );

  const step = draft?.step ?? 0;
  const subject = subjects[Math.min(step, subjects.length - 1)];

  const onChange = useCallback(
    (data: Record<string, unknown>) => {
      if (!draft || !subject) return;
      save({ ...draft, answers: { ...draft.answers, [subject.key]: data } });
    },
    [draft, subject, save],
  );
  const onComplete = useCallback(
    (data: Record<string, unknown>) => {
      if (!draft || !subject) return;
      const answers = { ...draft.answers, [subject.key]: data };
      setAdvance(false);
      if (step + 1 < subjects.length) save({ ...draft, answers, step: step + 1 });
      else {
        save({ ...draft, answers, step });
        void submit({ ...draft, answers, step });
      }
      window.scrollTo(0, 0);
    },
    [draft, subject, step, subjects.length, save, submit],
  );

  // the server-rendered first page serves until SurveyJS is here (also before the draft is read)
  const staticPage = firstPage && !SurveyView && step === 0 && phase.kind === 'answering' ? firstPage : null;
  if (!draft && !staticPage) return <p aria-busy="true">{t('loading')}</p>;
  const completeText = step < subjects.length - 1 ? t('next') : t('submit');
  if (phase.kind === 'done') {
    return (
      <>
        <section className="thanks" role="status">
          <h2>{t('thanks')}</h2>
          <p>{t('receipt', { receipt: phase.receipt })}</p>
        </section>
        {forgetButton}
      </>
    );
  }
  if (draft && answeredBefore && step === 0 && Object.keys(draft.answers).length === 0) {
    return (
      <>
        <section className="notice">
          <p>{t('answeredBefore')}</p>
          {multiUse && (
            <button type="button" onClick={() => setAnsweredBefore(false)}>
              {t('answerAgain')}
            </button>
          )}
        </section>
        {forgetButton}
      </>
    );
  }
  return (
    <>
      {cleared && (
        <p role="status" className="ok">
          {t('forgotten')}
        </p>
      )}
      {subjects.length > 1 && subject && (
        <p className="subject" aria-live="polite">
          {t('subjectProgress', { n: step + 1, total: subjects.length })}
          <strong>
            {subject.name}
            {subject.detail ? `（${subject.detail}）` : ''}
          </strong>
        </p>
      )}
      {phase.kind === 'sending' && <p role="status">{t('sending')}</p>}
      {phase.kind === 'error' && (
        <div role="alert" className="error">
          <p>{phase.message}</p>
          {phase.fields && (
            <ul>
              {Object.entries(phase.fields).map(([f, m]) => (
                <li key={f}>{m.join(' ')}</li>
              ))}
            </ul>
          )}
          {!phase.retrying && (
            <button type="button" onClick={() => draft && void submit(draft)}>
              {t('retry')}
            </button>
          )}
        </div>
      )}
      {subject && staticPage && (
        <StaticFirstPage
          page={staticPage}
          answers={draft?.answers[subject.key] ?? {}}
          buttonText={staticPage.morePages ? PAGE_NEXT_TEXT : completeText}
          waiting={advance}
          loadingText={t('loading')}
          onChange={onChange}
          onWake={wake}
          onNext={(answers) => {
            // a one-page form answered in full needs no SurveyJS to complete; otherwise SurveyJS
            // takes over and performs the step (showing its messages, or the next page)
            if (draft && !staticPage.morePages && firstPageComplete(staticPage, answers)) onComplete(answers);
            else {
              setAdvance(true);
              wake();
            }
          }}
        />
      )}
      {subject && draft && !staticPage && phase.kind === 'answering' &&
        (SurveyView ? (
          <SurveyView
            key={subject.key}
            definition={definition}
            initial={draft.answers[subject.key] ?? {}}
            completeText={completeText}
            advance={advance}
            onChange={onChange}
            onComplete={onComplete}
          />
        ) : (
          <p aria-busy="true">{t('loading')}</p>
        ))}
      {forgetButton}
    </>
  );
}
