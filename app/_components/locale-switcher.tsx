import { getLocale, getTranslations } from 'next-intl/server';
import { setLocale } from './locale-action';

/** A plain form, so switching language works without JavaScript too. */
export async function LocaleSwitcher() {
  const locale = await getLocale();
  const t = await getTranslations('app');
  const other = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <form action={setLocale} className="locale" aria-label={t('language')}>
      <button name="locale" value={other} type="submit" lang={other}>
        {other === 'en' ? 'English' : '中文'}
      </button>
    </form>
  );
}
