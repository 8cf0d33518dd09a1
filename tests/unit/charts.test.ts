import { describe, expect, it } from 'vitest';
import { bySchool, chartTable, differenceFromMean, dimensionRadar, dimensionsOf, distributionBars, formatValue, gradeShares, responseRateBars, trendLines } from '@/lib/charts/datasets';
import { safeCell, safeRow, unescapeCell } from '@/lib/spreadsheet';

const summary = (
  name: string,
  satisfaction: number | null,
  score: number | null,
  suppressed = false,
  dimensions: Record<string, number | null> | null = null,
  ci: { satisfactionCi95?: [number, number] | null; scoreCi95?: [number, number] | null; respondents?: number } = {},
) => ({
  key: name, type: 'school' as const, name, respondents: ci.respondents ?? (suppressed ? 0 : 10), void: 0, flagged: 0, suppressed, belowThreshold: false, withheld: false,
  score, satisfaction, scoreCi95: ci.scoreCi95 ?? null, satisfactionCi95: ci.satisfactionCi95 ?? null, dimensions, renormalised: false, missingGroups: [], groups: [],
});
const LABELS = { series: '满意率', mean: '学区平均', interval: '95% 区间', n: '人数' };

describe('chart datasets', () => {
  it('satisfaction by school: sorted highest first, 95% interval and n per school, the district mean as a flat line; a suppressed school has no bar', () => {
    const spec = bySchool(
      {
        district: summary('学区', 0.8, 82),
        schools: [
          summary('乙校', 0.7, 76, false, null, { satisfactionCi95: [0.5, 0.85], respondents: 20 }),
          summary('丙校', null, null, true),
          summary('甲校', 0.9, 88, false, null, { satisfactionCi95: [0.8, 0.95], respondents: 60 }),
        ],
      },
      'satisfaction',
      { ...LABELS, title: '各校满意率' },
    );
    expect(spec.labels).toEqual(['甲校', '乙校', '丙校']);
    expect(spec.n).toEqual([60, 20, null]);
    expect(spec.datasets[0]).toMatchObject({ type: 'bar', data: [0.9, 0.7, null], suppressed: [false, false, true], errors: [[0.8, 0.95], [0.5, 0.85], null] });
    expect(spec.datasets[1]).toMatchObject({ type: 'line', data: [0.8, 0.8, 0.8] });
    expect(spec).toMatchObject({ percent: true, max: 1 });
    // the table beneath: percentages, the interval after its value, n last, and 样本不足 (no number) for the suppressed school
    expect(chartTable(spec)).toEqual({
      columns: ['满意率', '95% 区间', '学区平均', '人数'],
      rows: [
        { label: '甲校', cells: [{ text: '90.0%' }, { text: '80.0% – 95.0%' }, { text: '80.0%' }, { text: '60' }] },
        { label: '乙校', cells: [{ text: '70.0%' }, { text: '50.0% – 85.0%' }, { text: '80.0%' }, { text: '20' }] },
        { label: '丙校', cells: [{ suppressed: true }, { suppressed: true }, { text: '80.0%' }, { suppressed: true }] },
      ],
    });
  });

  it('difference from the district mean: diverging, sorted, in percentage points with the interval shifted alike', () => {
    // district 80%; 甲 90% [80, 95] → +10 [0, +15]; 乙 70% [50, 85] → −10 [−30, +5]; 丁 82% [78, 86] → +2 [−2, +6]
    const spec = differenceFromMean(
      [
        summary('乙校', 0.7, 76, false, null, { satisfactionCi95: [0.5, 0.85], respondents: 20 }),
        summary('丙校', null, null, true),
        summary('丁校', 0.82, 80, false, null, { satisfactionCi95: [0.78, 0.86], respondents: 400 }),
        summary('甲校', 0.9, 88, false, null, { satisfactionCi95: [0.8, 0.95], respondents: 60 }),
      ],
      summary('学区', 0.8, 82),
      'satisfaction',
      { ...LABELS, title: '与学区平均之差', series: '差' },
    );
    expect(spec).toMatchObject({ horizontal: true, diverging: true, signed: true, labels: ['甲校', '丁校', '乙校', '丙校'], n: [60, 400, 20, null] });
    expect(spec.datasets[0]).toMatchObject({ data: [10, 2, -10, null], errors: [[0, 15], [-2, 6], [-30, 5], null], suppressed: [false, false, false, true] });
    expect(chartTable(spec).rows.map((r) => r.cells)).toEqual([
      [{ text: '+10.0' }, { text: '0.0 – +15.0' }, { text: '60' }],
      [{ text: '+2.0' }, { text: '−2.0 – +6.0' }, { text: '400' }],
      [{ text: '−10.0' }, { text: '−30.0 – +5.0' }, { text: '20' }],
      [{ suppressed: true }, { suppressed: true }, { suppressed: true }],
    ]);
    // scores: points on the score scale, the score interval; no reference → no bars
    const scores = differenceFromMean([summary('甲校', 0.9, 88, false, null, { scoreCi95: [85.5, 90.5] })], summary('学区', 0.8, 82.5), 'score', { ...LABELS, title: '得分差' });
    expect(scores.datasets[0]).toMatchObject({ data: [5.5], errors: [[3, 8]] });
    expect(differenceFromMean([summary('甲校', 0.9, 88)], null, 'score', { ...LABELS, title: 'x' }).datasets[0]!.data).toEqual([null]);
  });

  it('radar: the subject against school and district on the dimensions any of them has', () => {
    const me = summary('我', null, 90, false, { 工作作风: 92, 教学水平: 88, 服务水平: null });
    const school = summary('本校', null, 85, false, { 工作作风: 84, 教学水平: 86, 服务水平: 80 });
    const dims = dimensionsOf(['工作作风', '教学水平', '服务水平', '师德师风'], [me, school]);
    expect(dims).toEqual(['工作作风', '教学水平', '服务水平']);
    const spec = dimensionRadar('维度', dims, [{ label: '我', summary: me }, { label: '本校', summary: school }, { label: '学区', summary: null }]);
    expect(spec.datasets.map((d) => d.data)).toEqual([[92, 88, null], [84, 86, 80], [null, null, null]]);
  });

  it('answer distributions: 100% stacked shares per item, hand-computed', () => {
    const choices = [{ value: 'satisfied', text: '满意' }, { value: 'fair', text: '基本满意' }, { value: 'unsatisfied', text: '不满意' }, { value: 'unknown', text: '不了解' }];
    const stats = (d: Record<string, number>) => ({ answered: 0, valid: 0, excluded: 0, distribution: d, mean: null, sd: null, median: null, trimmedMean: null, ci95: null, satisfaction: null });
    const item = (title: string, d: Record<string, number> | null) => ({ formId: '', raterGroupId: '', question: 'q', row: title, title, dimension: null, choices, suppressed: d === null, stats: d ? stats(d) : null });
    const spec = distributionBars('分布', [item('师德', { satisfied: 6, fair: 3, unsatisfied: 1 }), item('安全', { satisfied: 1, unknown: 3 }), item('食堂', null)]);
    expect(spec.datasets.map((d) => d.label)).toEqual(['满意', '基本满意', '不满意', '不了解']);
    // 师德: 6/10, 3/10, 1/10, 0; 安全: 1/4, 0, 0, 3/4; 食堂: suppressed
    expect(spec.datasets.map((d) => d.data)).toEqual([[0.6, 0.25, null], [0.3, 0, null], [0.1, 0, null], [0, 0.75, null]]);
    expect(spec).toMatchObject({ stacked: true, horizontal: true, percent: true });
  });

  it('等次 shares per rater group, trend lines with gaps, and response rates', () => {
    const grades = gradeShares('等次', [
      { raterGroupId: 'g1', question: 'grade', suppressed: false, votes: [{ value: 'a', text: '优秀', count: 3, share: 0.75 }, { value: 'b', text: '称职', count: 1, share: 0.25 }] },
      { raterGroupId: 'g2', question: 'grade', suppressed: true, votes: null },
    ], (id) => ({ g1: '同事', g2: '家长' })[id]!);
    expect(grades.labels).toEqual(['同事', '家长']);
    expect(grades.datasets).toMatchObject([{ label: '优秀', data: [0.75, null] }, { label: '称职', data: [0.25, null] }]);
    const trend = trendLines('趋势', [{ label: '2024-2025 第二学期', values: { 学区: 0.7, 甲校: 0.8 } }, { label: '2025-2026 第一学期', values: { 学区: 0.75, 乙校: 0.6 } }], true);
    expect(trend.datasets).toEqual([{ label: '学区', data: [0.7, 0.75] }, { label: '甲校', data: [0.8, null] }, { label: '乙校', data: [null, 0.6] }]);
    const rates = responseRateBars('回收率', '回收率', [{ schoolName: '甲校', received: 30, expected: 40 }, { schoolName: '乙校', received: 0, expected: 0 }]);
    expect(rates.datasets[0]!.data).toEqual([0.75, null]);
    expect(formatValue(86.25, false)).toBe('86.3');
    expect(formatValue(null, true)).toBeNull();
  });
});

describe('spreadsheet cells against formula injection', () => {
  it('prefixes a quote to every cell starting with = + - @ tab or CR, and nothing else', () => {
    expect(safeCell('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(safeCell('+1')).toBe("'+1");
    expect(safeCell('-1+2')).toBe("'-1+2");
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('\t=1')).toBe("'\t=1");
    expect(safeCell('\r=1')).toBe("'\r=1");
    expect(safeCell('老师很负责 =好')).toBe('老师很负责 =好');
    expect(safeCell('')).toBe('');
    expect(safeRow(['=1', -5, null, undefined, '甲'])).toEqual(["'=1", -5, null, null, '甲']);
    expect(unescapeCell(safeCell('=1+1'))).toBe('=1+1');
    expect(unescapeCell("'普通")).toBe("'普通");
  });
});
