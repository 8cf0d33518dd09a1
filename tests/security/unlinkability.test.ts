/**
 * Issue 14, attack 4: the database operator joins a personal link (labelled 姓名（工号）) to the
 * ballot it admitted through what PostgreSQL keeps about rows: the transaction id (`xmin`) that
 * the link's use and the response share, the physical order of rows (`ctid`), dates on the
 * response, the counter rows the submission changed, and the idempotency key a device kept.
 *
 * Twelve representatives answer through the real respond route in a random order, each with a
 * ballot no one else gave (so the content shows who wrote it): the ballot names one person, and
 * its grade (three values) with its 工作作风 rating (five) differ for every representative. Grades
 * alone would not do: with three grades four times each, a random order puts the right grade in
 * a place four times on average, and more than six by chance in about one run in ten. While the round is open, the
 * transaction-id join still names every one of them (this is what README's threat model says
 * holds until the close). Once the round's window has ended and it is opened, every join attack identifies no one
 * beyond chance: with twelve respondents, a random pairing is right about once on average, and
 * more than six right happens by chance about once in twelve thousand runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawQuery, type Db } from '@/lib/db/client';
import { onPostgres } from '../helpers/db';
import { ballotRound, distinctGrades, shuffled, type Representative } from './ballot-round';

const N = 12;
let ctx: Awaited<ReturnType<typeof ballotRound>>;
/** label → the ballot that person sent (grade and rating of each person on it), unique per person */
const truth = new Map<string, string>();
/** label → the grades alone (what the grade counters carry) */
const truthGrades = new Map<string, string>();
/** labels in the order the representatives answered */
const order: string[] = [];
const keys = new Map<string, string>();

type Ballot = Record<string, { grade: string; work: number }>;
const gradesOf = (data: Ballot, ballot: { id: string }[]) => ballot.map((b) => data[b.id]!.grade).join('');
const contentOf = (data: Ballot, ballot: { id: string }[]) => ballot.map((b) => `${data[b.id]!.grade}${data[b.id]!.work}`).join('');

async function q<T extends Record<string, unknown>>(db: Db, text: string, params: unknown[] = []) {
  return rawQuery<T>(db, text, params);
}

/** The operator's xmin join: for each link, the responses written by the transaction that last wrote the link. */
async function xminJoin(): Promise<Map<string, string[]>> {
  const rows = await q<{ label: string; data: Ballot }>(
    ctx.db,
    `select l.label, r.data from links l join responses r on r.xmin = l.xmin and r.round_id = l.round_id where l.round_id = $1::uuid and l.used_count > 0`,
    [ctx.roundId],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.label, [...(out.get(r.label) ?? []), contentOf(r.data, ctx.ballot)]);
  return out;
}

/** People named: a link whose join gives exactly one ballot, and it is that person's. */
const named = (join: Map<string, string[]>) => [...join].filter(([label, ballots]) => ballots.length === 1 && ballots[0] === truth.get(label)).length;

/** The operator's ctid join: the k-th used link in physical order ↔ the k-th response in physical order. */
async function ctidJoin(): Promise<number> {
  const usedLinks = await q<{ label: string }>(ctx.db, `select label from links where round_id = $1::uuid and used_count > 0 order by ctid`, [ctx.roundId]);
  const rows = await q<{ data: Ballot }>(ctx.db, `select data from responses where round_id = $1::uuid order by ctid`, [ctx.roundId]);
  return usedLinks.filter((l, k) => rows[k] && contentOf(rows[k].data, ctx.ballot) === truth.get(l.label)).length;
}

/** The order responses sit in matched against the order people answered (which polling reveals). */
async function physicalOrderMatches(): Promise<number> {
  const rows = await q<{ data: Ballot }>(ctx.db, `select data from responses where round_id = $1::uuid order by ctid`, [ctx.roundId]);
  return order.filter((label, k) => rows[k] && contentOf(rows[k].data, ctx.ballot) === truth.get(label)).length;
}

/**
 * The counter rows a link's transaction was the last to write: the grades that person gave. A
 * link counts as named when, for both people on the ballot, exactly one grade counter carries its
 * transaction id and that grade is the one the person gave.
 */
async function countersJoin(): Promise<number> {
  const rows = await q<{ label: string; subject: string; value: string }>(
    ctx.db,
    `select l.label, c.subject_id::text as subject, c.value from links l join subject_counts c on c.xmin = l.xmin and c.round_id = l.round_id
     where l.round_id = $1::uuid and l.used_count > 0 and c.question = 'grade'`,
    [ctx.roundId],
  );
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const r of rows) {
    const bySubject = seen.get(r.label) ?? new Map<string, Set<string>>();
    bySubject.set(r.subject, (bySubject.get(r.subject) ?? new Set()).add(r.value));
    seen.set(r.label, bySubject);
  }
  return [...seen].filter(([label, bySubject]) =>
    ctx.ballot.every((b, i) => {
      const values = bySubject.get(b.id);
      return values?.size === 1 && values.has(truthGrades.get(label)![i]!);
    }),
  ).length;
}

beforeAll(async () => {
  ctx = await ballotRound([{ name: '评议中学', representatives: N }]);
  const reps: Representative[] = shuffled(ctx.reps);
  for (const [i, rep] of reps.entries()) {
    const sent = await ctx.answer(rep, distinctGrades(i));
    truth.set(rep.label, contentOf(sent.data, ctx.ballot));
    truthGrades.set(rep.label, gradesOf(sent.data, ctx.ballot));
    keys.set(rep.label, sent.idempotencyKey);
    order.push(rep.label);
  }
  // the premise of every join below: each ballot's content names its author
  expect(new Set(truth.values()).size).toBe(N);
}, 60_000);
afterAll(() => ctx.handle.close());

