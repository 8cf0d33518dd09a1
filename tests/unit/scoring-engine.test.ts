/**
 * The pure parts of the scoring engine: statistics from answer counts, ballot quality, keyword
 * frequencies, empirical-Bayes shrinkage and the assembly of results, each against a table
 * computed by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeBallot } from '@/lib/scoring/ballots';
import { scoringConfig } from '@/lib/scoring/config';
import { questionStats, type CountRow } from '@/lib/scoring/distribution';
import { keywordFrequencies } from '@/lib/scoring/keywords';
import { gradeVotes, itemResults, summarize, type CountRecord, type RoundMeta } from '@/lib/scoring/results';
import { shrinkTowardMean } from '@/lib/scoring/shrinkage';
import { summarize as summarizeList, trimmedMean, type TrimRule } from '@/lib/scoring/stats';
import type { FactDraft } from '@/lib/surveys/annotations';

const SAT = { satisfied: 100, fair: 75, unsatisfied: 55 };
const row = (value: string, n: number, score: number | null = SAT[value as keyof typeof SAT] ?? null, excluded = value === 'unknown'): CountRow => ({ value, score, excluded, n });

describe('question statistics from counts', () => {
  it('matches the hand-computed table of one satisfaction item', () => {
    // | answer   | count | score | valid? |
    // | 满意     | 4     | 100   | yes    |
    // | 基本满意 | 2     | 75    | yes    |
    // | 不满意   | 1     | 55    | yes    |
    // | 不了解   | 1     | —     | no (excluded) |
    // valid 7; mean = (400 + 150 + 55) ÷ 7 = 605 ÷ 7 = 86.4286
    // sorted 55 75 75 100 100 100 100 → median 100; more than 5 → drop 55 and one 100:
    //   trimmed = (75 + 75 + 100 + 100 + 100) ÷ 5 = 90
    // sd (n − 1) = 18.1921; 95% CI = 86.4286 ± 2.447 × 18.1921 ÷ √7 = [69.6031, 103.2541]
    // 满意率 = (满意 4 + 基本满意 2) ÷ valid 7 = 0.8571
    const s = questionStats([row('satisfied', 4), row('fair', 2), row('unsatisfied', 1), row('unknown', 1)], {
      trim: { kind: 'extremes', above: 5 },
      numerator: ['satisfied', 'fair'],
    });
    expect(s).toEqual({
      answered: 8,
      valid: 7,
      excluded: 1,
      distribution: { satisfied: 4, fair: 2, unsatisfied: 1, unknown: 1 },
      mean: 86.4286,
      sd: 18.1921,
      median: 100,
      trimmedMean: 90,
      ci95: [69.6031, 103.2541],
      satisfaction: 0.8571,
    });
  });

  it('gives the same figures as the list statistics for any counts', () => {
    const rule = fc.oneof(
      fc.constant<TrimRule>({ kind: 'extremes', above: 5 }),
      fc.integer({ min: 0, max: 25 }).map<TrimRule>((percent) => ({ kind: 'percent', percent })),
      fc.constant<TrimRule>({ kind: 'none' }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 30 })), { maxLength: 6 }), rule, (pairs, trim) => {
        const rows = pairs.map(([score, n]) => ({ value: String(score), score, excluded: false, n }));
        const list = pairs.flatMap(([score, n]) => Array<number>(n).fill(score));
        const fast = questionStats(rows, { trim, numerator: null });
        const slow = summarizeList(list);
        expect(fast.valid).toBe(list.length);
        expect(fast.mean).toBe(slow.mean);
        expect(fast.sd).toBe(slow.sd);
        expect(fast.median).toBe(slow.median);
        expect(fast.ci95).toEqual(slow.ci95);
        expect(fast.trimmedMean).toBe(trimmedMean(list, trim));
      }),
    );
  });

  it('has no numbers when every answer is excluded', () => {
    const s = questionStats([row('unknown', 3)], { trim: { kind: 'none' }, numerator: ['satisfied'] });
    expect(s).toMatchObject({ answered: 3, valid: 0, excluded: 3, mean: null, median: null, satisfaction: null });
  });
});

describe('ballot quality', () => {
  const fact = (question: string, value: string, score: number | null = 1): FactDraft => ({ question, row: '', dimension: null, value, score, excluded: false, itemIndex: 0 });
  const rules = scoringConfig.parse({});
  const grades = new Set(['grade']);

  it('voids a ballot giving every person on the list the same 等次 (the default rule)', () => {
    const ballot = ['A', 'B', 'C'].map(() => ({ facts: [fact('grade', 'excellent'), fact('q1', 'satisfied'), fact('q2', 'fair')] }));
    expect(judgeBallot(ballot, grades, rules)).toEqual({ flag: 'same_grade', void: true });
    expect(judgeBallot(ballot, grades, { ...rules, voidSameGrade: false })).toEqual({ flag: 'same_grade', void: false });
    // two people only: nothing to say
    expect(judgeBallot(ballot.slice(0, 2), grades, rules).flag).not.toBe('same_grade');
  });

  it('flags a straight-lined response and voids it only when the round says so', () => {
    const same = [{ facts: ['a', 'b', 'c', 'd', 'e'].map((q) => fact(q, 'satisfied')) }];
    expect(judgeBallot(same, grades, rules)).toEqual({ flag: 'straight_line', void: false });
    expect(judgeBallot(same, grades, { ...rules, voidStraightLined: true })).toEqual({ flag: 'straight_line', void: true });
    const varied = [{ facts: ['a', 'b', 'c', 'd', 'e'].map((q, i) => fact(q, i === 2 ? 'fair' : 'satisfied')) }];
    expect(judgeBallot(varied, grades, rules)).toEqual({ flag: null, void: false });
    // four items are too few to call it straight-lining (the default minimum is 5)
    expect(judgeBallot([{ facts: same[0]!.facts.slice(0, 4) }], grades, rules).flag).toBeNull();
  });
});

describe('keyword frequencies', () => {
  it('segments Chinese comments, drops stop words and counts each word once per comment', () => {
    const words = keywordFrequencies(['希望减少作业量，作业太多了', '老师很负责，作业批改及时', '建议加强校门口交通安全', '食堂饭菜可以再丰富一些']);
    const of = (w: string) => words.find((x) => x.word === w)?.count;
    expect(of('作业')).toBe(2);
    expect(of('交通安全') ?? of('交通')).toBe(1);
    expect(words.map((w) => w.word)).not.toContain('希望');
    expect(words.map((w) => w.word)).not.toContain('老师');
    expect(words[0]!.word).toBe('作业');
  });
});

describe('empirical-Bayes shrinkage', () => {
  it('pulls a mean from few ratings toward the pooled mean, by the hand-computed weights', () => {
    // | teacher | mean | n  | variance |
    // | A       | 95   | 6  | 100      |
    // | B       | 90   | 60 | 100      |
    // | C       | 80   | 60 | 100      |
    // pooled mean μ = (95×6 + 90×60 + 80×60) ÷ 126 = 10770 ÷ 126 = 85.4762
    // within σ² = (100×5 + 100×59 + 100×59) ÷ 123 = 100
    // spread of means (n − 1): mean 88.3333; ((6.6667)² + (1.6667)² + (8.3333)²) ÷ 2 = 58.3333
    // noise = (100/6 + 100/60 + 100/60) ÷ 3 = 6.6667; τ² = 58.3333 − 6.6667 = 51.6667
    // w_A = 51.6667 ÷ (51.6667 + 16.6667) = 0.7561 → A = 0.7561×95 + 0.2439×85.4762 = 92.6771
    // w_B = 51.6667 ÷ (51.6667 + 1.6667) = 0.9688 → B = 0.9688×90 + 0.0312×85.4762 = 89.8586
    const r = shrinkTowardMean([
      { key: 'A', mean: 95, n: 6, variance: 100 },
      { key: 'B', mean: 90, n: 60, variance: 100 },
      { key: 'C', mean: 80, n: 60, variance: 100 },
    ]);
    expect(r.pooledMean).toBe(85.4762);
    expect(r.withinVariance).toBe(100);
    expect(r.betweenVariance).toBe(51.6667);
    const a = r.subjects.find((s) => s.key === 'A')!;
    const b = r.subjects.find((s) => s.key === 'B')!;
    expect(a.weight).toBe(0.7561);
    expect(a.shrunk).toBeCloseTo(92.6771, 3);
    expect(b.shrunk).toBeCloseTo(89.8586, 3);
    expect([a.rank, b.rank, r.subjects.find((s) => s.key === 'C')!.rank]).toEqual([1, 2, 3]);
  });

  it('ranks 60 steady ratings above 6 lucky ones when the spread between teachers is small', () => {
    // μ = 85.3333, τ² = 41.3333 − 26.6667 = 14.6667
    // lucky: w = 14.6667 ÷ (14.6667 + 400/6) = 0.18 → 86.53; steady: w = 0.6875 → 88.54
    const r = shrinkTowardMean([
      { key: 'lucky', mean: 92, n: 6, variance: 400 },
      { key: 'steady', mean: 90, n: 60, variance: 400 },
      { key: 'other', mean: 80, n: 60, variance: 400 },
    ]);
    expect(r.subjects.find((s) => s.key === 'lucky')!.shrunk).toBeCloseTo(86.53, 1);
    expect(r.subjects.find((s) => s.key === 'steady')!.shrunk).toBeCloseTo(88.54, 1);
    const rank = (k: string) => r.subjects.find((s) => s.key === k)!.rank;
    expect(rank('steady')).toBeLessThan(rank('lucky'));
  });
});

describe('results from counts', () => {
  const P = '00000000-0000-4000-8000-00000000000a';
  const S = '00000000-0000-4000-8000-00000000000b';
  const meta: RoundMeta = {
    threshold: 5,
    commentThreshold: 10,
    config: scoringConfig.parse({}),
    groups: [
      { id: 'gp', name: '家长', kind: 'parent', weight: 60 },
      { id: 'gs', name: '学生', kind: 'student', weight: 40 },
    ],
    forms: [
      {
        id: P,
        raterGroupId: 'gp',
        questions: [
          { name: 'items', type: 'matrix', scores: SAT, exclude: ['unknown'], rows: [{ value: 'a', text: '师德' }, { value: 'b', text: '教学' }], title: '满意度', choices: [{ value: 'satisfied', text: '满意' }, { value: 'fair', text: '基本满意' }, { value: 'unsatisfied', text: '不满意' }, { value: 'unknown', text: '不了解' }] },
          { name: 'grade', type: 'radiogroup', role: 'grade_vote', scores: { excellent: 100, competent: 85 }, choices: [{ value: 'excellent', text: '优秀' }, { value: 'competent', text: '称职' }] },
        ],
      },
      { id: S, raterGroupId: 'gs', questions: [{ name: 'overall', type: 'rating', scores: { '1': 20, '2': 40, '3': 60, '4': 80, '5': 100 } }] },
    ],
  };
  const rec = (formId: string, question: string, r: string, value: string, n: number, dimension: string | null, score: number | null, excluded = false): CountRecord => ({ formId, schoolId: 's', question, row: r, value, dimension, score, excluded, n });
  // parents (6 respondents): row a 满意×4 基本满意×2 → mean (400+150)/6 = 91.6667, trimmed (drop one 75 and one 100) = (300+75)/4 = 93.75
  //                          row b 满意×3 不满意×2 不了解×1 → valid 5 (≤5: plain mean) (300+110)/5 = 82
  //   dimensions: a → 师德 93.75, b → 教学 82; group score = (93.75 + 82) ÷ 2 = 87.875
  //   满意率 = (4 + 2 + 3) ÷ (6 + 5) = 9 ÷ 11 = 0.8182
  //   等次: 优秀 4, 称职 2 → shares 0.6667 / 0.3333 (qualitative: not in the score)
  // students (5 respondents): 5,5,4,4,3 → 100,100,80,80,60 → plain mean 84 (5 ratings: no trim)
  // composite = 0.6×87.875 + 0.4×84 = 52.725 + 33.6 = 86.325
  const records: CountRecord[] = [
    rec(P, '', '', 'valid', 6, null, null),
    rec(P, 'items', 'a', 'satisfied', 4, '师德', 100),
    rec(P, 'items', 'a', 'fair', 2, '师德', 75),
    rec(P, 'items', 'b', 'satisfied', 3, '教学', 100),
    rec(P, 'items', 'b', 'unsatisfied', 2, '教学', 55),
    rec(P, 'items', 'b', 'unknown', 1, '教学', null, true),
    rec(P, 'grade', '', 'excellent', 4, null, 100),
    rec(P, 'grade', '', 'competent', 2, null, 85),
    rec(S, '', '', 'valid', 5, null, null),
    rec(S, '', '', 'void', 1, null, null),
    rec(S, 'overall', '', '5', 2, null, 100),
    rec(S, 'overall', '', '4', 2, null, 80),
    rec(S, 'overall', '', '3', 1, null, 60),
  ];
  const who = { key: 't', type: 'staff' as const, name: '王老师' };

  it('matches the hand-computed table for the office', () => {
    const s = summarize(who, records, meta, { suppressBelow: null });
    expect(s.respondents).toBe(11);
    expect(s.void).toBe(1);
    expect(s.groups.map((g) => [g.name, g.respondents, g.score, g.satisfaction])).toEqual([
      ['家长', 6, 87.875, 0.8182],
      ['学生', 5, 84, null],
    ]);
    expect(s.groups[0]!.dimensions).toEqual({ 师德: 93.75, 教学: 82 });
    expect(s.score).toBe(86.325);
    expect(s.renormalised).toBe(false);
    expect(gradeVotes(records, meta, { suppressBelow: null })[0]!.votes).toEqual([
      { value: 'excellent', text: '优秀', count: 4, share: 0.6667 },
      { value: 'competent', text: '称职', count: 2, share: 0.3333 },
    ]);
    const items = itemResults(records, meta, { suppressBelow: null });
    expect(items.map((i) => [i.title, i.stats!.mean, i.stats!.trimmedMean])).toEqual([
      ['满意度 · 师德', 91.6667, 93.75],
      ['满意度 · 教学', 82, 82],
      ['overall', 84, 84],
    ]);
  });

  it('suppresses a group below the threshold for a school admin and renormalises over the rest', () => {
    // threshold 6: students (5) are suppressed — no numbers — and the composite is the parents' alone
    const s = summarize(who, records, meta, { suppressBelow: 6 });
    const students = s.groups.find((g) => g.name === '学生')!;
    expect(students).toMatchObject({ suppressed: true, score: null, satisfaction: null, dimensions: null });
    expect(s.score).toBe(87.875);
    expect(s.renormalised).toBe(true);
    expect(s.missingGroups).toEqual(['学生']);
    expect(itemResults(records, meta, { suppressBelow: 6 }).find((i) => i.question === 'overall')).toMatchObject({ suppressed: true, stats: null });
  });

  it('suppresses a whole subject below the threshold: no numbers at all', () => {
    const s = summarize(who, records, meta, { suppressBelow: 12 });
    expect(s).toMatchObject({ suppressed: true, score: null, satisfaction: null, dimensions: null, groups: [] });
  });

  it('weighs dimensions when the round names dimension weights, and filters by dimension', () => {
    // 师德 70%, 教学 30%: 0.7×93.75 + 0.3×82 = 65.625 + 24.6 = 90.225 (parents only)
    const weighted = { ...meta, config: { ...meta.config, dimensionWeights: { 师德: 70, 教学: 30 } } };
    expect(summarize(who, records, weighted, { suppressBelow: null, raterGroupId: 'gp' }).score).toBe(90.225);
    // dimension 教学 only: parents 82; students have no 教学 item → renormalised to parents
    const teaching = summarize(who, records, meta, { suppressBelow: null, dimension: '教学' });
    expect(teaching.score).toBe(82);
    expect(teaching.missingGroups).toEqual(['学生']);
  });
});
