import en from './messages/en.json';
import zhCN from './messages/zh-CN.json';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
export const LOCALE_COOKIE = 'pingyi_locale';

export const MESSAGES: Record<Locale, typeof zhCN> = { 'zh-CN': zhCN, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale for a request: an explicit choice (cookie or ?lang) wins; otherwise English only when
 * the browser prefers English over Chinese; otherwise Simplified Chinese.
 */
export function pickLocale(explicit: string | null | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(explicit)) return explicit;
  if (explicit === 'zh' || explicit === 'zh-cn') return 'zh-CN';
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : DEFAULT_LOCALE;
}
