'use client';

import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState } from 'react';
import { Model } from 'survey-core';
import 'survey-core/i18n/simplified-chinese';
import 'survey-core/survey-core.min.css';
import { Survey } from 'survey-react-ui';

interface Subject {
  key: string;
  type: 'staff' | 'unit';
  name: string;
  detail?: string;
}
interface Draft {
  idempotencyKey: string;
  answers: Record<string, Record<string, unknown>>;
  step: number;
}
type Phase = { kind: 'answering' } | { kind: 'sending' } | { kind: 'done'; receipt: string } | { kind: 'error'; message: string; fields?: Record<string, string[]> };

function newKey(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Answers a form for each subject in one sitting (a student: each of their teachers). The draft —
 * answers so far and the idempotency key — lives in localStorage, so a reload or a lost
 * connection loses nothing, and a retried submission is accepted once.
 */
export function SurveyRunner({ token, definition, subjects, multiUse }: { token: string; definition: Record<string, unknown>; subjects: Subject[]; multiUse: boolean }) {
  const t = useTranslations('answer');
  const draftKey = `pingyi:draft:${token}`;
  const doneKey = `pingyi:done:${token}`;
  const [draft, setDraft] = useState<Draft | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'answering' });
  const [answeredBefore, setAnsweredBefore] = useState(false);

  useEffect(() => {
    let restored: Draft | null = null;
    try {
      restored = JSON.parse(localStorage.getItem(draftKey) ?? 'null') as Draft | null;
    } catch {
      restored = null;
    }
    // restoring browser state after mount is the point of this effect
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDraft(restored ?? { idempotencyKey: newKey(), answers: {}, step: 0 });
    setAnsweredBefore(localStorage.getItem(doneKey) !== null);
  }, [draftKey, doneKey]);

  const save = useCallback(
    (next: Draft) => {
      setDraft(next);
      localStorage.setItem(draftKey, JSON.stringify(next));
    },
    [draftKey],
  );

  const submit = useCallback(
    async (final: Draft) => {
      setPhase({ kind: 'sending' });
      try {
        const res = await fetch(`/api/v1/respond/${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
          body: JSON.stringify({ idempotencyKey: final.idempotencyKey, answers: final.answers }),
        });
        const body = (await res.json()) as { receipt?: string; error?: { message: string; fields?: Record<string, string[]> } };
        if (res.ok && body.receipt) {
          localStorage.removeItem(draftKey);
          localStorage.setItem(doneKey, body.receipt);
          setPhase({ kind: 'done', receipt: body.receipt });
        } else {
          setPhase({ kind: 'error', message: body.error?.message ?? String(res.status), fields: body.error?.fields });
        }
      } catch {
        setPhase({ kind: 'error', message: t('offline') });
      }
    },
    [token, draftKey, doneKey, t],
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
      if (step + 1 < subjects.length) save({ ...draft, answers, step: step + 1 });
      else {
        save({ ...draft, answers, step });
        void submit({ ...draft, answers, step });
      }
      window.scrollTo(0, 0);
    },
    [draft, subject, step, subjects.length, save, submit],
  );

  if (!draft) return <p aria-busy="true">{t('loading')}</p>;
  if (phase.kind === 'done') {
    return (
      <section className="thanks" role="status">
        <h2>{t('thanks')}</h2>
        <p>{t('receipt', { receipt: phase.receipt })}</p>
      </section>
    );
  }
  if (answeredBefore && step === 0 && Object.keys(draft.answers).length === 0) {
    return (
      <section className="notice">
        <p>{t('answeredBefore')}</p>
        {multiUse && (
          <button type="button" onClick={() => setAnsweredBefore(false)}>
            {t('answerAgain')}
          </button>
        )}
      </section>
    );
  }
  return (
    <>
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
          <button type="button" onClick={() => void submit(draft)}>
            {t('retry')}
          </button>
        </div>
      )}
      {subject && phase.kind === 'answering' && (
        <SubjectSurvey
          key={subject.key}
          definition={definition}
          initial={draft.answers[subject.key] ?? {}}
          completeText={step < subjects.length - 1 ? t('next') : t('submit')}
          onChange={onChange}
          onComplete={onComplete}
        />
      )}
    </>
  );
}

/** One SurveyJS model per subject, made once when the subject's page mounts. */
function SubjectSurvey({
  definition,
  initial,
  completeText,
  onChange,
  onComplete,
}: {
  definition: Record<string, unknown>;
  initial: Record<string, unknown>;
  completeText: string;
  onChange: (data: Record<string, unknown>) => void;
  onComplete: (data: Record<string, unknown>) => void;
}) {
  const [model] = useState(() => {
    const m = new Model(definition);
    m.locale = 'zh-cn';
    m.showCompletedPage = false;
    m.completeText = completeText;
    m.data = initial;
    return m;
  });
  useEffect(() => {
    const changed = () => onChange(model.data);
    const completed = () => onComplete(model.data);
    model.onValueChanged.add(changed);
    model.onComplete.add(completed);
    return () => {
      model.onValueChanged.remove(changed);
      model.onComplete.remove(completed);
    };
  }, [model, onChange, onComplete]);
  return <Survey model={model} />;
}
