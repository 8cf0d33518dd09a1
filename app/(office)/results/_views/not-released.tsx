import { getTranslations } from 'next-intl/server';

export async function NotReleased() {
  const t = await getTranslations('results');
  return (
    <p className="notice" data-testid="not-released">
      {t('notReleased')}
    </p>
  );
}
