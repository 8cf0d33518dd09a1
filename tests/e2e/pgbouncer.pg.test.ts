/**
 * Two app instances through PgBouncer in transaction mode (Debian's pgbouncer, in front of a
 * cluster of the test's own): they start together (the setup lock is a transaction's advisory lock,
 * which holds through PgBouncer), and the concurrency results of the submission path hold — one
 * code accepted once, a class link filled to exactly its capacity — with PINGYI_DB_PGBOUNCER=1
 * (no named prepared statements, no session settings at connect time).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { runCli } from '../helpers/cli';
import { startCluster, startPgBouncer, type Bouncer, type Cluster } from '../helpers/cluster';
import { databaseUrl } from '../helpers/pg';
import { startServer, type RunningServer } from '../helpers/server';

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

let cluster: Cluster;
let bouncer: Bouncer;
let direct: string;
let a: RunningServer;
let b: RunningServer;
let key: string;
let schoolId: string;
let roundId: string;
let classLink: string;
let codeLink: string;
let capacity: number;

const env = () => ({ DATABASE_URL: bouncer.url, PINGYI_DB_PGBOUNCER: '1' });

async function api(server: RunningServer, method: string, p: string, body?: unknown) {
  const res = await fetch(`${server.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const submit = (server: RunningServer, token: string) =>
  fetch(`${server.url}/api/v1/respond/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [schoolId]: PARENT } }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }));

beforeAll(async () => {
  const build = ensureBuild();
  cluster = await startCluster({ max_connections: 50 });
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin`create database pingyi`;
  // behind PgBouncer the timeouts are the database's own settings
  await admin`alter database pingyi set lock_timeout = '5s'`;
  await admin`alter database pingyi set statement_timeout = '60s'`;
  await admin.end();
  direct = databaseUrl(cluster.url, 'pingyi');
  bouncer = await startPgBouncer(cluster, 'pingyi', 8);
  expect((await runCli(['seed'], env(), 480_000)).code).toBe(0);
  key = (await runCli(['api-key', 'create', '--name', 'bouncer', '--role', 'office', '--unit', '巷道学区'], env())).stdout.trim().split('\n').at(-1)!;
  await build;
  // both start at once: migrations and the library install run under the setup lock, through PgBouncer
  [a, b] = await Promise.all([startServer({ ...env(), PINGYI_SEED: '0' }), startServer({ ...env(), PINGYI_SEED: '0' })]);
  const templates = (await api(a, 'GET', '/api/v1/templates')) as { templates: { id: string; name: string }[] };
  const units = (await api(a, 'GET', '/api/v1/units?kind=school')) as { units: { id: string; name: string }[] };
  schoolId = units.units.find((u) => u.name === '槐山小学')!.id;
  const rounds = (await api(a, 'GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] };
  ({ id: roundId } = (await api(a, 'POST', '/api/v1/rounds', {
    title: 'PgBouncer 测评',
    schoolYear: rounds.rounds[0]!.schoolYear,
    term: 1,
    units: ['槐山小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId: templates.templates.find((t) => t.name === '家长满意度问卷')!.id, raterGroup: 0, subjectMode: 'school' }],
  })) as { id: string });
  await api(b, 'POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
  const round = (await api(a, 'GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string }[] };
  await api(a, 'POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId: round.forms[0]!.id });
  await api(b, 'POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId: round.forms[0]!.id, count: 1 });
  const links = (await api(a, 'GET', `/api/v1/rounds/${roundId}/links?limit=500`)) as { links: { kind: string; token: string; capacity: number }[] };
  const cls = links.links.find((l) => l.kind === 'class')!;
  [classLink, capacity] = [cls.token, cls.capacity];
  codeLink = links.links.find((l) => l.kind === 'code')!.token;
}, 900_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await bouncer?.stop();
  cluster?.destroy();
});

describe('two instances through PgBouncer (transaction mode)', () => {
  it('without PINGYI_DB_PGBOUNCER the connection settings are refused by PgBouncer, with a clear message', async () => {
    const r = await runCli(['migrate'], { DATABASE_URL: bouncer.url });
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/unsupported startup parameter/);
  });

  it('one code submitted 100 times at once across both instances is accepted once', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => submit(i % 2 ? a : b, codeLink)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(99);
  });

  it('a class link takes exactly its capacity across both instances, and every response is whole', async () => {
    const results = await Promise.all(Array.from({ length: capacity * 2 }, (_, i) => submit(i % 2 ? a : b, classLink)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(capacity);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error!.code === 'conflict')).toBe(true);
    const sql = postgres(direct, { max: 1, onnotice: () => {} });
    const [row] = await sql`
      select (select count(*)::int from responses where round_id = ${roundId}) as responses,
        (select sum(used_count)::int from links where round_id = ${roundId}) as used,
        (select coalesce(sum(n), 0)::int from school_counts where round_id = ${roundId} and question = '' and value = 'valid') as counted`;
    // the instances really went through PgBouncer: two pools of 10 share its 8 server connections
    const [via] = await sql`select count(*)::int as n from pg_stat_activity where datname = 'pingyi' and backend_type = 'client backend' and pid <> pg_backend_pid()`;
    await sql.end();
    expect(row).toEqual({ responses: capacity + 1, used: capacity + 1, counted: capacity + 1 });
    expect(via!.n).toBeLessThanOrEqual(8);
  });
});
