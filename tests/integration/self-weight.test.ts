/**
 * The self-inspection score in the round's results (office view, exact). Six colleagues rate
 * 教师1 满意 on every 五查 row (their 等次 votes vary, so no ballot is void) (100 each, trimmed mean of six → 100); 教师1's self-inspection
 * gives 较好 (85) on all six checks, one respondent → 85.
 *
 * | self weight | colleague (weight) | self (weight) | composite                     |
 * |-------------|--------------------|---------------|-------------------------------|
 * | 20          | 100 (80)           | 85 (20)       | 0.8 × 100 + 0.2 × 85 = 97     |
 * | 0           | 100 (100)          | 85 (0), shown | 100: the self score beside it |
 */
import { describe, expect, it } from 'vitest';
import { getRoundResults } from '@/lib/scoring/queries';
import { appraisal, callApi, login, selfInspection, workspaceRound } from '../helpers/workspace';

async function scenario(selfWeight: number) {
  const w = await workspaceRound({ selfWeight });
  try {
    for (const username of ['hp00', 'hp02', 'hp03', 'hp04', 'hp05', 'hp06']) {
      const cookie = await login(username);
      const { subjects } = (await callApi('GET', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie })).body as { subjects: { key: string }[] };
      // 等次 differ across the list: a ballot giving everyone the same 等次 is void
      const answers = Object.fromEntries(subjects.map((s, i) => [s.key, appraisal(i % 2 ? 'competent' : 'excellent', 'satisfied')]));
      expect((await callApi('POST', `/api/v1/me/tasks/${w.ballotFormId}/ballot`, { cookie, body: { idempotencyKey: `weight-${username}-000000000`, answers } })).status).toBe(201);
    }
    const teacher = await login('hp01');
    const saved = await callApi('PUT', `/api/v1/me/tasks/${w.selfFormId}/report`, { cookie: teacher, body: { answers: selfInspection('fairly_good'), commitments: '按时批改', submit: true } });
    expect(saved.status).toBe(200);
    const results = await getRoundResults(w.db, w.office, w.round.id, { level: 'school', schoolId: w.school.id });
    const row = (results as { subjects: { key: string; score: number | null; groups: { kind: string; weight: number; score: number | null; respondents: number | null }[] }[] }).subjects.find(
      (s) => s.key === w.staff.HP01!.id,
    )!;
    return { row, groups: Object.fromEntries(row.groups.map((g) => [g.kind, g])) };
  } finally {
    await w.handle.close();
  }
}

describe('the self score and the composite', () => {
  it('enters the composite like any other group where the round gives the self group a weight', { timeout: 300_000 }, async () => {
    const { row, groups } = await scenario(20);
    expect(groups.colleague).toMatchObject({ weight: 80, score: 100, respondents: 6 });
    expect(groups.self).toMatchObject({ weight: 20, score: 85, respondents: 1 });
    expect(row.score).toBeCloseTo(97, 4);
  });

  it('is shown beside the composite, not mixed into it, where the self group has no weight', { timeout: 300_000 }, async () => {
    const { row, groups } = await scenario(0);
    expect(groups.self).toMatchObject({ weight: 0, score: 85, respondents: 1 });
    expect(row.score).toBeCloseTo(100, 4);
  });
});
