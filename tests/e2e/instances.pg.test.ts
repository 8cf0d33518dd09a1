/**
 * Two app instances on one PostgreSQL, and a crash: admission is decided in the database, so
 * concurrency results hold across instances, and every acknowledged submission survives kill -9.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { storedIdempotencyKey } from '@/lib/responses/respond';
import { dropPgDatabase, freshPgDatabase } from '../helpers/db';
import { runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/pg';
import { startServer, type RunningServer } from '../helpers/server';

let url: string;
let pgName: string;
let a: RunningServer;
let b: RunningServer;
let key: string;
let schoolId: string;
let classLink: string;
let codeLink: string;
let capacity: number;

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

async function api(server: RunningServer, method: string, p: string, body?: unknown) {
  const res = await fetch(`${server.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const submit = (server: RunningServer, token: string, idempotencyKey = randomBytes(12).toString('hex')) =>
  fetch(`${server.url}/api/v1/respond/${token}`, {
    method: 'POST',
    // as the answering page's browser sends it: JSON, from this site
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ idempotencyKey, answers: { [schoolId]: PARENT } }),
  }).then(async (r) => ({ status: r.status, key: idempotencyKey, body: (await r.json()) as { error?: { code: string } } }));

beforeAll(async () => {
  await ensureBuild();
  pgName = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
  url = databaseUrl(process.env.DATABASE_URL!, pgName);
  expect((await runCli(['seed'], { DATABASE_URL: url })).code).toBe(0);
  key = (await runCli(['api-key', 'create', '--name', 'two', '--role', 'office', '--unit', '巷道学区'], { DATABASE_URL: url })).stdout.trim().split('\n').at(-1)!;
  [a, b] = await Promise.all([startServer({ DATABASE_URL: url }), startServer({ DATABASE_URL: url })]);
  const templates = (await api(a, 'GET', '/api/v1/templates')) as { templates: { id: string; name: string }[] };
  const units = (await api(a, 'GET', '/api/v1/units?kind=school')) as { units: { id: string; name: string }[] };
  schoolId = units.units.find((u) => u.name === '槐山小学')!.id;
  const rounds = (await api(a, 'GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] };
  const { id: roundId } = (await api(a, 'POST', '/api/v1/rounds', {
    title: '双实例测评',
    schoolYear: rounds.rounds[0]!.schoolYear,
    term: 1,
    units: ['槐山小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId: templates.templates.find((t) => t.name === '家长满意度问卷')!.id, raterGroup: 0, subjectMode: 'school' }],
  })) as { id: string };
  await api(b, 'POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
  const round = (await api(a, 'GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string }[] };
  await api(a, 'POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId: round.forms[0]!.id });
  await api(b, 'POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId: round.forms[0]!.id, count: 1 });
  const links = (await api(a, 'GET', `/api/v1/rounds/${roundId}/links?limit=500`)) as { links: { kind: string; token: string; capacity: number }[] };
  const cls = links.links.find((l) => l.kind === 'class')!;
  classLink = cls.token;
  capacity = cls.capacity;
  codeLink = links.links.find((l) => l.kind === 'code')!.token;
}, 600_000);

afterAll(async () => {
  await a?.stop();
  await b?.stop();
  if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
});

describe('two instances on one PostgreSQL', () => {
  it('one code submitted 100 times at once across both instances is accepted once', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => submit(i % 2 ? a : b, codeLink)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(99);
  });

  it('a class link takes exactly its capacity across both instances', async () => {
    const results = await Promise.all(Array.from({ length: capacity * 2 }, (_, i) => submit(i % 2 ? a : b, classLink)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(capacity);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error!.code === 'conflict')).toBe(true);
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    const [row] = await sql`select count(*)::int as n from responses r join rounds o on o.id = r.round_id where o.title = '双实例测评'`;
    await sql.end();
    expect(row!.n).toBe(capacity + 1);
  });
});

describe('crash', () => {
  it('every submission acknowledged before kill -9 is in the database after a restart', async () => {
    // new capacity on the class link so the load is admitted
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await sql`update links set capacity = 100000 where kind = 'class'`;
    const acknowledged: string[] = [];
    let stop = false;
    const load = (async () => {
      const workers = Array.from({ length: 8 }, async () => {
        while (!stop) {
          const r = await submit(a, classLink).catch(() => null);
          if (r?.status === 201) acknowledged.push(r.key);
        }
      });
      await Promise.all(workers);
    })();
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 20));
    a.child.kill('SIGKILL');
    stop = true;
    await load;
    a = await startServer({ DATABASE_URL: url });
    // the database keeps a hash of each key, not the key (issue 14, attack 6)
    const rows = await sql`select idempotency_key from responses where idempotency_key in ${sql(acknowledged.map(storedIdempotencyKey))}`;
    await sql.end();
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);
    expect(rows.length).toBe(acknowledged.length);
  });
});
