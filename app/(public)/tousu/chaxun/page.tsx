import { getTranslations } from 'next-intl/server';
import { TrackForm } from '../track-form';
import '../tousu.css';

/** Checking a complaint with its tracking code (查询); the code is sent in a POST body, never in the address. */
export default async function TrackPage() {
  const t = await getTranslations('complaints');
  return (
    <section className="tousu">
      <h1>{t('track.title')}</h1>
      <TrackForm />
      <nav className="tousu-links">
        <a href="/tousu">{t('fileLink')}</a>
      </nav>
    </section>
  );
}
