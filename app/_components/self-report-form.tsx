'use client';

import dynamic from 'next/dynamic';
import { useLocale } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';

const SubjectSurvey = dynamic(() => import('./subject-survey').then((m) => m.SubjectSurvey), { ssr: false });

interface ApiError {
  message: string;
  fields?: Record<string, string[]>;
}

/**
 * The 六查六看 self-inspection as the staff member's named report: the SurveyJS form (the six
 * checks, problems found, measures) and the public commitments; 保存草稿 keeps it as a draft,
 * completing the form submits it (PUT /api/v1/me/tasks/{formId}/report).
 */
export function SelfReportForm({
  formId,
  definition,
  initial,
  commitments: initialCommitments,
  labels,
}: {
  formId: string;
  definition: Record<string, unknown>;
  initial: Record<string, unknown>;
  commitments: string;
  labels: { commitments: string; saveDraft: string; saved: string; submit: string; submitted: string };
}) {
  const locale = useLocale();
  const router = useRouter();
  const data = useRef<Record<string, unknown>>(initial);
  const [commitments, setCommitments] = useState(initialCommitments);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [round, setRound] = useState(0);
  // what a remounted form starts from (after a submission, the answers so far)
  const [seed, setSeed] = useState(initial);
  const remount = useCallback(() => {
    setSeed(data.current);
    setRound((n) => n + 1);
  }, []);

  const save = useCallback(
    async (submit: boolean) => {
      setError(null);
      setMessage(null);
      const res = await fetch(`/api/v1/me/tasks/${formId}/report`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'accept-language': locale },
        body: JSON.stringify({ answers: data.current, commitments, submit }),
      });
      const body = await res.json();
      if (!res.ok) {
        setError(body.error);
        // the survey completed itself: show it again with the answers so far
        if (submit) remount();
        return;
      }
      setMessage(submit ? labels.submitted : labels.saved);
      router.refresh();
      if (submit) remount();
    },
    [formId, commitments, locale, labels, router, remount],
  );
  const onChange = useCallback((d: Record<string, unknown>) => {
    data.current = d;
  }, []);
  const onComplete = useCallback(
    (d: Record<string, unknown>) => {
      data.current = d;
      void save(true);
    },
    [save],
  );

  return (
    <div className="self-report">
      {message && <p role="status">{message}</p>}
      {error && (
        <div role="alert" className="error">
          <p>{error.message}</p>
          {error.fields && (
            <ul>
              {Object.entries(error.fields).map(([field, messages]) => (
                <li key={field}>
                  {field === 'commitments' ? labels.commitments : field}: {messages.join(' ')}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <label className="block">
        {labels.commitments}
        <textarea name="commitments" rows={3} maxLength={1000} value={commitments} onChange={(e) => setCommitments(e.target.value)} />
      </label>
      <SubjectSurvey key={round} definition={definition} initial={seed} completeText={labels.submit} onChange={onChange} onComplete={onComplete} />
      <button type="button" className="secondary" onClick={() => void save(false)}>
        {labels.saveDraft}
      </button>
    </div>
  );
}
