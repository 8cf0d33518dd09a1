/**
 * The published schemes of DESIGN.md, each checked against a table computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { ballotFinal, ballotItemScore, deNengQinJiLian, raterComposite, SATISFACTION_SCHEME, yearScore } from '@/lib/scoring/schemes';
import { ci95, distribution, isStraightLined, satisfactionRate, summarize, trimmedMean, weightedComposite } from '@/lib/scoring/stats';

describe('ballot points: (A×100 + B×80 + C×60 + D×40) ÷ valid ballots', () => {
  it('matches the hand-computed item scores', () => {
    // | A  | B | C | D | valid | A×100+B×80+C×60+D×40 | score  |
    // | 12 | 6 | 2 | 0 | 20    | 1200+480+120+0 = 1800 | 90     |
    // | 3  | 4 | 2 | 1 | 10    | 300+320+120+40 = 780  | 78     |
    // | 0  | 0 | 0 | 3 | 3     | 120                   | 40     |
    // | 1  | 1 | 1 | 0 | 3     | 240                   | 80     |
    expect(ballotItemScore({ A: 12, B: 6, C: 2, D: 0 })).toBe(90);
    expect(ballotItemScore({ A: 3, B: 4, C: 2, D: 1 })).toBe(78);
    expect(ballotItemScore({ D: 3 })).toBe(40);
    expect(ballotItemScore({ A: 1, B: 1, C: 1 })).toBe(80);
    expect(ballotItemScore({})).toBeNull();
  });

  it('final = leader 20% + staff 40% + panel 40%', () => {
    // | leader | staff | panel | 0.2×leader + 0.4×staff + 0.4×panel |
    // | 90     | 78    | 80    | 18 + 31.2 + 32 = 81.2               |
    expect(ballotFinal({ leader: 90, staff: 78, panel: 80 })).toEqual({ score: 81.2, renormalised: false, missing: [] });
    // no panel ballots: weights renormalised over 20 + 40 = 60 → (90×20 + 78×40) ÷ 60 = (1800 + 3120) ÷ 60 = 82
    expect(ballotFinal({ leader: 90, staff: 78, panel: null })).toEqual({ score: 82, renormalised: true, missing: ['panel'] });
  });
});

describe('德能勤绩廉 15/10/30/30/15 and the rater and year weights', () => {
  it('weights the five parts', () => {
    // | 德 | 能 | 勤 | 绩 | 廉 | 0.15·德 + 0.10·能 + 0.30·勤 + 0.30·绩 + 0.15·廉   |
    // | 95 | 90 | 85 | 80 | 100 | 14.25 + 9 + 25.5 + 24 + 15 = 87.75               |
    expect(deNengQinJiLian({ 德: 95, 能: 90, 勤: 85, 绩: 80, 廉: 100 }).score).toBe(87.75);
  });

  it('supervisors 60%, the rest 40% (self 10%, same office 55%, peers 35%)', () => {
    // rest = 0.10×100 + 0.55×80 + 0.35×90 = 10 + 44 + 31.5 = 85.5
    // total = 0.6×92 + 0.4×85.5 = 55.2 + 34.2 = 89.4
    expect(raterComposite({ supervisors: 92, self: 100, sameOffice: 80, peers: 90 }).score).toBe(89.4);
  });

  it('year = 4 quarters 95% + leadership 5%', () => {
    // quarters mean = (90 + 85 + 88 + 93) ÷ 4 = 89; year = 0.95×89 + 0.05×100 = 84.55 + 5 = 89.55
    expect(yearScore([90, 85, 88, 93], 100).score).toBe(89.55);
  });
});

describe('satisfaction: 满意 100, 基本满意 75, 不满意 55, 不了解 excluded', () => {
  it('counts 满意率 over valid answers only', () => {
    // answers: 6 满意, 3 基本满意, 1 不满意, 2 不了解 → valid = 10 (不了解 excluded)
    // 满意率 = (6 + 3) ÷ 10 = 0.9; mean score = (6×100 + 3×75 + 1×55) ÷ 10 = (600 + 225 + 55) ÷ 10 = 88
    const answers = [...Array(6).fill('satisfied'), ...Array(3).fill('fair'), 'unsatisfied', 'unknown', 'unknown'];
    const valid = answers.filter((a) => !SATISFACTION_SCHEME.excluded.includes(a));
    expect(satisfactionRate(valid, SATISFACTION_SCHEME.numerator)).toBe(0.9);
    const scores = valid.map((v) => SATISFACTION_SCHEME.scores[v as keyof typeof SATISFACTION_SCHEME.scores]);
    expect(summarize(scores).mean).toBe(88);
    expect(distribution(answers)).toEqual({ satisfied: 6, fair: 3, unsatisfied: 1, unknown: 2 });
  });
});

describe('trimming: more than 5 raters drop one highest and one lowest; 5 or fewer take the plain mean', () => {
  it('matches the hand-computed means', () => {
    // 6 raters: 100, 90, 85, 80, 75, 40 → drop 100 and 40 → (90+85+80+75) ÷ 4 = 82.5
    expect(trimmedMean([100, 90, 85, 80, 75, 40])).toBe(82.5);
    // 5 raters: plain mean (100+90+85+80+40) ÷ 5 = 79
    expect(trimmedMean([100, 90, 85, 80, 40])).toBe(79);
    // a percentage rule: 10% of 10 ratings = 1 from each end
    expect(trimmedMean([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], { kind: 'percent', percent: 10 })).toBe(5.5);
  });
});

describe('ballot quality and spread', () => {
  it('flags a ballot giving every item the same answer', () => {
    expect(isStraightLined(['satisfied', 'satisfied', 'satisfied', 'satisfied'])).toBe(true);
    expect(isStraightLined(['satisfied', 'fair', 'satisfied'])).toBe(false);
    expect(isStraightLined(['satisfied', 'satisfied'])).toBe(false); // too few items to judge
  });

  it('gives a 95% interval from the t distribution', () => {
    // 80, 90, 100: mean 90, sd 10, t(2) = 4.303 → 90 ± 4.303×10/√3 = 90 ± 24.8434
    expect(ci95([80, 90, 100])).toEqual([65.1566, 114.8434]);
    expect(ci95([80])).toBeNull();
  });

  it('a composite with no data at all has no score', () => {
    expect(weightedComposite([{ name: 'parents', weight: 100, score: null }])).toEqual({ score: null, renormalised: true, missing: ['parents'] });
  });
});
