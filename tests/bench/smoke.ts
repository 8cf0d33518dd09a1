/**
 * `npm run bench -- smoke [name…]`: every benchmark at a small size (a few seconds each), in its own
 * process, and a check that its figures are produced and sane: every line is a figure with the
 * machine, the metrics each bench promises are there, the baselines measured in the same run are
 * present, and the invariants hold (zero errors, rows = successes). Any failure exits non-zero, so
 * CI fails when a benchmark breaks instead of when someone next tries to reproduce a figure.
 * The full sizes stay the defaults of `npm run bench -- <name>`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  db: string;
  machine: string;
}

type Check = (f: Figure) => string | null;
const positive: Check = (f) => (f.value > 0 ? null : 'must be > 0');
const zero: Check = (f) => (f.value === 0 ? null : 'must be 0');
const withBaseline: Check = (f) => (f.baseline !== null && Number.isFinite(f.baseline) && f.baseline > 0 && f.ratio !== null ? positive(f) : 'baseline missing');
const equalsBaseline: Check = (f) => (f.value === f.baseline ? null : `must equal its baseline ${f.baseline}`);
const within = (lo: number, hi: number): Check => (f) => (f.value >= lo && f.value <= hi ? null : `must be within ${lo}..${hi}`);
const all = (...checks: Check[]): Check => (f) => checks.map((c) => c(f)).find((m) => m !== null) ?? null;

const PG = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Smoke {
  env: Record<string, string>;
  expect: Record<string, Check>;
}

/** Each benchmark's smoke size and the figures it must produce. */
const SMOKES: Record<string, Smoke> = {
  seed: { env: {}, expect: { demo_seed_ms: withBaseline, responses_per_s: positive } },
  import: { env: { BENCH_SCHOOLS: '5' }, expect: { roster_import_ms: withBaseline, file_bytes: positive, reimport_unchanged_ms: withBaseline } },
  validate: { env: { BENCH_RUNS: '500' }, expect: { validate_30_questions_median_ms: withBaseline, model_per_request_median_ms: positive } },
  submit: {
    env: { DATABASE_URL: PG, BENCH_SECONDS: '3', BENCH_CLIENTS: '16' },
    expect: {
      submissions_per_s: withBaseline,
      latency_p50_ms: withBaseline,
      latency_p99_ms: positive,
      errors: zero,
      rows_minus_successes: zero,
      pgbench_rows_minus_transactions: zero,
    },
  },
  aggregate: {
    env: { DATABASE_URL: PG, BENCH_RESPONSES: '10000', BENCH_RUNS: '3' },
    expect: {
      seed_seconds: positive,
      responses: all(positive, equalsBaseline),
      answer_facts: all(positive, equalsBaseline),
      district_overview_median_ms: withBaseline,
      school_teacher_table_median_ms: withBaseline,
      plain_group_by_ms: positive,
      count_tables_mb: withBaseline,
      database_mb: positive,
      answer_facts_mb: positive,
      process_rss_mb: positive,
    },
  },
  dashboard: {
    env: { DATABASE_URL: PG, BENCH_RESPONSES: '10000', BENCH_RUNS: '3' },
    expect: {
      district_overview_render_median_ms: withBaseline,
      round_overview_render_median_ms: withBaseline,
      school_page_render_median_ms: withBaseline,
      responses: all(positive, within(10_000, 10_000)),
    },
  },
  soak: {
    env: { DATABASE_URL: PG, SOAK_MINUTES: '0.15', SOAK_INTERVAL_S: '3', SOAK_CLIENTS: '4', SOAK_CODES_PER_CLASS: '2' },
    expect: {
      server_rss_mb: withBaseline,
      latency_p99_ms: positive,
      requests: positive,
      submissions: positive,
      errors: zero,
      rows_minus_acknowledged: zero,
      rss_growth_after_warmup_pct: (f) => (Number.isFinite(f.value) ? null : 'not a number'),
      p99_growth_after_warmup_pct: (f) => (Number.isFinite(f.value) ? null : 'not a number'),
      // a kind of request seen in the first interval (the baseline) may be missing from a short last one (0)
      request_p99_ms: (f) => (f.baseline !== null && f.baseline > 0 && f.value >= 0 ? null : 'baseline missing'),
    },
  },
  pages: {
    env: { BENCH_CODES: '500', BENCH_RUNS: '1' },
    expect: {
      codes_issued: within(500, 3000),
      issue_ms: positive,
      round_page_html_bytes: withBaseline,
      round_page_ms: withBaseline,
      links_api_limit100_bytes: withBaseline,
      links_api_limit100_ms: withBaseline,
      links_api_limit500_bytes: withBaseline,
      links_api_limit500_ms: withBaseline,
      slips_pdf_codes: positive,
      slips_pdf_bytes: positive,
      slips_pdf_first_byte_ms: positive,
      slips_pdf_ms: positive,
      slips_pdf_ms_per_1000: positive,
      slips_pdf_bytes_per_slip: positive,
    },
  },
  page: {
    env: { LIGHTHOUSE_RUNS: '1' },
    expect: {
      answer_page_js_css_bytes: withBaseline,
      answer_page_first_load_js_css_bytes: withBaseline,
      answer_page_html_bytes: positive,
      answer_page_requests: positive,
      answer_page_lighthouse_score: all(withBaseline, within(1, 100)),
      answer_page_tti_ms: withBaseline,
      answer_page_tbt_ms: (f) => (f.baseline !== null ? null : 'baseline missing'),
      answer_page_lcp_ms: withBaseline,
      answer_page_fcp_ms: withBaseline,
    },
  },
};

