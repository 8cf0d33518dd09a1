/**
 * Sealing a closed round, so that nothing in the database joins a response to the link or code
 * that admitted it.
 *
 * While a round is open this cannot hold completely: a single-use code must be consumed in the
 * same transaction as the response insert (DESIGN.md), so the link's new row version, the
 * response, its answer facts and the counter rows it changed all carry that transaction's id
 * (`xmin`), and rows appended one submission at a time sit in the order they arrived (`ctid`).
 * A superuser reading MVCC metadata can join them until the round is sealed.
 *
 * Sealing rewrites, in one transaction: the round's responses and answer facts in a random
 * order, its links in a random order, and its counts merged into one row per cell in key order. Every
 * one of these rows then carries the sealing transaction's id and a position that says nothing
 * about when it was written; idempotency keys are replaced by random ones, so the key a device
 * kept no longer finds its response. The old row versions are then removed by VACUUM.
 * A sealed round takes no more answers (the submission statement checks `sealed_at` under a
 * share lock on the round) and cannot be reopened.
 */
import { randomInt } from 'node:crypto';
import { rawQuery, type Db } from '@/lib/db/client';
import type { Round } from '@/lib/db/schema';
import { effectiveStatus } from './status';

/** Every table a submission writes to: their old row versions go at the vacuum after sealing. */
const WRITTEN_BY_SUBMISSION = ['responses', 'answer_facts', 'links', 'subject_counts', 'school_counts'];

/**
 * A random sort key for each id, drawn from Node's CSPRNG and handed to the database as JSON. The
 * order is not left to SQL `random()`: PGlite's is seeded weakly and its consecutive values lie close
 * together, so `order by random()` kept rows near the order they arrived in (and the ctid join of
 * links to responses worked after sealing: tests/security/unlinkability.test.ts).
 */
function sortKeys(ids: string[]): string {
  return JSON.stringify(ids.map((id) => ({ id, k: randomInt(0, 2 ** 47) })));
}

const KEYS_TABLE = `select (e->>'id')::uuid as id, (e->>'k')::bigint as k from jsonb_array_elements($1::jsonb) e`;

/**
 * Rewrites a round's responses, answer facts and links in random order and rebuilds its counts,
 * inside the caller's transaction (which must hold the round's row lock).
 */
async function rewriteRound(tx: Db, roundId: string): Promise<void> {
  const q = (text: string) => rawQuery(tx, text, [roundId]);
  const ids = async (table: 'responses' | 'links') => (await rawQuery<{ id: string }>(tx, `select id from ${table} where round_id = $1::uuid`, [roundId])).map((r) => r.id);
  await q(`create temporary table seal_responses on commit drop as select * from responses where round_id = $1::uuid`);
  await rawQuery(tx, `create temporary table seal_order on commit drop as ${KEYS_TABLE}`, [sortKeys(await ids('responses'))]);
  await q(`create temporary table seal_facts on commit drop as select * from answer_facts where round_id = $1::uuid`);
  await q(`create temporary table seal_links on commit drop as select * from links where round_id = $1::uuid`);
  await rawQuery(tx, `create temporary table seal_link_order on commit drop as ${KEYS_TABLE}`, [sortKeys(await ids('links'))]);
  await q(`delete from answer_facts where round_id = $1::uuid`);
  await q(`delete from responses where round_id = $1::uuid`);
  await q(`delete from links where round_id = $1::uuid`);
  await rawQuery(tx, `update seal_responses set idempotency_key = 'sealed:' || gen_random_uuid()::text`, []);
  await rawQuery(tx, `insert into responses select r.* from seal_responses r join seal_order o on o.id = r.id order by o.k`, []);
  await rawQuery(tx, `insert into answer_facts select f.* from seal_facts f join seal_order o on o.id = f.response_id order by o.k, f.item_index`, []);
  await rawQuery(tx, `insert into links select l.* from seal_links l join seal_link_order o on o.id = l.id order by o.k`, []);
  await rawQuery(tx, `drop table seal_responses, seal_order, seal_facts, seal_links, seal_link_order`, []);
  await mergeCounts(tx, roundId);
}

const KEY = 'form_id, school_id, question, "row", value';

/**
 * Merges a round's counter shards into one row per cell, written in key order: which submission
 * created or last changed a counter (its xmin, its place in the table) is gone, the sums stay.
 */
