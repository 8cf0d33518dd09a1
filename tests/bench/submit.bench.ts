// Submissions through HTTP at load: a production build on PostgreSQL, 64 concurrent clients posting
// valid 20-question answers for BENCH_SECONDS (default 60), next to pgbench running the same
// statement (the link's place, the response row, 20 answer facts and their counts) with 64 clients
// in the same run.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { ensureBuild } from '@/lib/cli/build';
import { env } from '@/lib/env';
import { writeResponseParams } from '@/lib/responses/store';
import { writeResponseSql } from '@/lib/scoring/counters';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import { runCli } from '../helpers/cli';
import { startServer } from '../helpers/server';
import { machine } from './harness';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `pingyi_bench_submit_${randomBytes(3).toString('hex')}`;
const admin = postgres(server, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const u = new URL(server);
u.pathname = `/${name}`;
const url = u.toString();

const line = (metric: string, value: number, unit: string, baseline: number | null) =>
  console.log(JSON.stringify({ bench: 'submit', metric, value: Math.round(value * 100) / 100, unit, baseline: baseline === null ? null : Math.round(baseline * 100) / 100, ratio: baseline ? Math.round((value / baseline) * 1000) / 1000 : null, db: 'postgres', machine }));

const elements = Array.from({ length: 20 }, (_, i) =>
  i % 2 ? { type: 'rating', name: `q${i}`, rateMax: 5, isRequired: true, pingyiScores: { '1': 20, '2': 40, '3': 60, '4': 80, '5': 100 } } : { type: 'radiogroup', name: `q${i}`, isRequired: true, choices: ['满意', '基本满意', '不满意', '不了解'], pingyiScores: { 满意: 100, 基本满意: 75, 不满意: 55 }, pingyiExclude: ['不了解'] },
);
const answers = Object.fromEntries(elements.map((e, i) => [e.name, i % 2 ? 4 : '满意']));

let app: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  await ensureBuild();
  if ((await runCli(['seed'], { DATABASE_URL: url })).code !== 0) throw new Error('seed failed');
  const key = (await runCli(['api-key', 'create', '--name', 'bench', '--role', 'office', '--unit', '巷道学区'], { DATABASE_URL: url })).stdout.trim().split('\n').at(-1)!;
  // the app as it ships: PINGYI_DB_POOL_MAX from the environment, else its default (10). On the
  // 2 shared cores fewer connections serve more: 20 gave ≈600/s and p99 ≈205 ms, 10 ≈640/s and
  // ≈190 ms, 5 ≈740/s and ≈177 ms (README, Scaling)
  app = await startServer({ DATABASE_URL: url });
  const api = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${app!.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${p}: ${JSON.stringify(json)}`);
    return json;
  };
  const { id: templateId } = (await api('POST', '/api/v1/templates', { kind: 'other', name: '基准问卷', definition: { pages: [{ name: 'p', elements }] } })) as { id: string };
  const year = ((await api('GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] }).rounds[0]!.schoolYear;
  const { id: roundId } = (await api('POST', '/api/v1/rounds', {
    title: '基准测评', schoolYear: year, term: 1, units: ['巷道中心小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }], forms: [{ templateId, raterGroup: 0, subjectMode: 'school' }],
  })) as { id: string };
  await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
  const formId = ((await api('GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string }[] }).forms[0]!.id;
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId });
  // the class links of one school: clients spread over them as a burst from its class groups would
  // (the school's counters are shared by all of them; each link admits one submission at a time)
  const all = ((await api('GET', `/api/v1/rounds/${roundId}/links?kind=class&limit=500`)) as { links: { id: string; token: string; schoolName: string }[] }).links;
  const classLinks = all.filter((l) => l.schoolName === all[0]!.schoolName);
  const link = classLinks[0]!;
  const db = postgres(url, { max: 2, onnotice: () => {} });
  await db`update links set capacity = 10000000 where id in ${db(classLinks.map((l) => l.id))}`;
  const classOf = new Map((await db`select id, class_id from links where id in ${db(classLinks.map((l) => l.id))}`).map((r) => [r.id as string, r.class_id as string]));
  const [school] = await db`select school_id from links where id = ${link.id}`;
  const schoolId = school!.school_id as string;

  // --- through HTTP
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      const mine = classLinks[client % classLinks.length]!;
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const res = await fetch(`${app!.url}/api/v1/respond/${mine.token}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', origin: app!.url },
            body: JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [schoolId]: answers } }),
          });
          await res.arrayBuffer();
          if (res.status === 201) ok++;
          else errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  latencies.sort((x, y) => x - y);
  const [rows] = await db`select count(*)::int as n from responses where round_id = ${roundId}`;

  // --- the same transaction in pgbench: the app's own statement with the app's own parameters
  // (writeResponseParams), only the link, its class and the idempotency key vary per transaction
  const [form] = await db`select raters.id as rater_group_id from round_forms f join rater_groups raters on raters.id = f.rater_group_id where f.id = ${formId}`;
  const VARY = { link: '\u0000link', class: '\u0000class', key: '\u0000key' };
  const params = writeResponseParams(
    { roundId, formId, raterGroupId: form!.rater_group_id as string, schoolId, classId: VARY.class, idempotencyKey: VARY.key, data: { [schoolId]: answers } },
    [{ subject: { type: 'unit', key: schoolId }, facts: factsFromAnswers(scoredQuestions({ elements }), answers) }],
    VARY.link,
  );
  const literal = (v: unknown) => (v === null ? 'null' : `'${String(v).replace(/'/g, "''")}'`);
  const pick = (ids: (string | undefined)[]) => `(array[${ids.map(literal).join(',')}]::uuid[])[:l]`;
  const used = new Set<number>();
  const statement = writeResponseSql('link')
    .replace(/\$(\d+)/g, (_, n: string) => {
      const i = Number(n) - 1;
      if (i >= params.length) throw new Error(`writeResponseSql uses $${n} but writeResponseParams gives ${params.length} parameters`);
      used.add(i);
      const v = params[i];
      if (v === VARY.link) return pick(classLinks.map((l) => l.id));
      if (v === VARY.class) return pick(classLinks.map((l) => classOf.get(l.id)));
      if (v === VARY.key) return `('pgb-' || :client_id || '-' || :k || '-' || random())`;
      return literal(v);
    })
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (used.size !== params.length) throw new Error(`writeResponseSql uses ${used.size} of the ${params.length} parameters of writeResponseParams`);
  const script = `\\set k random(1, 2000000000)\n\\set l random(1, ${classLinks.length})\n${statement};\n`;
  const file = path.join(os.tmpdir(), `${name}.sql`);
  fs.writeFileSync(file, script);
  const [before] = await db`select count(*)::int as n from responses where round_id = ${roundId}`;
  const pg = spawnSync('pgbench', ['-n', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), '-f', file, url], { encoding: 'utf8' });
  fs.rmSync(file, { force: true });
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(pg.stdout)?.[1] ?? NaN);
  const pgLatency = Number(/latency average = ([\d.]+) ms/.exec(pg.stdout)?.[1] ?? NaN);
  const processed = Number(/number of transactions actually processed: (\d+)/.exec(pg.stdout)?.[1] ?? NaN);
  const failed = Number(/number of failed transactions: (\d+)/.exec(pg.stdout)?.[1] ?? 0);
  if (pg.status !== 0 || !Number.isFinite(tps) || !(processed > 0) || failed > 0 || /aborted/i.test(pg.stderr + pg.stdout)) {
    throw new Error(`pgbench failed (exit ${pg.status}):\n${pg.stdout}\n${pg.stderr.slice(0, 4000)}`);
  }
  const [after] = await db`select count(*)::int as n from responses where round_id = ${roundId}`;
  const pgRows = Number(after!.n) - Number(before!.n);
  if (pgRows !== processed) throw new Error(`pgbench processed ${processed} transactions but ${pgRows} responses were written`);
  await db.end();

  line('submissions_per_s', ok / SECONDS, 'submissions/s', tps);
  line('latency_p50_ms', latencies[Math.floor(latencies.length * 0.5)]!, 'ms', pgLatency);
  line('latency_p99_ms', latencies[Math.floor(latencies.length * 0.99)]!, 'ms', null);
  line('errors', errors, 'count', null);
  line('server_pool_max', env().PINGYI_DB_POOL_MAX, 'connections', null);
  line('rows_minus_successes', Number(rows!.n) - ok, 'count', null);
  line('pgbench_rows_minus_transactions', pgRows - processed, 'count', null);
} finally {
  await app?.stop();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
