'use client';

import { useEffect, useState } from 'react';

export interface RoundProgressData {
  received: number;
  expected: number;
  perSchool: { schoolId: string; schoolName: string; received: number; expected: number }[];
  perClass: { classId: string | null; schoolName: string; className: string | null; received: number; expected: number }[];
}

/** 回收率 of a round from the progress API, refreshed every 15 seconds while the page is open. */
export function useRoundProgress(roundId: string): RoundProgressData | null {
  const [data, setData] = useState<RoundProgressData | null>(null);
  useEffect(() => {
    let alive = true;
    const load = async () => {
      const res = await fetch(`/api/v1/rounds/${roundId}/progress`, { cache: 'no-store' });
      if (res.ok && alive) setData((await res.json()) as RoundProgressData);
    };
    void load();
    const timer = setInterval(load, 15_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [roundId]);
  return data;
}
