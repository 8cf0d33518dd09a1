'use client';

import dynamic from 'next/dynamic';
import Link from '@/app/_components/link';
import { useLocale } from 'next-intl';
import { useCallback, useState } from 'react';

const SubjectSurvey = dynamic(() => import('./subject-survey').then((m) => m.SubjectSurvey), { ssr: false });

interface Subject {
  key: string;
  name: string;
}

/**
 * A colleague ballot answered from the account: one SurveyJS page per colleague, then one
 * submission to /api/v1/me/tasks/{formId}/ballot with an idempotency key made once per page load
 * (a double tap or a retry is accepted once).
 */
export function ColleagueBallot({
  formId,
  subjects,
  definition,
  labels,
}: {
  formId: string;
  subjects: Subject[];
  definition: Record<string, unknown>;
  labels: { rate: string; next: string; submit: string; submitted: string; back: string };
}) {
  const locale = useLocale();
  const [index, setIndex] = useState(0);
  const [answers, setAnswers] = useState<Record<string, Record<string, unknown>>>({});
  const [idempotencyKey] = useState(() => crypto.randomUUID().replaceAll('-', ''));
  const [receipt, setReceipt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const subject = subjects[index]!;
  const last = index === subjects.length - 1;

  const send = useCallback(
    async (all: Record<string, Record<string, unknown>>) => {
      setBusy(true);
      setError(null);
      try {
        const res = await fetch(`/api/v1/me/tasks/${formId}/ballot`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'accept-language': locale },
          body: JSON.stringify({ idempotencyKey, answers: all }),
        });
        const data = await res.json();
        if (!res.ok) setError(data.error?.message ?? String(res.status));
        else setReceipt(data.receipt);
      } catch {
        setError('network');
      } finally {
        setBusy(false);
      }
    },
    [formId, idempotencyKey, locale],
  );

  const onChange = useCallback(() => {}, []);
  const onComplete = useCallback(
    (data: Record<string, unknown>) => {
      const all = { ...answers, [subject.key]: data };
      setAnswers(all);
      if (last) void send(all);
      else setIndex(index + 1);
    },
    [answers, subject.key, last, index, send],
  );

  if (receipt) {
    return (
      <div className="card" role="status">
        <p>{labels.submitted.replace('{receipt}', receipt)}</p>
        <Link href="/me">{labels.back}</Link>
      </div>
    );
  }
  return (
    <div>
      <h2>{labels.rate.replace('{name}', subject.name).replace('{i}', String(index + 1)).replace('{n}', String(subjects.length))}</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {busy && <p className="muted">…</p>}
      {error && last ? (
        <button type="button" onClick={() => void send(answers)} disabled={busy}>
          {labels.submit}
        </button>
      ) : (
        <SubjectSurvey key={subject.key} definition={definition} initial={answers[subject.key] ?? {}} completeText={last ? labels.submit : labels.next} onChange={onChange} onComplete={onComplete} />
      )}
    </div>
  );
}
