/**
 * A round of BENCH_RESPONSES responses (default a million) for the results benchmarks: one
 * district, 100 schools of 50 teachers, each response a student rating one teacher on 10 scored
 * items (5 dimensions), so ten answer facts per response. Everything is generated set-based in SQL
 * (generate_series into a temporary table, then one INSERT … SELECT per table, never row by row);
 * the counts are then built from the answers with recomputeCounts (the same result the submission
 * statement keeps up to date one by one).
 *
 * The database is `pingyi_bench_million_<BENCH_RESPONSES>` on the server of DATABASE_URL; with
 * BENCH_KEEP=1 it is kept and reused by the next run (the seed takes minutes per million).
 */
import postgres from 'postgres';
import { openDatabase, rawQuery, type DbHandle } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { recomputeCounts } from '@/lib/scoring/counters';

export const RESPONSES = Number(process.env.BENCH_RESPONSES ?? 1_000_000);
export const SCHOOLS = 100;
export const TEACHERS_PER_SCHOOL = 50;
const DIMENSIONS = ['思想观念', '工作作风', '服务水平', '工作落实', '工作效能'];
const SCORES = { '1': 20, '2': 40, '3': 60, '4': 80, '5': 100 };

export interface MillionRound {
  handle: DbHandle;
  roundId: string;
  districtId: string;
  schoolIds: string[];
  seedMs: number | null;
  close: () => Promise<void>;
}

