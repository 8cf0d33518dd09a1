'use client';

import { useTranslations } from 'next-intl';
import { useRoundProgress } from './use-round-progress';

const pct = (r: number, e: number) => (e > 0 ? Math.round((r / e) * 1000) / 10 : 0);

/** 回收率 that updates itself every 15 seconds while the page is open. */
export function RoundProgress({ roundId }: { roundId: string }) {
  const t = useTranslations('rounds');
  const data = useRoundProgress(roundId);
  if (!data) return <p aria-busy="true">…</p>;
  return (
    <div data-testid="progress">
      <p>
        {t('received')} <b>{data.received}</b> / {t('expected')} {data.expected} · {t('rate')} <b>{pct(data.received, data.expected)}%</b>
      </p>
      <table>
        <thead>
          <tr>
            <th>{t('school')}</th>
            <th>{t('class')}</th>
            <th className="num">{t('received')}</th>
            <th className="num">{t('expected')}</th>
            <th className="num">{t('rate')}</th>
          </tr>
        </thead>
        <tbody>
          {data.perSchool.map((s) => (
            <tr key={s.schoolId} className="total">
              <td>{s.schoolName}</td>
              <td />
              <td className="num">{s.received}</td>
              <td className="num">{s.expected}</td>
              <td className="num">{pct(s.received, s.expected)}%</td>
            </tr>
          ))}
          {data.perClass.map((c, i) => (
            <tr key={`${c.classId}-${i}`}>
              <td>{c.schoolName}</td>
              <td>{c.className ?? '—'}</td>
              <td className="num">{c.received}</td>
              <td className="num">{c.expected}</td>
              <td className="num">
                <progress max={100} value={pct(c.received, c.expected)} /> {pct(c.received, c.expected)}%
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
