import Link from '@/app/_components/link';
import { getFormatter, getTranslations } from 'next-intl/server';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { listRounds } from '@/lib/rounds/queries';
import { effectiveStatus } from '@/lib/rounds/status';

export const dynamic = 'force-dynamic';

export default async function RoundsPage() {
  const session = await requirePageSession('/rounds');
  const t = await getTranslations('rounds');
  const format = await getFormatter();
  const rounds = await listRounds(await getDb(), session.scope, { limit: 200 });
  return (
    <>
      <h1>{t('title')}</h1>
      {session.user.role === 'office' && (
        <p>
          <Link href="/rounds/new">{t('new')}</Link>
        </p>
      )}
      {rounds.length === 0 && (
        <EmptyState title={t('noRounds')} next={t('noRoundsNext')} action={session.user.role === 'office' ? { href: '/rounds/new', label: t('new') } : undefined} />
      )}
      <section className="card" hidden={rounds.length === 0}>
        <table>
          <thead>
            <tr>
              <th>{t('name')}</th>
              <th>{t('status')}</th>
              <th>{t('window')}</th>
              <th className="num">{t('rate')}</th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((r) => (
              <tr key={r.id} data-round={r.title}>
                <td>
                  <Link href={`/rounds/${r.id}`}>{r.title}</Link> {r.testMode && <span className="tag">{t('test')}</span>}
                </td>
                <td>{t(`statuses.${effectiveStatus(r)}`)}</td>
                <td>
                  {format.dateTime(r.opensAt, { dateStyle: 'short', timeStyle: 'short' })} – {format.dateTime(r.closesAt, { dateStyle: 'short', timeStyle: 'short' })}
                </td>
                <td className="num">
                  {r.responses}/{r.expected}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
