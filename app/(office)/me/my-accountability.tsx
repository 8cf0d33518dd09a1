import { getTranslations } from 'next-intl/server';
import { listRecords } from '@/lib/accountability/records';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';

/** The person's own 效能问责 records in their workspace (shown only when there are any). */
export async function MyAccountability({ db, scope }: { db: Db; scope: Scope }) {
  const { records } = await listRecords(db, scope, { limit: '100' });
  if (!records.length) return null;
  const t = await getTranslations('accountability');
  const ta = await getTranslations('assessment');
  return (
    <section className="card" aria-labelledby="accountability">
      <h2 id="accountability">{t('mine')}</h2>
      <ul>
        {records.map((r) => (
          <li key={r.id} data-record={r.id}>
            <strong>{r.typeName}</strong> · {r.decidedOn}
            {r.revoked && (
              <>
                {' '}
                <span className="tag">{t('revoked')}</span>
              </>
            )}
            <div style={{ whiteSpace: 'pre-wrap' }}>{r.reason}</div>
            {r.capGrade && !r.revoked && <div className="muted">{t('mineCap', { year: r.decidedOn.slice(0, 4), grade: ta(`grades.${r.capGrade}`) })}</div>}
            {r.revoked && r.revokedReason && <div className="muted">{t('revokedBecause', { reason: r.revokedReason })}</div>}
          </li>
        ))}
      </ul>
    </section>
  );
}
