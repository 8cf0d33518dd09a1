import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import QRCode from 'qrcode';
import { PrintButton } from '@/app/_components/print-button';
import { publicSchoolPage } from '@/lib/commitments/public';
import { getDb } from '@/lib/db/client';
import { publicOrigin } from '@/lib/env';
import { NotFoundError } from '@/lib/errors';
import '../gongkai.css';

export const dynamic = 'force-dynamic';

/**
 * A school's public page (no login, phone first): its rectification progress and the commitments
 * the office has approved. Printed, it is the A4 公示卡 poster with the QR codes of the complaint
 * form (the school preselected) and of this page.
 */
export default async function SchoolPublicPage({ params }: { params: Promise<{ unitId: string }> }) {
  const { unitId } = await params;
  const page = await publicSchoolPage(await getDb(), unitId).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const t = await getTranslations('gongkai');
  const tl = await getTranslations('ledger');
  const origin = publicOrigin(await headers());
  const complaintUrl = `${origin}/tousu?unit=${page.unit.id}`;
  const selfUrl = `${origin}/gongkai/${page.unit.id}`;
  const svg = (url: string) => QRCode.toString(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const [complaintQr, selfQr] = await Promise.all([svg(complaintUrl), svg(selfUrl)]);
  return (
    <section className="gongkai">
      <h1>{t('title', { school: page.unit.name })}</h1>
      <p>{t('intro')}</p>
      <section className="card gk-commitments" aria-labelledby="gk-commitments">
        <h2 id="gk-commitments">{t('commitments')}</h2>
        {!page.commitments.length && <p className="muted">{t('noCommitments')}</p>}
        <ul className="gk-list">
          {page.commitments.map((c) => (
            <li key={c.id} data-commitment={c.id}>
              <div className="gk-who">{c.kind === 'school' ? t('school') : `${c.name ?? ''}${c.position ? `（${c.position}）` : ''}`}</div>
              <p className="gk-body">{c.body}</p>
              <div className="gk-meta">
                <span>{t('due', { date: c.dueOn })}</span>
                <span className="gk-status" data-status={c.status}>
                  {t(`statuses.${c.status}`)}
                </span>
                {c.overdue && <span className="gk-status gk-late">{t('overdue')}</span>}
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card gk-ledger" aria-labelledby="gk-ledger">
        <h2 id="gk-ledger">{t('ledger')}</h2>
        {!page.ledger.length && <p className="muted">{t('noLedger')}</p>}
        <ol className="gk-list">
          {page.ledger.map((i) => (
            <li key={i.seq} data-ledger-seq={i.seq}>
              <div className="gk-meta">
                <span>{i.seq}.</span>
                <span className="gk-status" data-status={i.status}>
                  {tl(`statuses.${i.status}`)}
                </span>
                {i.overdue && <span className="gk-status gk-late">{t('overdue')}</span>}
              </div>
              <dl className="gk-item">
                <dt>{t('problem')}</dt>
                <dd>{i.problem}</dd>
                <dt>{t('measure')}</dt>
                <dd>{i.measure}</dd>
                <dt>{t('target')}</dt>
                <dd>{i.target}</dd>
                <dt>{t('dueOn')}</dt>
                <dd>{i.dueOn}</dd>
              </dl>
            </li>
          ))}
        </ol>
      </section>
      <nav className="gk-links no-print">
        <p>
          <a href={`/tousu?unit=${page.unit.id}`}>{t('complainLink')}</a>
        </p>
        <PrintButton label={t('print')} hint={t('printHint')} />
      </nav>
      <div className="gk-qr" aria-hidden="true">
        <figure data-qr={complaintUrl}>
          <div dangerouslySetInnerHTML={{ __html: complaintQr }} />
          <figcaption>
            <strong>{t('complain')}</strong>
            <br />
            {t('complainHint')}
          </figcaption>
        </figure>
        <figure data-qr={selfUrl}>
          <div dangerouslySetInnerHTML={{ __html: selfQr }} />
          <figcaption>{t('selfQr')}</figcaption>
        </figure>
      </div>
    </section>
  );
}
