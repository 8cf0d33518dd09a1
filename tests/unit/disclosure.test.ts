/**
 * Complementary suppression (lib/scoring/disclosure.ts), pure. Threshold 5:
 * | cells (unit → respondents)      | hidden            | why                                              |
 * | A 20, B 8, C 3                  | C, B              | C below 5; B, the next smallest, joins it (11)   |
 * | A 20, B 3, C 1                  | B, C, A           | B + C = 4 < 5: A joins too                       |
 * | A 20, B 3, C 3                  | B, C              | two hidden cells holding 6 ≥ 5: nothing more      |
 * | A 20, B 9, C 9                  | —                 | nothing below 5                                  |
 * | A 20, B 9 (B already hidden)    | B, A              | a hidden cell never stands alone                 |
 */
import { describe, expect, it } from 'vitest';
import { discloseAssessment, suppressFamily } from '@/lib/scoring/disclosure';

const family = (cells: Record<string, number>, already: string[] = []) => [...suppressFamily(new Map(Object.entries(cells)), 5, new Set(already))].sort();

describe('complementary suppression', () => {
  it('hides the next smallest cells until at least two hold at least the threshold', () => {
    expect(family({ A: 20, B: 8, C: 3 })).toEqual(['B', 'C']);
    expect(family({ A: 20, B: 3, C: 1 })).toEqual(['A', 'B', 'C']);
    expect(family({ A: 20, B: 3, C: 3 })).toEqual(['B', 'C']);
    expect(family({ A: 20, B: 9, C: 9 })).toEqual([]);
    expect(family({ A: 20, B: 9 }, ['B'])).toEqual(['A', 'B']);
    expect(family({ A: 20, B: 0, C: 3 })).toEqual(['A', 'C']);
  });
});

describe('assessment figures below the office', () => {
  const released = new Map([['r1', { releasedToSchoolsAt: new Date(), releasedToStaffAt: null }]]);
  const defs = [
    { key: 'student', source: 'round_score' as const, roundIds: ['r1'] },
    { key: 'regular', source: 'entries' as const, roundIds: [] },
  ];
  const row = (disclosable: boolean) => ({
    components: [
      { key: 'student', name: '学生评教', kind: 'student', weight: 70, value: 81.46667, satisfaction: 0.91234, source: 'round_score:x', n: 12, disclosable },
      { key: 'regular', name: '平时考核', kind: 'regular', weight: 30, value: 90, satisfaction: null, source: 'entries:平时考核', n: 2 },
    ],
    compositeScore: 84.02667,
    rank: 2,
  });
  it('shows a released, whole figure rounded; holds back an unreleased or partial one with the composite and rank', () => {
    expect(discloseAssessment(row(true), 'school_admin', defs, released)).toMatchObject({ compositeScore: 84.03, rank: 2, withheld: false, components: [{ value: 81.5, satisfaction: 0.912, n: 12 }, { value: 90, n: 2 }] });
    expect(discloseAssessment(row(false), 'school_admin', defs, released)).toMatchObject({ compositeScore: null, rank: null, withheld: true, components: [{ value: null, n: null, withheld: true }, { value: 90, withheld: false }] });
    expect(discloseAssessment(row(true), 'staff', defs, released)).toMatchObject({ compositeScore: null, withheld: true });
    expect(discloseAssessment(row(false), 'office', defs, released)).toMatchObject({ compositeScore: 84.02667, rank: 2, withheld: false, components: [{ value: 81.46667, n: 12 }, {}] });
  });
});
