import { createTranslator } from 'next-intl';
import type { DomainError } from '@/lib/errors';
import { MESSAGES, type Locale } from './config';

type T = (key: string, params?: Record<string, string | number>) => string;

function has(locale: Locale, key: string): boolean {
  let node: unknown = MESSAGES[locale];
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !(part in node)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string';
}

/** A translator for code outside React (route handlers, the CLI), over the same catalogue as the UI. */
export function translator(locale: Locale): T {
  return createTranslator({ locale, messages: MESSAGES[locale], onError: () => {} }) as unknown as T;
}

function lookup(locale: Locale, group: string, value: string | number | undefined): string | number | undefined {
  return typeof value === 'string' && has(locale, `${group}.${value}`) ? translator(locale)(`${group}.${value}`) : value;
}

/**
 * The user-facing message of a domain error: the message of its `reason` when the catalogue has
 * one (errors.reasons.*), else the general message of its code.
 */
export function translate(locale: Locale, err: DomainError): string {
  const params = { ...err.params };
  if ('entity' in params) params.entity = lookup(locale, 'errors.entities', params.entity)!;
  const reason = typeof params.reason === 'string' && has(locale, `errors.reasons.${params.reason}`) ? params.reason : null;
  return translator(locale)(reason ? `errors.reasons.${reason}` : `errors.${err.code}`, params);
}

/** Field errors as messages: field path → messages in the user's language. */
export function translateFields(locale: Locale, err: DomainError): Record<string, string[]> | undefined {
  if (!err.fields) return undefined;
  const t = translator(locale);
  return Object.fromEntries(
    Object.entries(err.fields).map(([path, issues]) => [
      path,
      issues.map((i) => {
        // row checks shared with roster imports keep their import message
        const key = i.key.startsWith('import_') ? `errors.import.${i.key.slice(7)}` : `errors.fields.${i.key}`;
        return has(locale, key) ? t(key, { value: '', ...i.params }) : t('errors.fields.invalid');
      }),
    ]),
  );
}

/** File issues as located messages, e.g. "教职工 第 5 行 工号：与文件中前面的行重复：XD0001". */
export function translateIssues(locale: Locale, err: DomainError) {
  if (!err.issues) return undefined;
  const t = translator(locale);
  const group = err.code === 'definition_invalid' ? 'errors.definition' : 'errors.import';
  return err.issues.map((i) => {
    const message = has(locale, `${group}.${i.code}`) ? t(`${group}.${i.code}`, i.params) : i.code;
    const text =
      group === 'errors.definition'
        ? i.column
          ? t('errors.definition.location', { path: i.column, message })
          : message
        : i.row
          ? t('errors.import.location', { sheet: i.sheet, row: i.row, column: i.column || '—', message })
          : message;
    return { sheet: i.sheet, row: i.row, column: i.column, code: i.code, message: text };
  });
}

/** Definition errors or warnings as `{ path, code, message }`, e.g. for the template API and editor. */
export function translateDefinitionIssues(locale: Locale, issues: readonly { path: string; code: string; params?: Record<string, string | number> }[]) {
  const t = translator(locale);
  return issues.map((i) => ({
    path: i.path,
    code: i.code,
    message: has(locale, `errors.definition.${i.code}`) ? t(`errors.definition.${i.code}`, i.params) : i.code,
  }));
}
