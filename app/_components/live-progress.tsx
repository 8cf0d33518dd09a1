'use client';

/** 回收率 of an open round as a chart that updates itself (polls the progress API every 15 s). */
import { useEffect, useState } from 'react';
import { responseRateBars } from '@/lib/charts/datasets';
import { ChartView } from './chart';

interface Progress {
  received: number;
  expected: number;
  perSchool: { schoolId: string; schoolName: string; received: number; expected: number }[];
}

export function LiveProgress({ roundId, labels }: { roundId: string; labels: { title: string; rate: string; received: string; expected: string; suppressed: string; updated: string } }) {
  const [data, setData] = useState<Progress | null>(null);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const res = await fetch(`/api/v1/rounds/${roundId}/progress`, { cache: 'no-store' });
      if (res.ok && alive) setData((await res.json()) as Progress);
    };
    void load();
    const timer = setInterval(load, 15_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [roundId]);
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
