import { getTranslations } from 'next-intl/server';
import { EmptyState } from '@/app/(office)/_components/empty-state';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { slipPiles } from '@/lib/rounds/links';
import { getRound } from '@/lib/rounds/queries';

export const dynamic = 'force-dynamic';

/**
 * The slips of a batch (or of the round) as print-ready PDFs: the whole batch, or one class at a
 * time. The page lists the piles with their counts, never the codes, so it stays small for 24,000
 * codes; the PDF (GET /api/v1/rounds/{id}/slips) is where the codes are, and fetching it is audited.
 */
export default async function SlipsPage({ params, searchParams }: { params: Promise<{ roundId: string }>; searchParams: Promise<{ batch?: string }> }) {
  const { roundId } = await params;
  const { batch: rawBatch } = await searchParams;
  const session = await requirePageSession(`/rounds/${roundId}/slips`, ['office']);
  const t = await getTranslations('rounds');
  const db = await getDb();
  const { round } = await getRound(db, session.scope, roundId);
  const batch = rawBatch && /^\d{1,9}$/.test(rawBatch) && Number(rawBatch) > 0 ? Number(rawBatch) : undefined;
  const piles = await slipPiles(db, roundId, batch);
  const total = piles.reduce((sum, p) => sum + p.n, 0);
  const pdf = (classId?: string | null) => {
    const q = new URLSearchParams();
    if (batch) q.set('batch', String(batch));
    if (classId) q.set('classId', classId);
    return `/api/v1/rounds/${roundId}/slips${q.size ? `?${q}` : ''}`;
  };
  return (
    <div className="slips">
      <h1>
        {round.title} · {batch ? t('printSlips', { batch }) : t('slipsAll')}
      </h1>
      {!total ? (
        <EmptyState title={t('noSlips')} next={t('noSlipsNext')} action={{ href: `/rounds/${roundId}`, label: round.title }} />
      ) : (
        <>
          <p className="muted">{t('slipsHelp', { count: total })}</p>
          <p>
            <a className="button" href={pdf()} download data-testid="slips-pdf">
              {t('slipsPdf', { count: total })}
            </a>
          </p>
          <table>
            <thead>
              <tr>
                <th>{t('school')}</th>
                <th>{t('slipsPile')}</th>
                <th>{t('slipsCount')}</th>
                <th>{t('slipsPdfClass')}</th>
              </tr>
            </thead>
            <tbody>
              {piles.map((p) => (
                <tr key={`${p.schoolName}:${p.classId ?? p.label}`}>
                  <td>{p.schoolName}</td>
                  <td>{p.className ?? p.label}</td>
                  <td>{p.n}</td>
                  <td>
                    {p.classId ? (
                      <a href={pdf(p.classId)} download aria-label={`${t('slipsPdfClass')} ${p.schoolName} ${p.className ?? ''}`}>
                        {t('slipsPdfClass')}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
