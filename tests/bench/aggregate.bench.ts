// Results at scale: a round of BENCH_RESPONSES (default 1,000,000) responses × 10 scored items on PostgreSQL. Times the
// district overview and a school's per-teacher table read from the pre-aggregated counts, next to
// the same results computed by a plain GROUP BY over the 10 million answer rows, in the same run;
// and the memory used (this process, and the count tables against the answers on disk).
import { rawQuery } from '@/lib/db/client';
import { getRoundResults } from '@/lib/scoring/queries';
import { resultsQuery } from '@/lib/scoring/schemas';
import { report } from './harness';
import { millionRound, RESPONSES } from './million';

const RUNS = Number(process.env.BENCH_RUNS ?? 21);
/** 0 skips the raw baselines (at 3 M responses and more each one reads every answer for minutes) */
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const m = await millionRound();
try {
  const { handle, roundId, districtId, schoolIds } = m;
  if (m.seedMs !== null) report('aggregate', 'postgres', 'seed_seconds', m.seedMs / 1000, 's', null);
  const office = { role: 'office' as const, unitId: districtId };
  const district = resultsQuery.parse({ level: 'district' });
  const school = (i: number) => resultsQuery.parse({ level: 'school', schoolId: schoolIds[i % schoolIds.length]! });
  const time = async (runs: number, fn: (i: number) => Promise<unknown>) => {
    await fn(0); // warm: connections, plans, definitions
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn(i + 1);
      out.push(performance.now() - t0);
    }
    return median(out);
  };
  const fastDistrict = await time(RUNS, () => getRoundResults(handle.db, office, roundId, district));
  const fastSchool = await time(RUNS, (i) => getRoundResults(handle.db, office, roundId, school(i)));
  const rawDistrict = BASELINE_RUNS ? await time(BASELINE_RUNS, () => getRoundResults(handle.db, office, roundId, district, { source: 'raw' })) : null;
  const rawSchool = BASELINE_RUNS ? await time(BASELINE_RUNS, (i) => getRoundResults(handle.db, office, roundId, school(i), { source: 'raw' })) : null;
  const t0 = performance.now();
  await rawQuery(handle.db, `select school_id, question, value, count(*) from answer_facts where round_id = $1::uuid group by 1, 2, 3`, [roundId]);
  const groupBy = performance.now() - t0;
  const [check] = await rawQuery<{ responses: number; facts: number }>(
    handle.db,
    `select (select count(*)::int from responses where round_id = $1::uuid) as responses, (select count(*)::int from answer_facts where round_id = $1::uuid) as facts`,
    [roundId],
  );
  const [sizes] = await rawQuery<{ counts: string; facts: string }>(
    handle.db,
    `select pg_total_relation_size('subject_counts') + pg_total_relation_size('school_counts') as counts, pg_total_relation_size('answer_facts') as facts`,
    [],
  );
  report('aggregate', 'postgres', 'responses', check!.responses, 'rows', RESPONSES);
  report('aggregate', 'postgres', 'answer_facts', check!.facts, 'rows', RESPONSES * 10);
  report('aggregate', 'postgres', 'district_overview_median_ms', fastDistrict, 'ms', rawDistrict);
  report('aggregate', 'postgres', 'school_teacher_table_median_ms', fastSchool, 'ms', rawSchool);
  report('aggregate', 'postgres', 'plain_group_by_ms', groupBy, 'ms', null);
  report('aggregate', 'postgres', 'count_tables_mb', Number(sizes!.counts) / 2 ** 20, 'MB', Number(sizes!.facts) / 2 ** 20);
  // how the database grows with BENCH_RESPONSES (1M, 3M, 10M …): the whole database, and its two largest tables
  const [db] = await rawQuery<{ total: string; facts: string; responses: string }>(
    handle.db,
    `select pg_database_size(current_database()) as total, pg_total_relation_size('answer_facts') as facts, pg_total_relation_size('responses') as responses`,
    [],
  );
  report('aggregate', 'postgres', 'database_mb', Number(db!.total) / 2 ** 20, 'MB', null, { responses: RESPONSES });
  report('aggregate', 'postgres', 'answer_facts_mb', Number(db!.facts) / 2 ** 20, 'MB', null, { responses: RESPONSES });
  report('aggregate', 'postgres', 'responses_mb', Number(db!.responses) / 2 ** 20, 'MB', null, { responses: RESPONSES });
  report('aggregate', 'postgres', 'process_rss_mb', process.memoryUsage().rss / 2 ** 20, 'MB', null);
  report('aggregate', 'postgres', 'process_heap_used_mb', process.memoryUsage().heapUsed / 2 ** 20, 'MB', null);
} finally {
  await m.close();
}
