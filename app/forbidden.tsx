import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';

/** 403 for pages (forbidden() from next/navigation): another teacher's results, another school. */
export default async function Forbidden() {
  const t = await getTranslations('results');
  return (
    <section className="notice" data-testid="forbidden">
      <h1>{t('forbidden')}</h1>
      <p>{t('forbiddenHint')}</p>
      <p>
        <Link href="/results">{t('title')}</Link>
      </p>
    </section>
  );
}
