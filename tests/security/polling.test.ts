/**
 * Issue 14, attack 5: the office polls a personal link's use count (GET /rounds/{id}/links) and
 * the raw answers export between two submissions. When a link turns from 0 to 1, the new row of
 * the export would be that person's; a school with one 党代表 needs no polling at all.
 *
 * 评议中学 has twelve representatives, 一人小学 one. While a group (school × rater group) has
 * fewer respondents than the threshold (5), the links listing shows only the group's count, so
 * two polls around a submission differ in no link of their own; the raw export is refused while
 * the round is open. After the close, the export leaves out the group of one, holds no date, and
 * lists ballots in random order, so knowing who answered when pairs no one with their row beyond
 * chance (more than six of twelve right happens by chance about once in twelve thousand runs).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery } from '@/lib/db/client';
import { ballotRound, distinctGrades, shuffled, type Representative } from './ballot-round';

const N = 12;
let ctx: Awaited<ReturnType<typeof ballotRound>>;
let big: Representative[];
let alone: Representative;
/** label → the two grades that person gave (for 校长0, 校长1) */
const truth = new Map<string, string>();
const answeredOrder: string[] = [];

type Listed = { id: string; label: string; usedCount: number | null; group: { used: number; expected: number } };
const poll = async () => (await ctx.api.links()) as unknown as Listed[];

/** The links whose own fields changed between two polls: what tells the office who just answered. */
function changed(before: Listed[], after: Listed[]): string[] {
  const was = new Map(before.map((l) => [l.id, l.usedCount]));
  return after.filter((l) => was.get(l.id) !== l.usedCount).map((l) => l.label);
}

async function answer(rep: Representative, i: number) {
  const grades = distinctGrades(i);
  await ctx.answer(rep, grades);
  truth.set(rep.label, grades.join(''));
  answeredOrder.push(rep.label);
}

async function sheets(res: Response) {
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  for (const ws of wb.worksheets) {
    out[ws.name] = [];
    ws.eachRow((row) => out[ws.name]!.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  }
  return out;
}

beforeAll(async () => {
  ctx = await ballotRound([
    { name: '评议中学', representatives: N },
    { name: '一人小学', representatives: 1 },
  ]);
  big = shuffled(ctx.reps.filter((r) => r.school === '评议中学'));
  alone = ctx.reps.find((r) => r.school === '一人小学')!;
}, 60_000);
afterAll(() => ctx.handle.close());

describe('while the round is open', () => {
  it('polling the links around each submission shows no link of its own until the group reaches the threshold', async () => {
    for (let i = 0; i < 4; i++) {
      const before = await poll();
      await answer(big[i]!, i);
      const after = await poll();
      expect(changed(before, after)).toEqual([]);
      // what the office sees is the group's count, the same on every link of the group
      const group = after.filter((l) => big.some((b) => b.linkId === l.id));
      expect(new Set(group.map((l) => `${l.usedCount}:${l.group.used}/${l.group.expected}`))).toEqual(new Set([`null:${i + 1}/${N}`]));
    }
  });

  it('the one 党代表 of a school is never shown on their own, only as their group of one', async () => {
    const before = await poll();
    await answer(alone, 0);
    const after = await poll();
    expect(changed(before, after)).toEqual([]);
    expect(after.find((l) => l.id === alone.linkId)).toMatchObject({ usedCount: null, group: { used: 1, expected: 1 } });
  });

  it('refuses the raw export with a clear 409 while answers arrive', async () => {
    const res = await ctx.api.rawExport();
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toContain('测评结束后才能导出原始答卷');
  });

  it('shows each link’s own use once the group has reached the threshold', async () => {
    await answer(big[4]!, 4);
    const listed = await poll();
    const group = listed.filter((l) => big.some((b) => b.linkId === l.id));
    expect(group.filter((l) => l.usedCount === 1).map((l) => l.label).sort()).toEqual(answeredOrder.filter((l) => l !== alone.label).sort());
    expect(listed.find((l) => l.id === alone.linkId)!.usedCount).toBeNull();
    for (let i = 5; i < N; i++) await answer(big[i]!, i);
  });
});

describe('after the round closes', () => {
  let first: Record<string, string[][]>;
  beforeAll(async () => {
    expect((await ctx.api.action('close')).status).toBe(200);
    first = await sheets(await ctx.api.rawExport());
  });

  it('has sealed the round at the close: its links and ballots share one transaction id', async () => {
    const ids = await rawQuery<{ x: string }>(
      ctx.db,
      `select distinct xmin::text as x from (select xmin from links where round_id = $1::uuid union all select xmin from responses where round_id = $1::uuid) t`,
      [ctx.roundId],
    );
    expect(ids).toHaveLength(1);
  });

  it('leaves out the group of one, and every other group below the threshold', async () => {
    const rows = first['党代表']!.slice(1);
    expect(rows.length).toBe(N * ctx.ballot.length);
    expect(rows.filter((r) => r[0] === '一人小学')).toEqual([]);
    expect(first['说明']!.flat().join('')).toContain('本次 1 组');
  });

  it('holds no date finer than the round', async () => {
    expect(first['党代表']![0]).not.toContain('提交日期');
    const cells = first['党代表']!.slice(1).flat();
    expect(cells.filter((c) => /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}:\d{2}/.test(c))).toEqual([]);
  });

  it('pairs the order people answered in (known from polling) with the rows no better than chance', async () => {
    const rows = first['党代表']!.slice(1);
    const header = first['党代表']![0]!;
    const subject = header.indexOf('评价对象');
    const grade = header.indexOf('grade');
    // the rows of one ballot sit together; rebuild each ballot's two grades in ballot order
    const ballots: string[] = [];
    for (let k = 0; k < rows.length; k += ctx.ballot.length) {
      const byName = new Map(rows.slice(k, k + ctx.ballot.length).map((r) => [r[subject], r[grade]]));
      ballots.push(ctx.ballot.map((_, i) => byName.get(`校长${i}`)).join(''));
    }
    expect([...ballots].sort()).toEqual(big.map((b) => truth.get(b.label)).sort());
    const order = answeredOrder.filter((l) => l !== alone.label);
    const right = order.filter((label, k) => ballots[k] === truth.get(label)).length;
    expect(right).toBeLessThanOrEqual(N / 2);
  });

  it('gives the same rows to a second export, and the round cannot be reopened to make one that differs', async () => {
    const again = await sheets(await ctx.api.rawExport());
    expect([...again['党代表']!.slice(1)].map((r) => r.join('|')).sort()).toEqual([...first['党代表']!.slice(1)].map((r) => r.join('|')).sort());
    const extend = await ctx.api.action('extend', { closesAt: new Date(Date.now() + 2 * 86_400_000).toISOString() });
    expect(extend.status).toBe(409);
  });
});
