import { getTranslations } from 'next-intl/server';
import { getDb } from '@/lib/db/client';
import { complaintTargets } from '@/lib/complaints/public';
import { ComplaintForm } from './complaint-form';
import './tousu.css';

export const dynamic = 'force-dynamic';

/** The public 效能投诉 form (no login, phone first); a poster's QR code may preselect the unit with ?unit=. */
export default async function ComplaintPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const t = await getTranslations('complaints');
  const { unit } = await searchParams;
  const targets = await complaintTargets(await getDb());
  const preset = targets.some((u) => u.id === unit) ? unit : undefined;
  return (
    <section className="tousu">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <nav className="tousu-links">
        <a href="/tousu/chaxun">{t('trackLink')}</a>
      </nav>
      <ComplaintForm targets={targets} preset={preset} />
    </section>
  );
}
