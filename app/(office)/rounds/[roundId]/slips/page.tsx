import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import QRCode from 'qrcode';
import { requirePageSession } from '@/lib/auth/current';
import { getDb } from '@/lib/db/client';
import { publicOrigin } from '@/lib/env';
import { listLinks } from '@/lib/rounds/links';
import { getRound } from '@/lib/rounds/queries';

export const dynamic = 'force-dynamic';

/** A4 sheets of cut-out slips, each with its QR code and code, for handing out at random. Print from the browser. */
export default async function SlipsPage({ params, searchParams }: { params: Promise<{ roundId: string }>; searchParams: Promise<{ batch?: string }> }) {
  const { roundId } = await params;
  const { batch } = await searchParams;
  const session = await requirePageSession(`/rounds/${roundId}/slips`, ['office']);
  const t = await getTranslations('rounds');
  const db = await getDb();
  const { round } = await getRound(db, session.scope, roundId);
  const links = (await listLinks(db, session.scope, { type: 'user', userId: session.user.id }, roundId, { batch: batch ? Number(batch) : undefined, via: 'slips' })).filter((l) => l.kind !== 'class');
  const origin = publicOrigin(await headers());
  const slips = await Promise.all(
    links.map(async (l) => ({ ...l, svg: await QRCode.toString(`${origin}/s/${l.token}`, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }) })),
  );
  return (
    <div className="slips">
      <p className="no-print muted">{t('slipsHelp', { count: slips.length })}</p>
      <div className="sheet">
        {slips.map((s) => (
          <div key={s.id} className="slip" data-code={s.token}>
            <div className="qr" dangerouslySetInnerHTML={{ __html: s.svg }} />
            <div className="slip-text">
              <strong>{round.title}</strong>
              <span>
                {s.schoolName} {s.className ?? s.label}
              </span>
              <span>{t('slipInstructions')}</span>
              <code>{s.token}</code>
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
