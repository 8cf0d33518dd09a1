/**
 * The 95% intervals the charts draw, against values worked by hand.
 *
 * Wilson score interval, z = 1.96 (z² = 3.8416):
 *   centre = (p + z²/2n) / (1 + z²/n),  half = z/(1 + z²/n) · √(p(1−p)/n + z²/4n²)
 *
 * | share   | n  | z²/n     | centre                      | half                              | interval          |
 * |---------|----|----------|-----------------------------|-----------------------------------|-------------------|
 * | 40/50   | 50 | 0.076832 | 0.838416/1.076832 = 0.77860 | 1.820154·√0.00358416 = 0.108969   | 0.6696 – 0.8876   |
 * | 10/10   | 10 | 0.38416  | 1.19208/1.38416 = 0.86123   | 1.416021·√0.009604 = 0.138771     | 0.7225 – 1 (capped)|
 * | 0/10    | 10 | 0.38416  | 0.19208/1.38416 = 0.13877   | 0.138771                          | 0 – 0.2775        |
 * | 9/20    | 20 | 0.19208  | 0.54604/1.19208 = 0.45806   | 1.644185·√0.014776 = 0.199862     | 0.2582 – 0.6579   |
 *
 * t interval of a mean: m ± t(0.975, n−1) · s/√n
 *
 * | scores               | n   | mean | s              | t       | s/√n     | interval            |
 * |----------------------|-----|------|----------------|---------|----------|---------------------|
 * | 80 85 90 95 100      | 5   | 90   | √62.5 = 7.9057 | 2.776   | 3.535534 | 80.1854 – 99.8146   |
 * | (summary) n=100      | 100 | 85   | 10             | 1.98421 | 1        | 83.0158 – 86.9842   |
 * | (summary) n=31       | 31  | 70   | 12             | 2.042   | 2.155264 | 65.5990 – 74.4010   |
 */
import { describe, expect, it } from 'vitest';
import { ci95, intervalOf, t975, wilsonInterval } from '@/lib/scoring/stats';

describe('Wilson interval of a share', () => {
  it('matches the hand-computed table', () => {
    expect(wilsonInterval(40 / 50, 50)).toEqual([0.6696, 0.8876]);
    expect(wilsonInterval(1, 10)).toEqual([0.7225, 1]);
    expect(wilsonInterval(0, 10)).toEqual([0, 0.2775]);
    expect(wilsonInterval(9 / 20, 20)).toEqual([0.2582, 0.6579]);
  });

  it('is asymmetric near the ends and never leaves 0..1; no interval without respondents', () => {
    const [lo, hi] = wilsonInterval(0.95, 40)!;
    expect(0.95 - lo).toBeGreaterThan(hi - 0.95);
    expect(hi).toBeLessThanOrEqual(1);
    expect(wilsonInterval(0.5, 0)).toBeNull();
    expect(wilsonInterval(1.2, 10)).toBeNull();
  });
});

describe('t interval of a mean', () => {
  it('matches the hand-computed table', () => {
    expect(ci95([80, 85, 90, 95, 100])).toEqual([80.1854, 99.8146]);
    expect(intervalOf(100, 85, 10)).toEqual([83.0158, 86.9842]);
    expect(intervalOf(31, 70, 12)).toEqual([65.599, 74.401]);
    expect(intervalOf(1, 70, null)).toBeNull();
  });

  it('t quantiles: the table to 30 degrees of freedom, then the expansion, within 0.0001 of published values', () => {
    expect(t975(4)).toBe(2.776);
    expect(t975(30)).toBe(2.042);
    expect(t975(60)).toBeCloseTo(2.0003, 3);
    expect(t975(120)).toBeCloseTo(1.9799, 3);
    expect(t975(99)).toBeCloseTo(1.9842, 3);
    expect(t975(100_000)).toBeCloseTo(1.96, 3);
  });
});
