/**
 * Keeping `subject_counts` and `school_counts` exact. Every change to the valid answers of a round
 * goes through one of these statements in the same transaction as the change itself: a submission
 * (valid or void), a later void, a test-mode wipe. `recomputeCounts` rebuilds them from the raw
 * answers; a property test checks that the two never differ.
 */
import { rawQuery, type Db } from '@/lib/db/client';

/** Parallel submissions for one school spread over this many counter rows per cell. */
export const SHARDS = 16;

const DELTA_COLUMNS = 'form_id, school_id, subject_type, subject_id, question, "row", value, dimension, score, excluded, n';

/**
 * Two CTE clauses adding a delta set (a CTE named `delta` with DELTA_COLUMNS) to both count tables.
 * Rows are taken in key order so two transactions never lock counters in opposite orders.
 */
export function addDeltaSql(round: string, shard: string): string {
  return `
subject_delta as (
  insert into subject_counts (round_id, ${DELTA_COLUMNS}, shard)
  select ${round}, form_id, school_id, subject_type, subject_id, question, "row", value, min(dimension), min(score), bool_or(excluded), sum(n)::int, ${shard}
  from delta where subject_type <> 'response'
  group by form_id, school_id, subject_type, subject_id, question, "row", value
  order by school_id, subject_id, form_id, question collate "C", "row" collate "C", value collate "C"
  on conflict (round_id, school_id, subject_id, form_id, question, "row", value, shard) do update set n = subject_counts.n + excluded.n
), school_delta as (
  insert into school_counts (round_id, form_id, school_id, question, "row", value, dimension, score, excluded, n, shard)
  select ${round}, form_id, school_id, question, "row", value, min(dimension), min(score), bool_or(excluded), sum(n)::int, ${shard}
  from delta where question <> '' or subject_type = 'response'
  group by form_id, school_id, question, "row", value
  order by school_id, form_id, question collate "C", "row" collate "C", value collate "C"
  on conflict (round_id, school_id, form_id, question, "row", value, shard) do update set n = school_counts.n + excluded.n
)`;
}

/**
 * Writes one response, its answer facts and its counts as a single autocommitted statement (one
 * round trip). With `link`, the link's place is taken first and nothing is written unless it was:
 * a full link or used code writes nothing, and a repeated idempotency key fails the unique index,
 * aborting the statement with the place it took. Facts come as one JSON array, so the statement
 * has a fixed shape whatever the number of answers.
 *
 * $1 link id · $2 round · $3 form · $4 rater group · $5 school · $6 class · $7 idempotency key ·
 * $8 answers JSON · $9 facts JSON · $10 status (valid|void) · $11 flag · $12 and $13 the count
 * deltas per subject and for the school (countDeltas), written only if the response was.
 */
export function writeResponseSql(admission: 'link' | 'none'): string {
  // Through a link, the round's row is share-locked first and must not be sealed: sealing
  // (lib/rounds/seal.ts) locks it for update, so a submission admitted just before the close
  // either commits before the seal rewrites the round or finds it sealed and writes nothing.
  // The insert's foreign key takes the same lock, so this costs no extra wait.
  const taken =
    admission === 'link'
      ? `open_round as (
  select id from rounds where id = $2::uuid and sealed_at is null for key share
), taken as (
  update links set used_count = used_count + 1
  where id = $1::uuid and used_count < capacity and not revoked and exists (select 1 from open_round)
  returning id
)`
      : `taken as (
  select $1::uuid as id
)`;
  return `
with ${taken}, response as (
  insert into responses (round_id, form_id, rater_group_id, school_id, class_id, idempotency_key, data, status, flag, void_reason)
  select $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $7::text, $8::text::jsonb, $10::response_status, $11::text,
    case when $10::text = 'void' then $11::text end
  from taken
  returning id, status, flag
), fact_rows as (
  select * from jsonb_to_recordset($9::text::jsonb) as f("subjectType" subject_type, "subjectStaffId" uuid,
    "subjectUnitId" uuid, question text, "row" text, dimension text, value text, score real, excluded boolean, "itemIndex" integer)
), facts as (
  insert into answer_facts (response_id, round_id, form_id, rater_group_id, school_id, class_id,
    subject_type, subject_staff_id, subject_unit_id, question, "row", dimension, value, score, excluded, item_index)
  select response.id, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid,
    f."subjectType", f."subjectStaffId", f."subjectUnitId", f.question, f."row", f.dimension, f.value, f.score, f.excluded, f."itemIndex"
  from response cross join fact_rows f
), shard as (
  select floor(random() * ${SHARDS})::smallint as s
), subject_delta as (
  insert into subject_counts (round_id, form_id, school_id, subject_type, subject_id, question, "row", value, dimension, score, excluded, n, shard)
  select $2::uuid, $3::uuid, $5::uuid, d.t, d.s, d.q, d.r, d.v, d.d, d.sc, d.x, d.n, (select s from shard)
  from response cross join jsonb_to_recordset($12::text::jsonb) as d(t text, s uuid, q text, r text, v text, d text, sc real, x boolean, n int)
  on conflict (round_id, school_id, subject_id, form_id, question, "row", value, shard) do update set n = subject_counts.n + excluded.n
), school_delta as (
  insert into school_counts (round_id, form_id, school_id, question, "row", value, dimension, score, excluded, n, shard)
  select $2::uuid, $3::uuid, $5::uuid, d.q, d.r, d.v, d.d, d.sc, d.x, d.n, (select s from shard)
  from response cross join jsonb_to_recordset($13::text::jsonb) as d(q text, r text, v text, d text, sc real, x boolean, n int)
  on conflict (round_id, school_id, form_id, question, "row", value, shard) do update set n = school_counts.n + excluded.n
)
select count(*)::int as taken from response`;
}

