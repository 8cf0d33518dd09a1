/** The annual-assessment proposal rules and the 公示 calendar, against hand-worked tables. */
import { describe, expect, it } from 'vitest';
import { addWorkingDays } from '@/lib/assessment/calendar';
import { DEFAULT_RULES, propose, quotaPlaces, type Candidate } from '@/lib/assessment/rules';
import { effectiveYearStatus } from '@/lib/assessment/status';

const person = (id: string, score: number | null, tie: number | null = null, extra: Partial<Candidate> = {}): Candidate => ({
  staffId: id,
  name: id,
  unitId: 'u1',
  score,
  components: [{ key: 'democratic', name: '民主测评', kind: 'democratic', weight: 0, value: tie, satisfaction: null, source: '', n: 1 }],
  sanctions: [],
  ...extra,
});
const rules = { ...DEFAULT_RULES, thresholds: { excellent: 90, qualified: 75, basicallyQualified: 60 }, excellentQuotaPercent: 20 };
const grades = (m: ReturnType<typeof propose>) => Object.fromEntries([...m].map(([k, v]) => [k, v.grade]));

describe('the 优秀 quota', () => {
  it('gives floor(n × percent) places', () => {
    expect([quotaPlaces(10, 20), quotaPlaces(9, 20), quotaPlaces(3, 34), quotaPlaces(7, 15), quotaPlaces(4, null)]).toEqual([2, 1, 1, 1, 4]);
  });

  // 10 staff, 20% → 2 places. Eligible (≥ 90): A 96, B 93, C 93, D 93.
  // | case                 | tie-break (民主测评) B / C / D | 优秀   | why                                         |
  // | resolved             | 90 / 85 / 85                   | A, B   | B wins the tie on 民主测评; C, D beyond quota |
  // | unresolved           | 85 / 85 / 85                   | A only | B, C, D tied at the boundary: all held back |
  const ten = (b: number, c: number, d: number) => [person('A', 96, 80), person('B', 93, b), person('C', 93, c), person('D', 93, d), person('E', 88), ...[70, 72, 74, 76, 78].map((s, i) => person(`F${i}`, s))];

  it('breaks a tie at the boundary by the tie-break component and says so', () => {
    const m = propose(ten(90, 85, 85), rules);
    expect(grades(m)).toMatchObject({ A: 'excellent', B: 'excellent', C: 'qualified', D: 'qualified', E: 'qualified', F0: 'basically_qualified' });
    expect(m.get('B')!.notes.map((n) => n.code)).toEqual(['tie_broken']);
    expect(m.get('C')!.notes.map((n) => n.code)).toEqual(['quota', 'tie_broken']);
    expect([m.get('A')!.rank, m.get('B')!.rank, m.get('C')!.rank, m.get('D')!.rank, m.get('E')!.rank]).toEqual([1, 2, 2, 2, 5]);
  });

  it('holds the whole tied group back when the tie-break is equal too (never more than the quota, never silently)', () => {
    const m = propose(ten(85, 85, 85), rules);
    expect(grades(m)).toMatchObject({ A: 'excellent', B: 'qualified', C: 'qualified', D: 'qualified' });
    for (const id of ['B', 'C', 'D']) expect(m.get(id)!.notes).toEqual([{ code: 'quota_tie', params: { places: 2, tied: 3 } }]);
  });
});

describe('caps', () => {
  it('a 警告 blocks 优秀, a 记过 allows at most 基本合格, a low 满意率 at most 合格; caps take no quota place', () => {
    const sat = (s: number) => [{ key: 'parent', name: '家长满意度', kind: 'parent', weight: 10, value: s * 100, satisfaction: s, source: '', n: 30 }];
    const m = propose(
      [
        person('W', 98, null, { sanctions: ['警告'] }),
        person('J', 95, null, { sanctions: ['记过'] }),
        person('S', 97, null, { components: sat(0.5) }),
        person('X', 91),
        person('Y', null),
      ],
      { ...rules, excellentQuotaPercent: 25 },
    );
    expect(grades(m)).toEqual({ W: 'qualified', J: 'basically_qualified', S: 'qualified', X: 'excellent', Y: null });
    expect(m.get('W')!.notes).toEqual([{ code: 'sanction_cap', params: { sanction: '警告', cap: 'qualified' } }]);
    expect(m.get('S')!.notes[0]!.code).toBe('satisfaction_cap');
    expect(m.get('Y')!.notes).toEqual([{ code: 'no_score' }]);
  });
});

describe('the 公示 window', () => {
  it('ends at 24:00 Asia/Shanghai of the 5th working day, counting the day of announcement when it is a working day', () => {
    // Friday 2026-05-01 10:00 CST: Fri, Mon, Tue, Wed, Thu → Thursday 2026-05-07 24:00 CST
    expect(addWorkingDays(new Date('2026-05-01T10:00:00+08:00'), 5).toISOString()).toBe('2026-05-07T16:00:00.000Z');
    // Saturday: Mon 4 … Fri 8
    expect(addWorkingDays(new Date('2026-05-02T09:00:00+08:00'), 5).toISOString()).toBe('2026-05-08T16:00:00.000Z');
    // Friday 23:30 CST is still Friday in Shanghai although Friday 15:30 UTC
    expect(addWorkingDays(new Date('2026-05-01T23:30:00+08:00'), 1).toISOString()).toBe('2026-05-01T16:00:00.000Z');
  });

  it('locks after the window only when no objection is open', () => {
    const year = { status: 'announced' as const, announcementEndsAt: new Date('2026-05-07T16:00:00Z') };
    expect(effectiveYearStatus(year, 0, new Date('2026-05-07T15:59:00Z'))).toBe('announced');
    expect(effectiveYearStatus(year, 1, new Date('2026-05-08T00:00:00Z'))).toBe('awaiting_answers');
    expect(effectiveYearStatus(year, 0, new Date('2026-05-08T00:00:00Z'))).toBe('locked');
  });
});
