'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useState, type FormEvent } from 'react';

interface Status {
  trackingCode: string;
  unitName: string;
  category: string;
  status: string;
  stepDueAt: string | null;
  overdue: boolean;
  steps: { status: string; at: string }[];
  declineReason: string | null;
  reply: string | null;
  rating: string | null;
  canRate: boolean;
}

const RATINGS = ['satisfied', 'fair', 'unsatisfied'] as const;

/** Reads a complaint's progress with its tracking code and, when the reply is in, takes the 回访 rating. */
export function TrackForm() {
  const t = useTranslations('complaints');
  const locale = useLocale();
  const [code, setCode] = useState('');
  const [status, setStatus] = useState<Status | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [thanks, setThanks] = useState(false);
  const fmt = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' }).format(new Date(iso));

  async function post(path: string, body: unknown) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': locale }, body: JSON.stringify(body) });
      const json = await res.json();
      if (!res.ok) {
        setError(json.error.fields?.code?.join(' ') ?? json.error.message);
        return false;
      }
      setStatus(json);
      return true;
    } catch {
      setError(t('network'));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function look(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setThanks(false);
    setStatus(null);
    await post('/api/v1/complaints/track', { code });
  }

  async function rate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const comment = String(data.get('comment') ?? '').trim();
    if (await post('/api/v1/complaints/track/rating', { code, rating: data.get('rating'), ...(comment ? { comment } : {}) })) setThanks(true);
  }

  return (
    <>
      <form onSubmit={look} noValidate>
        <label>
          {t('track.code')}
          <input name="code" value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" autoCapitalize="characters" placeholder="XXXX-XXXX-XXXX" required />
        </label>
        <button type="submit" disabled={busy || !hydrated}>
          {t('track.submit')}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      {status && (
        <section className="card complaint-status" data-status={status.status}>
          <p>
            {status.unitName} · {t(`categories.${status.category}`)}
          </p>
          <p>
            {t('track.status')}：<strong>{t(`statuses.${status.status}`)}</strong>
          </p>
          {status.stepDueAt && <p className="muted">{t('track.due', { date: fmt(status.stepDueAt) })}</p>}
          {status.overdue && <p className="error">{t('track.overdue')}</p>}
          <h2>{t('track.steps')}</h2>
          <ol className="steps">
            {status.steps.map((s, i) => (
              <li key={i}>
                {fmt(s.at)} · {t(`statuses.${s.status}`)}
              </li>
            ))}
          </ol>
          {status.declineReason && (
            <>
              <h2>{t('track.declined')}</h2>
              <p className="reply">{status.declineReason}</p>
            </>
          )}
          {status.reply && (
            <>
              <h2>{t('track.reply')}</h2>
              <p className="reply" data-testid="reply">
                {status.reply}
              </p>
            </>
          )}
          {status.rating && (
            <p>
              {t('track.rated')}：{t(`ratings.${status.rating}`)}
            </p>
          )}
          {thanks && (
            <p role="status" className="ok">
              {t('track.thanks')}
            </p>
          )}
          {status.canRate && (
            <form onSubmit={rate} noValidate>
              <fieldset>
                <legend>{t('track.rate')}</legend>
                {RATINGS.map((r) => (
                  <label key={r} className="choice">
                    <input type="radio" name="rating" value={r} required /> {t(`ratings.${r}`)}
                  </label>
                ))}
              </fieldset>
              <label>
                {t('track.ratingComment')}
                <textarea name="comment" rows={3} maxLength={500} />
              </label>
              <button type="submit" disabled={busy || !hydrated}>
                {t('track.rateSubmit')}
              </button>
            </form>
          )}
        </section>
      )}
    </>
  );
}