export interface DeltaFact {
  subjectType: string;
  subjectId: string;
  question: string;
  row: string;
  value: string;
  dimension: string | null;
  score: number | null;
  excluded: boolean;
}

/** Code-unit order, the same as PostgreSQL's "C" collation for the text the keys hold. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What one response adds to the counts: its answers (when valid) and its respondent rows ('' question:
 * the status, and 'flagged'), per subject and for the school, merged by key and in key order so
 * parallel submissions lock counter rows in the same order (and the same order as VOID_SQL).
 */
export function countDeltas(facts: readonly DeltaFact[], status: 'valid' | 'void', flag: string | null) {
  const respondent = [status, ...(flag ? ['flagged'] : [])];
  const subject = new Map<string, { t: string; s: string; q: string; r: string; v: string; d: string | null; sc: number | null; x: boolean; n: number }>();
  const school = new Map<string, { q: string; r: string; v: string; d: string | null; sc: number | null; x: boolean; n: number }>();
  const add = <T extends { n: number }>(map: Map<string, T>, key: string, row: Omit<T, 'n'>) => {
    const hit = map.get(key);
    if (hit) hit.n += 1;
    else map.set(key, { ...row, n: 1 } as T);
  };
  for (const f of facts) {
    if (status === 'valid') {
      add(subject, [f.subjectId, f.question, f.row, f.value].join('\u0000'), { t: f.subjectType, s: f.subjectId, q: f.question, r: f.row, v: f.value, d: f.dimension, sc: f.score, x: f.excluded });
      add(school, [f.question, f.row, f.value].join('\u0000'), { q: f.question, r: f.row, v: f.value, d: f.dimension, sc: f.score, x: f.excluded });
    }
  }
  for (const [subjectId, type] of new Map(facts.map((f) => [f.subjectId, f.subjectType]))) {
    for (const v of respondent) subject.set([subjectId, '', '', v].join('\u0000'), { t: type, s: subjectId, q: '', r: '', v, d: null, sc: null, x: false, n: 1 });
  }
  for (const v of respondent) school.set(['', '', v].join('\u0000'), { q: '', r: '', v, d: null, sc: null, x: false, n: 1 });
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort((a, b) => byKey(a[0], b[0])).map(([, row]) => row);
  return { subject: sorted(subject), school: sorted(school) };
}

/**
 * Voids valid responses of a round (e.g. a ballot found straight-lined after the rules changed):
 * their answers leave every figure and the void count grows, in one statement.
 */
