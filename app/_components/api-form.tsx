'use client';

import { useLocale } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';

interface ApiError {
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}

/**
 * A form that calls the JSON API (the same endpoint automation uses), so the UI and the API share
 * one implementation. Inputs become a JSON body by name; `data-type="boolean"` / `"number"` / `"list"` convert
 * values, empty optional inputs are left out. Field errors from the API are shown by field label.
 * A returned `password` or `key` is shown once.
 */
export function ApiForm({
  method,
  action,
  children,
  submitLabel,
  labels = {},
  redirectTo,
  successText,
  className,
  danger,
}: {
  method: 'POST' | 'PATCH' | 'DELETE';
  action: string;
  children?: ReactNode;
  submitLabel: string;
  labels?: Record<string, string>;
  redirectTo?: string;
  successText?: string;
  className?: string;
  danger?: boolean;
}) {
  const router = useRouter();
  // the API answers in the page's language, not the browser's
  const locale = useLocale();
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setOk(false);
    const body: Record<string, unknown> = {};
    for (const el of Array.from(event.currentTarget.elements) as (HTMLInputElement | HTMLTextAreaElement)[]) {
      if (!el.name || el.type === 'submit') continue;
      const type = el.dataset.type;
      if (el.type === 'checkbox') body[el.name] = (el as HTMLInputElement).checked;
      else if (el.value === '' && el.dataset.optional !== undefined) continue;
      else if (type === 'boolean') body[el.name] = el.value === 'true';
      else if (type === 'number') body[el.name] = Number(el.value);
      else if (type === 'json') {
        try {
          body[el.name] = JSON.parse(el.value);
        } catch {
          body[el.name] = el.value; // the API names the field as not an object
        }
      } else if (type === 'list') body[el.name] = el.value.split(/[,，、;；\s]+/).filter(Boolean);
      else body[el.name] = el.value;
    }
    try {
      const res = await fetch(action, {
        method,
        headers: method === 'DELETE' ? { 'accept-language': locale } : { 'content-type': 'application/json', 'accept-language': locale },
        body: method === 'DELETE' ? undefined : JSON.stringify(body),
      });
      const data = res.status === 204 ? null : await res.json();
      if (!res.ok) {
        setError((data as { error: ApiError }).error);
        return;
      }
      const shown = data && (data.password ?? data.key);
      if (shown) setSecret(String(shown));
      setOk(true);
      if (redirectTo) router.push(redirectTo);
      else router.refresh();
    } catch {
      setError({ code: 'network', message: '网络错误 / Network error' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className={className} noValidate>
      {children}
      <button type="submit" disabled={busy} className={danger ? 'danger' : undefined}>
        {submitLabel}
      </button>
      {error && (
        <div role="alert" className="error">
          <p>{error.message}</p>
          {error.fields && (
            <ul>
              {Object.entries(error.fields).map(([field, messages]) => (
                <li key={field} data-field={field}>
                  {labels[field] ?? field}: {messages.join(' ')}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {ok && successText && !secret && (
        <p role="status" className="ok">
          {successText}
        </p>
      )}
      {secret && (
        <p role="status" className="secret">
          <code>{secret}</code>
        </p>
      )}
    </form>
  );
}
