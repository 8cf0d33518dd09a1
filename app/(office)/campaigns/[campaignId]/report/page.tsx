import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { requirePageSession } from '@/lib/auth/current';
import type { Change } from '@/lib/campaigns/compare';
import { campaignReport, type CampaignReport } from '@/lib/campaigns/report';
import { getDb } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';

export const dynamic = 'force-dynamic';

type Paired = NonNullable<CampaignReport['comparison']>['schools'][number];

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(Math.round(x * 1000) / 10).toFixed(1)}%`);
const points = (c: Change | null) => (c ? `${c.diff >= 0 ? '+' : ''}${(c.diff * 100).toFixed(1)}` : '—');
const pointsCi = (c: Change | null) => (c ? `[${(c.ci95[0] * 100).toFixed(1)}, ${(c.ci95[1] * 100).toFixed(1)}]` : '—');
const scoreDiff = (c: Change | null) => (c ? `${c.diff >= 0 ? '+' : ''}${c.diff.toFixed(2)} [${c.ci95[0].toFixed(2)}, ${c.ci95[1].toFixed(2)}]` : '—');

/** The campaign report (总结): the office's, or a school admin's for their school; downloads as xlsx and A4 PDF. */
export default async function CampaignReportPage({ params }: { params: Promise<{ campaignId: string }> }) {
  const { campaignId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(campaignId)) notFound();
  const session = await requirePageSession(`/campaigns/${campaignId}/report`, ['office', 'school_admin']);
  const t = await getTranslations('campaignReport');
  const db = await getDb();
  const r = await campaignReport(db, session.scope, campaignId).catch((e) => {
    if (e instanceof DomainError && e.code === 'not_found') notFound();
    throw e;
  });
  const c = r.comparison;
  const api = `/api/v1/campaigns/${campaignId}/report`;
  const figure = (f: Paired['before'], key: 'n' | 'satisfaction') => (!f ? '—' : f.suppressed ? <span className="muted">{t('suppressed')}</span> : key === 'n' ? f.n : pct(f.satisfaction));
  const pairedRows = (rows: (Paired & { label: string; key: string })[]) =>
    rows.map((x) => (
      <tr key={x.key} data-row={x.label} data-direction={x.direction ?? ''}>
        <td>{x.label}</td>
        <td className="num">{figure(x.before, 'n')}</td>
        <td className="num">{figure(x.before, 'satisfaction')}</td>
        <td className="num">{figure(x.after, 'n')}</td>
        <td className="num">{figure(x.after, 'satisfaction')}</td>
        <td className="num">{points(x.satisfaction)}</td>
        <td className="num">{pointsCi(x.satisfaction)}</td>
        <td className="num">{scoreDiff(x.score)}</td>
        <td>{x.direction ? t(`directions.${x.direction}`) : '—'}</td>
      </tr>
    ));
  const pairedHead = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        <th className="num">{t('before')} {t('n')}</th>
        <th className="num">{t('before')} {t('satisfaction')}</th>
        <th className="num">{t('after')} {t('n')}</th>
        <th className="num">{t('after')} {t('satisfaction')}</th>
        <th className="num">{t('change')}</th>
        <th className="num">{t('ci')}</th>
        <th className="num">{t('scoreChange')}</th>
        <th>{t('direction')}</th>
      </tr>
    </thead>
  );
  return (
    <>
      <h1>
        {r.campaign.title} · {t('title')}
      </h1>
      <p className="muted">
        <Link href={`/campaigns/${campaignId}`}>{r.campaign.unitName}</Link> · {r.campaign.startsOn} – {r.campaign.endsOn}
      </p>
      <p className="no-print">
        {t('download')}：<a href={`${api}?format=xlsx`}>{t('xlsx')}</a> · <a href={`${api}?format=pdf`}>{t('pdf')}</a>
      </p>

      <section className="card" aria-label={t('participation')}>
        <h2>{t('participation')}</h2>
        {r.participation.map((p) => (
          <table key={p.roundId} data-round={p.title}>
            <caption>{p.title}</caption>
            <thead>
              <tr>
                <th>{t('school')}</th>
                <th className="num">{t('responses')}</th>
                <th className="num">{t('expected')}</th>
                <th className="num">{t('rate')}</th>
                {p.schools[0]?.groups.map((g) => <th key={g.raterGroupId} className="num">{g.name}</th>)}
              </tr>
            </thead>
            <tbody>
              {p.schools.map((s) => (
                <tr key={s.schoolId}>
                  <td>{s.schoolName}</td>
                  <td className="num">{s.responses}</td>
                  <td className="num">{s.expected}</td>
                  <td className="num">{pct(s.rate)}</td>
                  {s.groups.map((g) => (
                    <td key={g.raterGroupId} className="num">
                      {g.responses}/{g.expected}
                    </td>
                  ))}
                </tr>
              ))}
              <tr className="total">
                <td>{t('total')}</td>
                <td className="num">{p.responses}</td>
                <td className="num">{p.expected}</td>
                <td className="num">{pct(p.rate)}</td>
              </tr>
            </tbody>
          </table>
        ))}
      </section>

      <section className="card" aria-label={t('comparison')}>
        <h2>{t('comparison')}</h2>
        {!c && <p>{t('noComparison')}</p>}
        {c?.withheld && <p>{t('withheld')}</p>}
        {c?.baseline && c.followUp && (
          <>
            <p className="muted">
              {t('before')}：{c.baseline.title} · {t('after')}：{c.followUp.title}
            </p>
            <h3>{t('bySchool')}</h3>
            <table data-testid="comparison-schools">
              {pairedHead(t('school'))}
              <tbody>{pairedRows(c.schools.map((s) => ({ ...s, label: s.schoolName, key: s.schoolId })))}</tbody>
            </table>
            <p>
              {t('improved')}：{c.improved.join('、') || t('none')}
              <br />
              {t('declined')}：{c.declined.join('、') || t('none')}
            </p>
            <h3>{t('byItem')}</h3>
            <table data-testid="comparison-items">
              {pairedHead('')}
              <tbody>{pairedRows(c.items.map((i) => ({ ...i, schoolId: '', schoolName: '', label: `${i.group} · ${i.title}`, key: `${i.group}:${i.question}:${i.row}` })))}</tbody>
            </table>
            <p className="muted">{t('method', { threshold: c.threshold ?? 5 })}</p>
          </>
        )}
      </section>

      <section className="card" aria-label={t('ledger')}>
        <h2>{t('ledger')}</h2>
        <div className="stats">
          {Object.entries(r.ledger.byStatus).map(([k, v]) => (
            <div className="stat" key={k}>
              <b>{v}</b>
              {t(`ledgerStatus.${k}`)}
            </div>
          ))}
          <div className="stat" data-testid="on-time-rate">
            <b>{pct(r.ledger.onTimeRate)}</b>
            {t('onTimeRate')}（{r.ledger.onTime}/{r.ledger.due}）
          </div>
        </div>
      </section>

      <section className="card" aria-label={t('complaints')}>
        <h2>{t('complaints')}</h2>
        <div className="stats">
          {Object.entries(r.complaints.byCategory).map(([k, v]) => (
            <div className="stat" key={k}>
              <b>{v}</b>
              {t(`categories.${k}`)}
            </div>
          ))}
          <div className="stat">
            <b>{r.complaints.closed}</b>
            {t('closed')}
          </div>
          <div className="stat">
            <b>{r.complaints.medianWorkingDays ?? '—'}</b>
            {t('median')}
          </div>
        </div>
      </section>

      <section className="card" aria-label={t('commitments')}>
        <h2>{t('commitments')}</h2>
        <div className="stats">
          {Object.entries(r.commitments.byStatus).map(([k, v]) => (
            <div className="stat" key={k}>
              <b>{v}</b>
              {t(`commitmentStatus.${k}`)}
            </div>
          ))}
        </div>
      </section>

      {r.accountability && (
        <section className="card" aria-label={t('accountability')}>
          <h2>{t('accountability')}</h2>
          <table>
            <thead>
              <tr>
                <th>{t('measure')}</th>
                <th className="num">{t('count')}</th>
              </tr>
            </thead>
            <tbody>
              {r.accountability.byType.map((x) => (
                <tr key={x.typeId}>
                  <td>{x.name}</td>
                  <td className="num">{x.count}</td>
                </tr>
              ))}
              <tr className="total">
                <td>{t('total')}</td>
                <td className="num">{r.accountability.total}</td>
              </tr>
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