async function mergeCounts(tx: Db, roundId: string): Promise<void> {
  for (const [table, key, order] of [
    ['subject_counts', `subject_type, subject_id, ${KEY}`, 'school_id, subject_id, form_id'],
    ['school_counts', KEY, 'school_id, form_id'],
  ] as const) {
    await rawQuery(
      tx,
      `create temporary table seal_counts on commit drop as
       select ${key}, min(dimension) as dimension, min(score) as score, bool_or(excluded) as excluded, sum(n)::int as n
       from ${table} where round_id = $1::uuid group by ${key}`,
      [roundId],
    );
    await rawQuery(tx, `delete from ${table} where round_id = $1::uuid`, [roundId]);
    await rawQuery(
      tx,
      `insert into ${table} (round_id, ${key}, dimension, score, excluded, n, shard)
       select $1::uuid, ${key}, dimension, score, excluded, n, 0 from seal_counts
       order by ${order}, question collate "C", "row" collate "C", value collate "C"`,
      [roundId],
    );
    await rawQuery(tx, `drop table seal_counts`, []);
  }
}

/**
 * Seals the round inside the caller's transaction if it has closed and is not sealed yet: takes
 * the round's row lock (waiting for submissions in flight, which share-lock it), rewrites it and
 * stamps `sealed_at`. Returns whether it sealed now.
 */
export async function sealInTransaction(tx: Db, roundId: string, now = new Date()): Promise<boolean> {
  const [round] = await rawQuery<{ status: Round['status']; opensAt: Date; closesAt: Date; sealedAt: Date | null }>(
    tx,
    `select status, opens_at as "opensAt", closes_at as "closesAt", sealed_at as "sealedAt" from rounds where id = $1::uuid for update`,
    [roundId],
  );
  if (!round || round.sealedAt) return false;
  const status = effectiveStatus({ status: round.status, opensAt: new Date(round.opensAt), closesAt: new Date(round.closesAt) }, now);
  if (status !== 'closed' && status !== 'released') return false;
  await rewriteRound(tx, roundId);
  await rawQuery(tx, `update rounds set sealed_at = $2::timestamptz where id = $1::uuid`, [roundId, now.toISOString()]);
  return true;
}

/**
 * Removes the old row versions sealing left behind (until then a superuser can still read them
 * with page-inspection tools). VACUUM cannot run inside a transaction, so this follows the commit;
 * autovacuum would do it later anyway, so a failure (e.g. a role that does not own the tables)
 * is not the caller's error.
 */
export async function vacuumAfterSeal(db: Db): Promise<void> {
  try {
    await rawQuery(db, `vacuum ${WRITTEN_BY_SUBMISSION.join(', ')}`, []);
  } catch (err) {
    console.warn('vacuum after sealing a round failed; autovacuum will remove the old row versions', err);
  }
}

/** Seals a closed round in a transaction of its own, then vacuums. Returns whether it sealed now. */
export async function sealRound(db: Db, roundId: string, now = new Date()): Promise<boolean> {
  const sealed = await db.transaction((tx) => sealInTransaction(tx as unknown as Db, roundId, now));
  if (sealed) await vacuumAfterSeal(db);
  return sealed;
}

/**
 * Seals a round that closed by itself (its window ended) the first time someone needs its final
 * answers or its links; a no-op for open and already sealed rounds.
 */
export async function sealIfClosed(db: Db, round: Pick<Round, 'id' | 'status' | 'opensAt' | 'closesAt' | 'sealedAt'>, now = new Date()): Promise<void> {
  if (round.sealedAt) return;
  const status = effectiveStatus(round, now);
  if (status === 'closed' || status === 'released') await sealRound(db, round.id, now);
}

/** Seals every round whose window has ended and is not sealed yet (`pingyi seal`, for cron). */
export async function sealClosedRounds(db: Db, now = new Date()): Promise<number> {
  const due = await rawQuery<{ id: string }>(
    db,
    `select id from rounds where sealed_at is null and (status in ('closed', 'released') or (status = 'open' and closes_at <= $1::timestamptz))`,
    [now.toISOString()],
  );
  let sealed = 0;
  for (const { id } of due) if (await sealRound(db, id, now)) sealed++;
  return sealed;
}