const VOID_SQL = `
with voided as (
  update responses set status = 'void', void_reason = $3::text
  where round_id = $1::uuid and id = any($2::uuid[]) and status = 'valid'
  returning id, form_id, school_id
), subjects as (
  select distinct f.form_id, f.school_id, f.subject_type::text as subject_type, coalesce(f.subject_staff_id, f.subject_unit_id) as subject_id, f.response_id
  from answer_facts f join voided v on v.id = f.response_id
), delta as (
  select f.form_id, f.school_id, f.subject_type::text as subject_type, coalesce(f.subject_staff_id, f.subject_unit_id) as subject_id,
    f.question, f."row", f.value, f.dimension, f.score, f.excluded, -1 as n
  from answer_facts f join voided v on v.id = f.response_id
  union all
  select s.form_id, s.school_id, s.subject_type, s.subject_id, '', '', c.value, null, null, false, c.n
  from subjects s cross join (values ('valid', -1), ('void', 1)) as c(value, n)
  union all
  select v.form_id, v.school_id, 'response', v.id, '', '', c.value, null, null, false, c.n
  from voided v cross join (values ('valid', -1), ('void', 1)) as c(value, n)
), ${addDeltaSql('$1::uuid', '0::smallint')}
select count(*)::int as voided from voided`;

export async function voidResponses(db: Db, roundId: string, responseIds: string[], reason: string): Promise<number> {
  if (!responseIds.length) return 0;
  const [row] = await rawQuery<{ voided: number }>(db, VOID_SQL, [roundId, `{${responseIds.join(',')}}`, reason]);
  return row?.voided ?? 0;
}

/**
 * The counts of a round computed from the raw answers: the same columns as the count tables summed
 * over their shards. The fast path must always equal this.
 */
export const RAW_SUBJECT_COUNTS = `
  select f.form_id, f.school_id, f.subject_type::text as subject_type, coalesce(f.subject_staff_id, f.subject_unit_id) as subject_id,
    f.question, f."row", f.value, min(f.dimension) as dimension, min(f.score) as score, bool_or(f.excluded) as excluded, count(*)::int as n
  from answer_facts f join responses r on r.id = f.response_id
  where f.round_id = $1::uuid and r.status = 'valid'
  group by f.form_id, f.school_id, f.subject_type, 4, f.question, f."row", f.value
  union all
  select s.form_id, s.school_id, s.subject_type, s.subject_id, '', '', v.value, null, null, false, count(*)::int
  from (
    select distinct f.form_id, f.school_id, f.subject_type::text as subject_type, coalesce(f.subject_staff_id, f.subject_unit_id) as subject_id,
      f.response_id, r.status::text as status, r.flag
    from answer_facts f join responses r on r.id = f.response_id where f.round_id = $1::uuid
  ) s cross join lateral (select s.status as value union all select 'flagged' where s.flag is not null) v
  group by 1, 2, 3, 4, 7`;

export const RAW_SCHOOL_COUNTS = `
  select form_id, school_id, question, "row", value, min(dimension) as dimension, min(score) as score, bool_or(excluded) as excluded, sum(n)::int as n
  from (${RAW_SUBJECT_COUNTS}) c where question <> ''
  group by 1, 2, 3, 4, 5
  union all
  select r.form_id, r.school_id, '', '', v.value, null, null, false, count(*)::int
  from responses r cross join lateral (select r.status::text as value union all select 'flagged' where r.flag is not null) v
  where r.round_id = $1::uuid
  group by 1, 2, 5`;

/** Rebuilds a round's counts from its raw answers (a repair tool; the bench's seed uses it). */
export async function recomputeCounts(db: Db, roundId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    await rawQuery(t, `delete from subject_counts where round_id = $1::uuid`, [roundId]);
    await rawQuery(t, `delete from school_counts where round_id = $1::uuid`, [roundId]);
    await rawQuery(
      t,
      `insert into subject_counts (round_id, ${DELTA_COLUMNS}, shard) select $1::uuid, ${DELTA_COLUMNS}, 0 from (${RAW_SUBJECT_COUNTS}) c`,
      [roundId],
    );
    await rawQuery(
      t,
      `insert into school_counts (round_id, form_id, school_id, question, "row", value, dimension, score, excluded, n, shard)
       select $1::uuid, form_id, school_id, question, "row", value, dimension, score, excluded, n, 0 from (${RAW_SCHOOL_COUNTS}) c`,
      [roundId],
    );
  });
}

/** A test-mode wipe removes the counts with the answers. */
export async function deleteCounts(db: Db, roundId: string): Promise<void> {
  await rawQuery(db, `delete from subject_counts where round_id = $1::uuid`, [roundId]);
  await rawQuery(db, `delete from school_counts where round_id = $1::uuid`, [roundId]);
}