describe('while the round is open (what README says still holds)', () => {
  it('the link and its ballot share a transaction id, and rows sit in the order people answered', async () => {
    // the attacks below really work against a round that has not been sealed: this is the
    // exposure the threat model states for a superuser during the answering window
    expect(named(await xminJoin())).toBe(N);
    expect(await ctidJoin()).toBe(N);
    expect(await physicalOrderMatches()).toBe(N);
    // a later ballot with the same grade in the same counter shard hides an earlier one, so
    // most (about ten on average), not always all, are named this way
    expect(await countersJoin()).toBeGreaterThanOrEqual(N / 3);
  });
});

describe('after the round’s window has ended', () => {
  beforeAll(async () => {
    // the window ends by itself (no close action; polling.test.ts closes through the action);
    // the first time anyone opens the round it is sealed
    await q(ctx.db, `update rounds set closes_at = now() - interval '1 second' where id = $1::uuid`, [ctx.roundId]);
    expect((await q<{ s: string | null }>(ctx.db, `select sealed_at::text as s from rounds where id = $1::uuid`, [ctx.roundId]))[0]!.s).toBeNull();
    const opened = await ctx.api.round();
    expect(opened.status).toBe(200);
    expect(opened.body.effectiveStatus).toBe('closed');
  });

  it('the xmin join names nobody: every link and every response of the round carry the sealing transaction id', async () => {
    const join = await xminJoin();
    expect(named(join)).toBe(0);
    // it is all-to-all: each link "matches" every ballot, which says nothing
    for (const ballots of join.values()) expect(ballots.length).toBe(N);
    const ids = await q<{ x: string }>(
      ctx.db,
      `select distinct xmin::text as x from (
         select xmin from links where round_id = $1::uuid union all select xmin from responses where round_id = $1::uuid
         union all select xmin from answer_facts where round_id = $1::uuid union all select xmin from subject_counts where round_id = $1::uuid
         union all select xmin from school_counts where round_id = $1::uuid) t`,
      [ctx.roundId],
    );
    expect(ids).toHaveLength(1);
  });

  it('the counter rows no longer give away the values a link’s transaction wrote', async () => {
    expect(await countersJoin()).toBe(0);
  });

  it('physical order pairs links and ballots no better than chance', async () => {
    expect(await ctidJoin()).toBeLessThanOrEqual(N / 2);
    expect(await physicalOrderMatches()).toBeLessThanOrEqual(N / 2);
    const facts = await q<{ rid: string }>(ctx.db, `select response_id::text as rid from answer_facts where round_id = $1::uuid order by ctid`, [ctx.roundId]);
    const rows = await q<{ id: string }>(ctx.db, `select id::text from responses where round_id = $1::uuid order by ctid`, [ctx.roundId]);
    // answer facts follow the responses' new order, not the order of submission
    expect([...new Set(facts.map((f) => f.rid))]).toEqual(rows.map((r) => r.id));
  });

  it('a response has no date or time that could be set against when a link was used', async () => {
    const cols = await q<{ name: string; type: string }>(
      ctx.db,
      `select column_name as name, data_type as type from information_schema.columns where table_schema = 'public' and table_name in ('responses', 'answer_facts')`,
    );
    expect(cols.filter((c) => /date|time/.test(c.type))).toEqual([]);
  });

  it('the idempotency key a device kept no longer finds its ballot', async () => {
    const found = await q<{ n: number }>(ctx.db, `select count(*)::int as n from responses where round_id = $1::uuid and idempotency_key = any($2::text[])`, [
      ctx.roundId,
      `{${[...keys.values()].join(',')}}`,
    ]);
    expect(found[0]!.n).toBe(0);
  });

  it('the answers themselves survive sealing unchanged, and the round takes no more', async () => {
    const rows = await q<{ data: Ballot }>(ctx.db, `select data from responses where round_id = $1::uuid`, [ctx.roundId]);
    expect(rows.map((r) => contentOf(r.data, ctx.ballot)).sort()).toEqual([...truth.values()].sort());
    const counts = await q<{ n: number }>(ctx.db, `select coalesce(sum(n), 0)::int as n from school_counts where round_id = $1::uuid and question = '' and value = 'valid'`, [ctx.roundId]);
    expect(counts[0]!.n).toBe(N);
    // a sealed round cannot be reopened by extending it
    const extend = await ctx.api.action('extend', { closesAt: new Date(Date.now() + 86_400_000 * 2).toISOString() });
    expect(extend.status).toBe(409);
  });

  it('on PostgreSQL, VACUUM has removed the old row versions a superuser could read with pageinspect', async () => {
    // the old versions of the round's rows carried the submission transaction ids; after sealing
    // only tuples stamped by the sealing transaction remain in the pages of the responses table
    // (PGlite runs this test too, without the extension: the same rows are checked there by xmin above)
    const live = await q<{ x: string }>(ctx.db, `select distinct xmin::text as x from responses where round_id = $1::uuid`, [ctx.roundId]);
    expect(live).toHaveLength(1);
    if (!onPostgres) return;
    await q(ctx.db, `create extension if not exists pageinspect`);
    const pages = await q<{ n: number }>(ctx.db, `select pg_relation_size('responses') / current_setting('block_size')::int as n`);
    const xmins = new Set<string>();
    for (let p = 0; p < Number(pages[0]!.n); p++) {
      const items = await q<{ x: string | null }>(ctx.db, `select t_xmin::text as x from heap_page_items(get_raw_page('responses', $1::int)) where t_xmin is not null`, [p]);
      for (const i of items) if (i.x) xmins.add(i.x);
    }
    expect([...xmins]).toEqual([live[0]!.x]);
  });
});
