import Link from '@/app/_components/link';
import { getTranslations } from 'next-intl/server';
import { newLedgerItemHref } from '@/app/(office)/ledger/_lib';
import type { Scope } from '@/lib/auth/scope';
import { questionKey } from '@/lib/ledger/follow-up';
import type { RoundResults } from '@/lib/scoring/schemas';
import { fmtPct, fmtScore } from '../_lib';

const SHOWN = 10;

/** Whether the caller files ledger items for this school: the office (the page is already in its scope) or the school's admin. */
export function mayFileLedger(scope: Scope, schoolId: string | null | undefined): schoolId is string {
  return Boolean(schoolId) && (scope.role === 'office' || (scope.role === 'school_admin' && scope.unitId === schoolId));
}

interface Target {
  roundId: string;
  roundTitle: string;
  /** the school whose ledger gets the item */
  unitId: string;
  /** the school or the teacher the figures are of */
  subjectName: string;
  /** a teacher's page: the teacher, prefilled as the responsible person */
  staffId?: string;
}

/** A subject's lowest items (shown figures only), each with 列入整改台帐 prefilled with the round and question. */
export async function ItemsToLedger({ items, raterGroups, target }: { items: RoundResults['items']; raterGroups: RoundResults['round']['raterGroups']; target: Target }) {
  const t = await getTranslations('ledgerExtras');
  const shown = items
    .filter((i) => !i.suppressed && i.stats && (i.stats.satisfaction !== null || i.stats.mean !== null))
    .sort((a, b) => (a.stats!.satisfaction ?? (a.stats!.mean ?? 0) / 100) - (b.stats!.satisfaction ?? (b.stats!.mean ?? 0) / 100))
    .slice(0, SHOWN);
  if (!shown.length) return null;
  const group = (id: string) => raterGroups.find((g) => g.id === id)?.name ?? '';
  return (
    <section className="card no-print" data-testid="items-to-ledger">
      <h2>{t('lowItems')}</h2>
      <p className="muted">{t('lowItemsHelp', { n: SHOWN })}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('item')}</th>
            <th scope="col">{t('raterGroup')}</th>
            <th scope="col" className="num">{t('n')}</th>
            <th scope="col" className="num">{t('satisfaction')}</th>
            <th scope="col" className="num">{t('mean')}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {shown.map((i) => {
            const s = i.stats!;
            const figure = s.satisfaction !== null ? t('figure', { pct: fmtPct(s.satisfaction), n: s.valid }) : t('meanFigure', { mean: fmtScore(s.mean), n: s.valid });
            const href = newLedgerItemHref({
              unitId: target.unitId,
              sourceRoundId: target.roundId,
              sourceQuestion: questionKey(i),
              sourceDetail: t('itemDetail', { round: target.roundTitle, group: group(i.raterGroupId), title: i.title }),
              problem: t('itemProblem', { subject: target.subjectName, title: i.title, figure }),
              responsibleStaffId: target.staffId,
            });
            return (
              <tr key={`${i.formId}:${i.question}:${i.row}`}>
                <td>{i.title}</td>
                <td>{group(i.raterGroupId)}</td>
                <td className="num">{s.valid}</td>
                <td className="num">{fmtPct(s.satisfaction)}</td>
                <td className="num">{fmtScore(s.mean)}</td>
                <td>
                  <Link href={href} title={t('toLedgerHint')} data-ledger-question={questionKey(i)}>
                    {t('toLedger')}
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The comments' keywords, each with 列入整改台帐 prefilled with the round and the word. */
export async function KeywordsToLedger({ comments, target }: { comments: RoundResults['comments']; target: Target }) {
  const t = await getTranslations('ledgerExtras');
  if (!comments || comments.suppressed || !comments.keywords.length) return null;
  return (
    <section className="card no-print" data-testid="keywords-to-ledger">
      <h2>{t('keywordsToLedger')}</h2>
      <ul className="inline-list">
        {comments.keywords.slice(0, 15).map((k) => (
          <li key={k.word}>
            <Link
              href={newLedgerItemHref({
                unitId: target.unitId,
                sourceRoundId: target.roundId,
                sourceDetail: t('keywordDetail', { round: target.roundTitle, word: k.word, count: k.count }),
                problem: t('keywordProblem', { subject: target.subjectName, word: k.word, count: k.count }),
                responsibleStaffId: target.staffId,
              })}
              title={t('toLedgerHint')}
            >
              {k.word}（{k.count}）→ {t('toLedger')}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
