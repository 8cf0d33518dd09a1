/**
 * The published Chinese appraisal schemes in DESIGN.md, as configuration over the statistics in
 * stats.ts. Pure.
 */
import { weightedComposite } from './stats';

/** Ballot points: item score = (A×100 + B×80 + C×60 + D×40) ÷ valid ballots. */
export const BALLOT_POINTS: Record<string, number> = { A: 100, B: 80, C: 60, D: 40 };

export function ballotItemScore(counts: Partial<Record<string, number>>, points: Record<string, number> = BALLOT_POINTS): number | null {
  const valid = Object.keys(points).reduce((s, k) => s + (counts[k] ?? 0), 0);
  if (!valid) return null;
  const total = Object.entries(points).reduce((s, [k, p]) => s + (counts[k] ?? 0) * p, 0);
  return Math.round((total / valid) * 10000) / 10000;
}

/** final = leader 20% + staff 40% + panel 40% */
export const BALLOT_GROUP_WEIGHTS = { leader: 20, staff: 40, panel: 40 };

export function ballotFinal(scores: { leader: number | null; staff: number | null; panel: number | null }) {
  return weightedComposite(
    (Object.keys(BALLOT_GROUP_WEIGHTS) as (keyof typeof BALLOT_GROUP_WEIGHTS)[]).map((name) => ({ name, weight: BALLOT_GROUP_WEIGHTS[name], score: scores[name] })),
  );
}

/** 德能勤绩廉 weighted 15/10/30/30/15. */
export const DE_NENG_QIN_JI_LIAN = { 德: 15, 能: 10, 勤: 30, 绩: 30, 廉: 15 } as const;

export function deNengQinJiLian(scores: Record<keyof typeof DE_NENG_QIN_JI_LIAN, number | null>) {
  return weightedComposite(
    (Object.keys(DE_NENG_QIN_JI_LIAN) as (keyof typeof DE_NENG_QIN_JI_LIAN)[]).map((name) => ({ name, weight: DE_NENG_QIN_JI_LIAN[name], score: scores[name] })),
  );
}

/** Grade bands of the 德能勤绩廉 scheme: 优秀 100/95/90, 称职 85/80/75, 基本称职 70/65/60, 不称职 55. */
export const GRADE_BAND_POINTS = {
  excellent: [100, 95, 90],
  competent: [85, 80, 75],
  basic: [70, 65, 60],
  incompetent: [55],
} as const;

/** Raters: supervisors 60%, the rest 40% (self 10%, same office 55%, peers 35% of that 40%). */
export function raterComposite(scores: { supervisors: number | null; self: number | null; sameOffice: number | null; peers: number | null }) {
  const rest = weightedComposite([
    { name: 'self', weight: 10, score: scores.self },
    { name: 'sameOffice', weight: 55, score: scores.sameOffice },
    { name: 'peers', weight: 35, score: scores.peers },
  ]);
  return weightedComposite([
    { name: 'supervisors', weight: 60, score: scores.supervisors },
    { name: 'rest', weight: 40, score: rest.score },
  ]);
}

/** Year = the 4 quarters 95% + leadership 5%. */
export function yearScore(quarters: readonly (number | null)[], leadership: number | null) {
  const q = quarters.filter((x): x is number => x !== null);
  const quarterMean = q.length ? q.reduce((s, x) => s + x, 0) / q.length : null;
  return weightedComposite([
    { name: 'quarters', weight: 95, score: quarterMean },
    { name: 'leadership', weight: 5, score: leadership },
  ]);
}

/** Satisfaction: 满意 100, 基本满意 75, 不满意 55, 不了解 excluded; 满意率 = (满意 + 基本满意) ÷ valid. */
export const SATISFACTION_SCHEME = { scores: { satisfied: 100, fair: 75, unsatisfied: 55 }, excluded: ['unknown'], numerator: ['satisfied', 'fair'] };
