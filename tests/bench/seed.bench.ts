// The demo seed writes ~500 responses through storeResponse (one response, then its facts, per
// answer, as a submission does). Baseline: the same number of answer_facts rows in one INSERT … SELECT
// with generate_series, the floor any row-by-row path is compared with.
import { count } from 'drizzle-orm';
import { answerFacts } from '@/lib/db/schema';
import { seedDemo } from '@/lib/seed/demo';
import { benchDatabase, report, timed } from './harness';

const handle = await benchDatabase();
try {
  const [summary, seedMs] = await timed(() => seedDemo(handle.db, { type: 'system', label: 'bench' }));
  const [row] = await handle.db.select({ n: count() }).from(answerFacts);
  const facts = row!.n;
  const sample = (await handle.exec(`select response_id, round_id, form_id, rater_group_id, school_id, subject_unit_id from answer_facts limit 1`))[0]!;
  const [, baselineMs] = await timed(() =>
    handle.exec(`insert into answer_facts (response_id, round_id, form_id, rater_group_id, school_id, subject_type, subject_unit_id, question, value, score)
      select '${sample.response_id}', '${sample.round_id}', '${sample.form_id}', '${sample.rater_group_id}', '${sample.school_id}', 'unit',
             '${sample.subject_unit_id}', 'q' || (g % 8), 'satisfied', 100 from generate_series(1, ${facts}) g`),
  );
  report('seed', handle.kind, 'demo_seed_ms', seedMs, 'ms', baselineMs);
  report('seed', handle.kind, 'responses_per_s', summary.responses / (seedMs / 1000), 'responses/s', null);
} finally {
  await handle.close();
}
