import { getLocale, getTranslations } from 'next-intl/server';
import { setLocale } from './locale-action';

/** A plain form, so switching language works without JavaScript too. */
export async function LocaleSwitcher() {
  const locale = await getLocale();
  const t = await getTranslations('app');
  return (
    <form action={setLocale} className="locale">
      <label>
        <span className="sr-only">{t('language')}</span>
        <button name="locale" value={locale === 'zh-CN' ? 'en' : 'zh-CN'} type="submit" lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}>
          {locale === 'zh-CN' ? 'English' : '中文'}
        </button>
      </label>
    </form>
  );
}
