'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useHydrated } from '@/app/_components/use-hydrated';
import { useState, type FormEvent } from 'react';

interface Target {
  id: string;
  kind: 'school' | 'office';
  name: string;
  district: string | null;
}
interface ApiError {
  message: string;
  fields?: Record<string, string[]>;
}

const CATEGORIES = ['slack', 'fees', 'corporal', 'attitude', 'other'] as const;

/** The public complaint form: plain HTML inputs, JSON to /api/v1/complaints, then the tracking code. */
export function ComplaintForm({ targets, preset }: { targets: Target[]; preset?: string }) {
  const t = useTranslations('complaints');
  const locale = useLocale();
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();
  const [error, setError] = useState<ApiError | null>(null);
  const [filed, setFiled] = useState<{ trackingCode: string; acceptBy: string } | null>(null);
  const districts = [...new Set(targets.map((u) => u.district ?? ''))];

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body = Object.fromEntries([...data.entries()].filter(([, v]) => String(v).trim() !== '').map(([k, v]) => [k, String(v)]));
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/v1/complaints', { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': locale }, body: JSON.stringify(body) });
      const json = await res.json();
      if (!res.ok) setError(json.error);
      else setFiled(json);
    } catch {
      setError({ message: t('network') });
    } finally {
      setBusy(false);
    }
  }

  if (filed) {
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(new Date(filed.acceptBy));
    return (
      <section className="thanks" role="status">
        <h2>{t('filed')}</h2>
        <p>{t('codeIs')}</p>
        <p className="tracking-code" data-testid="tracking-code">
          {filed.trackingCode}
        </p>
        <p>{t('keepCode')}</p>
        <p className="muted">{t('acceptBy', { date })}</p>
        <p>
          <a href={`/tousu/chaxun`}>{t('trackLink')}</a>
        </p>
      </section>
    );
  }

  const fieldError = (name: string) =>
    error?.fields?.[name] ? (
      <span className="error field-error" data-field={name}>
        {error.fields[name]!.join(' ')}
      </span>
    ) : null;

  return (
    <form onSubmit={submit} noValidate className="complaint-form">
      <label>
        {t('unit')}
        <select name="unitId" required defaultValue={preset ?? ''}>
          <option value="">{t('chooseUnit')}</option>
          {districts.map((d) => (
            <optgroup key={d} label={d || '—'}>
              {targets
                .filter((u) => (u.district ?? '') === d)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        {fieldError('unitId')}
      </label>
      <label>
        {t('person')}
        <input name="personName" maxLength={30} autoComplete="off" />
        {fieldError('personName')}
      </label>
      <fieldset>
        <legend>{t('category')}</legend>
        {CATEGORIES.map((c) => (
          <label key={c} className="choice">
            <input type="radio" name="category" value={c} required /> {t(`categories.${c}`)}
          </label>
        ))}
        {fieldError('category')}
      </fieldset>
      <label>
        {t('body')}
        <textarea name="body" rows={6} maxLength={2000} required />
        <span className="muted">{t('bodyHelp')}</span>
        {fieldError('body')}
      </label>
      <p className="anonymity">{t('anonymousNote')}</p>
      <label>
        {t('name')}
        <input name="name" maxLength={30} autoComplete="name" />
        {fieldError('name')}
      </label>
      <label>
        {t('contact')}
        <input name="contact" maxLength={60} inputMode="tel" autoComplete="tel" />
        {fieldError('contact')}
      </label>
      <button type="submit" disabled={busy || !hydrated}>
        {busy ? t('sending') : t('submit')}
      </button>
      {error && (
        <p role="alert" className="error">
          {error.message}
        </p>
      )}
    </form>
  );
}