function run(name: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(process.cwd(), 'bin', 'bench.mjs'), name], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** What is wrong with a bench's output, or nothing. */
export function problems(name: string, stdout: string, smoke: Smoke): string[] {
  const out: string[] = [];
  const figures = new Map<string, Figure>();
  for (const text of stdout.split('\n').filter((l) => l.trim().startsWith('{'))) {
    let f: Figure;
    try {
      f = JSON.parse(text) as Figure;
    } catch {
      out.push(`not JSON: ${text}`);
      continue;
    }
    if (f.bench !== name) out.push(`${f.metric}: bench is ${f.bench}`);
    if (typeof f.machine !== 'string' || !f.machine) out.push(`${f.metric}: no machine`);
    if (typeof f.unit !== 'string' || typeof f.db !== 'string') out.push(`${f.metric}: no unit or db`);
    if (typeof f.value !== 'number' || !Number.isFinite(f.value)) out.push(`${f.metric}: value ${f.value}`);
    figures.set(f.metric, f);
  }
  for (const [metric, check] of Object.entries(smoke.expect)) {
    const f = figures.get(metric);
    if (!f) out.push(`${metric}: missing`);
    else {
      const wrong = check(f);
      if (wrong) out.push(`${metric} = ${f.value} (baseline ${f.baseline}): ${wrong}`);
    }
  }
  return out;
}

const available = new Set(Object.keys(SMOKES));
const asked = process.argv.slice(3);
const names = asked.length ? asked : [...available];
const unknown = names.filter((n) => !available.has(n));
if (unknown.length) {
  console.error(`no smoke run for: ${unknown.join(', ')} (have ${[...available].join(', ')})`);
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  const smoke = SMOKES[name]!;
  const r = await run(name, smoke.env);
  const wrong = r.code === 0 ? problems(name, r.stdout, smoke) : [`exited with ${r.code}`, r.stderr.slice(-3000)];
  console.error(`smoke ${name}: ${wrong.length ? 'FAILED' : 'ok'} in ${(r.ms / 1000).toFixed(1)} s`);
  for (const w of wrong) console.error(`  ${w}`);
  if (wrong.length) failed++;
}
if (failed) {
  console.error(`${failed} of ${names.length} benchmark smoke runs failed`);
  process.exit(1);
}
