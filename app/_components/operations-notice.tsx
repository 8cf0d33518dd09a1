import { getFormatter, getTranslations } from 'next-intl/server';
import { currentSession } from '@/lib/auth/current';
import { backupStatus } from '@/lib/backup/run';
import { getDb } from '@/lib/db/client';
import { backupDir } from '@/lib/env';
import { retentionWarnings } from '@/lib/retention/purge';

/** For the office on its home page: when the last good backup was made, and rounds whose raw answers are about to be deleted. */
export async function OperationsNotice() {
  const session = await currentSession();
  if (session?.user.role !== 'office') return null;
  const t = await getTranslations('operations');
  const format = await getFormatter();
  const db = await getDb();
  const backup = await backupStatus(db);
  const warnings = await retentionWarnings(db, session.scope);
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
  return (
    <section className="card" aria-label={t('title')}>
      <h2>{t('title')}</h2>
      <p role={backup.stale ? 'alert' : undefined} className={backup.stale ? 'error' : 'muted'}>
        {backup.lastGoodAt ? t('lastBackup', { at: when(backup.lastGoodAt) }) : t('noBackup')}
        {backup.stale && ` ${t('backupStale')}`}
        {!backupDir() && ` ${t('noSchedule')}`}
      </p>
      {warnings.map((w) => (
        <p key={w.roundId} role="alert">
          {t('retentionSoon', { round: w.title, at: when(w.retainUntil) })}{' '}
          <a href={`/api/v1/rounds/${w.roundId}/results/export?kind=raw`}>{t('exportRaw')}</a>
        </p>
      ))}
    </section>
  );
}
