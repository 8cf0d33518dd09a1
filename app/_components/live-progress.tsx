'use client';

/** 回收率 of an open round as a chart that updates itself (polls the progress API every 15 s). */
import { useRoundProgress } from './use-round-progress';
import { responseRateBars } from '@/lib/charts/datasets';
import { ChartView } from './chart';

export function LiveProgress({ roundId, labels }: { roundId: string; labels: { title: string; rate: string; received: string; expected: string; suppressed: string; updated: string } }) {
  const data = useRoundProgress(roundId);
  if (!data) return <p aria-busy="true">…</p>;
  const rate = data.expected > 0 ? Math.round((data.received / data.expected) * 1000) / 10 : 0;
  return (
    <div data-testid="live-progress">
      <p aria-live="polite">
        {labels.received} <b data-testid="received">{data.received}</b> / {labels.expected} {data.expected} · {labels.rate} <b>{rate}%</b>{' '}
        <span className="muted">（{labels.updated}）</span>
      </p>
      <ChartView spec={responseRateBars(labels.title, labels.rate, data.perSchool)} suppressedText={labels.suppressed} height={240} />
    </div>
  );
}
