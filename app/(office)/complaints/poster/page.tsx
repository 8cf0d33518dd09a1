import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import QRCode from 'qrcode';
import { PrintButton } from '@/app/_components/print-button';
import { requirePageSession } from '@/lib/auth/current';
import { unitIdsInScope } from '@/lib/auth/scope';
import { complaintTargets } from '@/lib/complaints/public';
import { getDb } from '@/lib/db/client';
import { publicOrigin } from '@/lib/env';

export const dynamic = 'force-dynamic';

/** Printable posters with the QR code of the public complaint form: one for all units, one per school (the unit preselected). */
export default async function ComplaintPosterPage() {
  const session = await requirePageSession('/complaints/poster', ['office', 'school_admin']);
  const t = await getTranslations('complaints');
  const db = await getDb();
  const origin = publicOrigin(await headers());
  const inScope = new Set(await unitIdsInScope(db, session.scope));
  const targets = (await complaintTargets(db)).filter((u) => inScope.has(u.id));
  const svg = (url: string) => QRCode.toString(url, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const posters = [
    ...(session.user.role === 'office' ? [{ key: 'all', name: t('office.posterAll'), url: `${origin}/tousu` }] : []),
    ...targets.map((u) => ({ key: u.id, name: u.name, url: `${origin}/tousu?unit=${u.id}` })),
  ];
  const rendered = await Promise.all(posters.map(async (p) => ({ ...p, svg: await svg(p.url) })));
  return (
    <>
      <h1>{t('office.poster')}</h1>
      <p className="muted">{t('office.posterHelp')}</p>
      <PrintButton label={t('office.print')} hint={t('office.printHint')} />
      <div className="sheet account-slips">
        {rendered.map((p) => (
          <div key={p.key} className="slip account-slip" data-poster={p.key}>
            <div className="qr" dangerouslySetInnerHTML={{ __html: p.svg }} />
            <div className="slip-text">
              <strong>{t('title')}</strong>
              <span>{p.name}</span>
              <code style={{ fontSize: '9pt', letterSpacing: 0 }}>{p.url}</code>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}
