import { getTranslations } from 'next-intl/server';
import { fmtPct, fmtScore } from '@/app/(office)/results/_lib';
import type { getLedgerItem } from '@/lib/ledger/ledger';

type Data = NonNullable<Awaited<ReturnType<typeof getLedgerItem>>['followUp']>;

/** 回头看: the question's figure in the source round → each later round, e.g. 来源测评 72.0% (n=40) → 回头看 85.0% (n=38). */
export async function FollowUp({ followUp }: { followUp: Data }) {
  const t = await getTranslations('ledgerExtras');
  const terms = await getTranslations('results');
  const figureText = (f: Data['rounds'][number]['figures'][number]) =>
    f.suppressed || f.n === null ? t('suppressed') : f.satisfaction !== null ? t('figure', { pct: fmtPct(f.satisfaction), n: f.n }) : t('meanFigure', { mean: fmtScore(f.mean), n: f.n });
  const line = followUp.rounds
    .map((r) => `${r.source ? t('sourceRound') : t('laterRound')} ${r.suppressed && !r.figures.length ? t('suppressed') : r.figures.map(figureText).join(' / ') || '—'}`)
    .join(' → ');
  return (
    <section className="card" data-testid="ledger-follow-up">
      <h2>{t('followUp')}</h2>
      <p>
        <strong data-testid="ledger-follow-up-line">{line}</strong>
      </p>
      <p className="muted">{t('followUpHelp')}</p>
      <table>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t('raterGroup')}</th>
            <th scope="col">{t('item')}</th>
            <th scope="col" className="num">{t('n')}</th>
            <th scope="col" className="num">{t('satisfaction')}</th>
            <th scope="col" className="num">{t('mean')}</th>
          </tr>
        </thead>
        <tbody>
          {followUp.rounds.flatMap((r) => {
            const label = `${r.source ? t('sourceRound') : t('laterRound')} · ${r.title} · ${r.schoolYear} ${terms(`terms.${r.term}` as 'terms.1')}`;
            if (!r.figures.length)
              return [
                <tr key={r.roundId}>
                  <th scope="row">{label}</th>
                  <td colSpan={5} className="suppressed">
                    {t('suppressed')}
                  </td>
                </tr>,
              ];
            return r.figures.map((f, i) => (
              <tr key={`${r.roundId}:${i}`}>
                <th scope="row">{label}</th>
                <td>{f.raterGroup}</td>
                <td>{f.title}</td>
                {f.suppressed ? (
                  <td colSpan={3} className="suppressed">
                    {t('suppressed')}
                  </td>
                ) : (
                  <>
                    <td className="num">{f.n}</td>
                    <td className="num">{fmtPct(f.satisfaction)}</td>
                    <td className="num">{fmtScore(f.mean)}</td>
                  </>
                )}
              </tr>
            ));
          })}
        </tbody>
      </table>
      {followUp.rounds.length < 2 && <p className="muted">{t('followUpNone')}</p>}
    </section>
  );
}