export async function millionRound(): Promise<MillionRound> {
  const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pingyi_bench_million_${RESPONSES}`;
  const keep = process.env.BENCH_KEEP === '1';
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
  if (exists && !keep) await admin.unsafe(`drop database ${name} with (force)`);
  if (!exists || !keep) await admin.unsafe(`create database ${name}`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: u.toString(), poolMax: 4 });
  await migrateDatabase(handle);
  const close = async () => {
    await handle.close();
    if (!keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  const db = handle.db;
  const [existing] = await rawQuery<{ id: string; unit_id: string }>(db, `select id, unit_id from rounds where title = '百万答卷测评'`, []);
  if (existing) {
    const schools = await rawQuery<{ unit_id: string }>(db, `select unit_id from round_units where round_id = $1::uuid`, [existing.id]);
    return { handle, roundId: existing.id, districtId: existing.unit_id, schoolIds: schools.map((s) => s.unit_id), seedMs: null, close };
  }

  const t0 = performance.now();
  const q = (text: string, params: unknown[] = []) => rawQuery<{ id: string }>(db, text, params);
  const [district] = await q(`insert into units (kind, name) values ('district', '基准学区') returning id`);
  const schools = await q(
    `insert into units (kind, name, parent_id, sort_order) select 'school', '基准学校' || lpad(g::text, 3, '0'), $1::uuid, g from generate_series(1, ${SCHOOLS}) g returning id`,
    [district!.id],
  );
  await q(
    `insert into staff (unit_id, staff_no, name, position)
     select s.id, 'B' || lpad((row_number() over ())::text, 6, '0'), '教师' || lpad((row_number() over ())::text, 5, '0'), '教师'
     from units s cross join generate_series(1, ${TEACHERS_PER_SCHOOL}) where s.parent_id = $1::uuid`,
    [district!.id],
  );
  const elements = Array.from({ length: 10 }, (_, i) => ({
    type: 'rating', name: `q${i + 1}`, title: `第${i + 1}项`, rateMax: 5, isRequired: true, pingyiScores: SCORES, pingyiDimension: DIMENSIONS[i % 5],
  }));
  const [template] = await q(`insert into templates (unit_id, kind, name) values ($1::uuid, 'student', '基准评教表') returning id`, [district!.id]);
  const [version] = await q(
    `insert into template_versions (template_id, version, definition, locked_at) values ($1::uuid, 1, $2::jsonb, now()) returning id`,
    [template!.id, JSON.stringify({ pingyiSubject: 'class_teachers', elements })],
  );
  const [round] = await q(
    `insert into rounds (unit_id, title, school_year, term, status, opens_at, closes_at, released_to_schools_at, released_to_staff_at, sealed_at)
     values ($1::uuid, '百万答卷测评', '2026-2027', 1, 'released', now() - interval '10 days', now() - interval '1 day', now(), now(), now()) returning id`,
    [district!.id],
  );
  await q(`insert into round_units (round_id, unit_id) select $1::uuid, id from units where parent_id = $2::uuid`, [round!.id, district!.id]);
  const [group] = await q(`insert into rater_groups (round_id, kind, name, weight) values ($1::uuid, 'student', '学生', 100) returning id`, [round!.id]);
  const [form] = await q(
    `insert into round_forms (round_id, template_version_id, rater_group_id, subject_mode, title) values ($1::uuid, $2::uuid, $3::uuid, 'class_teachers', '学生评教') returning id`,
    [round!.id, version!.id, group!.id],
  );
  // each teacher has a level of their own, each answer some noise around it
  await q(`create temporary table bench_teachers as select row_number() over (order by id) - 1 as idx, id, unit_id, 2.5 + random() * 2.5 as level from staff where unit_id in (select id from units where parent_id = $1::uuid)`, [district!.id]);
  // a plain table, not a temporary one: the facts are inserted in a transaction, on any connection of the pool
  await q(`create unlogged table bench_responses as
    select gen_random_uuid() as id, t.id as staff_id, t.unit_id as school_id, t.level, g
    from generate_series(0, ${RESPONSES - 1}) g join bench_teachers t on t.idx = g % ${SCHOOLS * TEACHERS_PER_SCHOOL}`);
  await q(
    `insert into responses (id, round_id, form_id, rater_group_id, school_id, idempotency_key, data)
     select id, $1::uuid, $2::uuid, $3::uuid, school_id, 'bench-' || g, '{}'::jsonb from bench_responses`,
    [round!.id, form!.id, group!.id],
  );
  // the facts reference responses written just above: this one bulk insert skips the foreign-key
  // trigger (one lookup per row, 10 per response) and changes no row; it needs a superuser. The
  // table's indexes are dropped for it and built again after (one sort each instead of 10 × RESPONSES
  // insertions into three b-trees: the 3 M seed took 27 minutes with them in place)
  const indexes = await rawQuery<{ name: string; definition: string }>(
    db,
    `select indexname as name, indexdef as definition from pg_indexes where schemaname = current_schema() and tablename = 'answer_facts'`,
    [],
  );
  await db.transaction(async (t) => {
    const tx = t as unknown as typeof db;
    await rawQuery(tx, `set local session_replication_role = replica`, []);
    for (const index of indexes) await rawQuery(tx, `drop index "${index.name}"`, []);
    await rawQuery(
      tx,
      `insert into answer_facts (response_id, round_id, form_id, rater_group_id, school_id, subject_type, subject_staff_id, question, "row", dimension, value, score, excluded, item_index)
       select r.id, $1::uuid, $2::uuid, $3::uuid, r.school_id, 'staff', r.staff_id, 'q' || i, '', (array[${DIMENSIONS.map((d) => `'${d}'`).join(',')}])[1 + (i - 1) % 5], v::text, v * 20, false, i - 1
       from bench_responses r cross join generate_series(1, 10) i
       cross join lateral (select least(5, greatest(1, round(r.level + random() * 2 - 1)))::int as v) x`,
      [round!.id, form!.id, group!.id],
    );
    await rawQuery(tx, `set local maintenance_work_mem = '1GB'`, []);
    for (const index of indexes) await rawQuery(tx, index.definition, []);
  });
  await q(`drop table bench_responses`);
  await q(`analyze`);
  await recomputeCounts(db, round!.id);
  await q(`analyze`);
  return { handle, roundId: round!.id, districtId: district!.id, schoolIds: schools.map((s) => s.id), seedMs: performance.now() - t0, close };
}
