import { cookies } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { LOCALE_COOKIE, MESSAGES, pickLocale } from './config';

// next-intl without locale routing: the locale is the user's choice (a cookie set by the language
// switch), else Simplified Chinese, whatever the browser's language. The JSON API, which has no
// switch, also honours Accept-Language (lib/api/handler.ts).
export default getRequestConfig(async () => {
  const locale = pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, null);
  return { locale, messages: MESSAGES[locale], timeZone: 'Asia/Shanghai' };
});
