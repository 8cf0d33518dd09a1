'use client';

import { useLocale } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useHydrated } from './use-hydrated';

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
  confirm,
}: {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  action: string;
  children?: ReactNode;
  submitLabel: string;
  labels?: Record<string, string>;
  redirectTo?: string;
  successText?: string;
  className?: string;
  danger?: boolean;
  /** asked before an irreversible action is sent; false leaves everything as it was */
  confirm?: () => Promise<boolean>;
}) {
  const router = useRouter();
  // the API answers in the page's language, not the browser's
  const locale = useLocale();
  const [error, setError] = useState<ApiError | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [ok, setOk] = useState(false);
  const [busy, setBusy] = useState(false);
  const hydrated = useHydrated();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    if (confirm && !(await confirm())) return;
    setBusy(true);
    setError(null);
    setOk(false);
    const body: Record<string, unknown> = {};
    for (const el of Array.from(form.elements) as (HTMLInputElement | HTMLTextAreaElement)[]) {
      if (!el.name || el.type === 'submit') continue;
      if (el.type === 'checkbox' && el.dataset.type === 'set') {
        // checked boxes with the same name collect into a list
        const list = (getPath(body, el.name) as unknown[] | undefined) ?? [];
        if ((el as HTMLInputElement).checked) list.push(el.value);
        setPath(body, el.name, list);
        continue;
      }
      const value = readValue(el);
      if (value === SKIP) continue;
      setPath(body, el.name, value);
    }
    pruneEmptyRows(body);
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
      <button type="submit" disabled={busy || !hydrated} className={danger ? 'danger' : undefined}>
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

const SKIP = Symbol('skip');

/** One input's value, converted by its data-type; SKIP for an empty optional input. */
function readValue(el: HTMLInputElement | HTMLTextAreaElement): unknown {
  const type = el.dataset.type;
  if (el.type === 'checkbox') return (el as HTMLInputElement).checked;
  if (el.value === '' && el.dataset.optional !== undefined) return SKIP;
  switch (type) {
    case 'boolean':
      return el.value === 'true';
    case 'number':
      return el.value === '' ? undefined : Number(el.value);
    case 'json':
      try {
        return JSON.parse(el.value);
      } catch {
        return el.value; // the API names the field as not an object
      }
    case 'list':
      return el.value.split(/[,，、;；\s]+/).filter(Boolean);
    case 'lines':
      return el.value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    case 'datetime':
      // a datetime-local value is China time
      return el.value ? `${el.value.length === 16 ? `${el.value}:00` : el.value}+08:00` : undefined;
    default:
      return el.value;
  }
}

/** Names such as raterGroups.0.weight build nested objects and arrays. */
function setPath(target: Record<string, unknown>, name: string, value: unknown) {
  const parts = name.split('.');
  let node: Record<string, unknown> | unknown[] = target;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key: string | number = /^\d+$/.test(part) ? Number(part) : part;
    const container = node as Record<string | number, unknown>;
    if (last) container[key] = value;
    else {
      container[key] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
      node = container[key] as Record<string, unknown>;
    }
  });
}

function getPath(target: Record<string, unknown>, name: string): unknown {
  return name.split('.').reduce<unknown>((n, p) => (n as Record<string, unknown> | undefined)?.[p], target);
}

/** Rows of a repeated group left entirely blank are not sent. */
function pruneEmptyRows(node: unknown) {
  if (Array.isArray(node)) {
    for (let i = node.length - 1; i >= 0; i--) {
      const row = node[i];
      const blank = row && typeof row === 'object' && !Array.isArray(row) && Object.values(row).every((v) => v === '' || v === undefined);
      if (blank || row === undefined) node.splice(i, 1);
      else pruneEmptyRows(row);
    }
  } else if (node && typeof node === 'object') for (const v of Object.values(node)) pruneEmptyRows(v);
}
