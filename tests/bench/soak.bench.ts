// Soak: SOAK_MINUTES (default 20) of mixed traffic against a production build on PostgreSQL (the
// demo district in a database of its own on DATABASE_URL's server): parents opening the answering
// page and submitting with one-time codes, the office reading dashboards and results, progress,
// and downloading xlsx exports, and issuing more codes as they run out. SOAK_CLIENTS (default 8)
// clients each wait SOAK_THINK_MS (default 100) between requests. Every SOAK_INTERVAL_S (default
// 60) it prints the server's resident memory and the p99 latency of that interval; at the end the
// growth of both after the warm-up (the first interval) and the error count. Target: growth within
// 10%, no errors, and every acknowledged submission in the database once. On a server with
// autovacuum off (a CI machine's setting, never production's) the bench runs its default pass itself.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { hashPassword } from '@/lib/auth/secrets';
import { ensureBuild } from '@/lib/cli/build';
import { rawQuery } from '@/lib/db/client';
import { units, users } from '@/lib/db/schema';
import { runCli } from '../helpers/cli';
import { startServer, type RunningServer } from '../helpers/server';
import { autovacuumOn, autovacuumPass, benchDatabase, report } from './harness';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 20);
const INTERVAL_S = Number(process.env.SOAK_INTERVAL_S ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 8);
const THINK_MS = Number(process.env.SOAK_THINK_MS ?? 100);
/** codes issued per class at each refill (the smoke run issues few, so it refills too) */
const CODES_PER_CLASS = Number(process.env.SOAK_CODES_PER_CLASS ?? 20);
const PASSWORD = 'bench-soak-password';
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

const p99 = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]! : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resident memory of the server process, from /proc. */
function rssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

const handle = await benchDatabase();
let app: RunningServer | null = null;
try {
  const url = handle.url!;
  const seeded = await runCli(['seed'], { DATABASE_URL: url }, 600_000);
  if (seeded.code !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  const [district] = await handle.db.select({ id: units.id }).from(units).where(eq(units.kind, 'district'));
  await handle.db.insert(users).values({ username: 'soak_office', displayName: '压力测试办公室', passwordHash: await hashPassword(PASSWORD), role: 'office', unitId: district!.id });
  await ensureBuild();
  app = await startServer({ DATABASE_URL: url, PINGYI_SEED: '0' });
  const base = app.url;
  const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username: 'soak_office', password: PASSWORD }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const office = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { cookie, origin: base, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return (await res.json()) as T;
  };
  const { rounds } = await office<{ rounds: { id: string; status: string }[] }>('GET', '/api/v1/rounds?status=open');
  const roundId = rounds[0]!.id;
  const round = await office<{ forms: { id: string }[] }>('GET', `/api/v1/rounds/${roundId}`);
  const schools = new Map((await office<{ units: { id: string; name: string }[] }>('GET', '/api/v1/units?kind=school')).units.map((u) => [u.name, u.id]));

  // one-time codes, issued in batches as the parents use them up
  const fresh: { token: string; schoolId: string }[] = [];
  const issued = new Set<string>();
  let refilling: Promise<void> | null = null;
  // only the new batch is listed, so the cost of a refill does not grow with the codes issued so far
  type Listed = { links: { token: string; schoolName: string; batch: number }[] };
  let batch = Math.max(0, ...(await office<Listed>('GET', `/api/v1/rounds/${roundId}/links?kind=code`)).links.map((l) => l.batch));
  const refill = async () => {
    await office('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId: round.forms[0]!.id, count: CODES_PER_CLASS });
    const { links } = await office<Listed>('GET', `/api/v1/rounds/${roundId}/links?kind=code&batch=${++batch}`);
    for (const l of links) {
      if (issued.has(l.token)) continue;
      issued.add(l.token);
      fresh.push({ token: l.token, schoolId: schools.get(l.schoolName)! });
    }
  };
  await refill();
  const responseRows = async (id: string) => (await rawQuery<{ n: number }>(handle.db, `select count(*)::int as n from responses where round_id = $1::uuid`, [id]))[0]!.n;
  const before = await responseRows(roundId);

  // this interval's latencies per kind of request (method and path with ids and tokens left out), so a p99 that grows names its request
  let byKind = new Map<string, number[]>();
  const kindOf = (path: string, init?: RequestInit) =>
    `${init?.method ?? 'GET'} ${path.replace(/\/(s|respond)\/[^/?]+/, '/$1/{token}').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`;
  let requests = 0;
  let errors = 0;
  let acknowledged = 0;
  const errorSamples: string[] = [];
  const timedFetch = async (path: string, init?: RequestInit, ok = 200) => {
    const t0 = performance.now();
    try {
      const res = await fetch(`${base}${path}`, init);
      await res.arrayBuffer();
      const ms = performance.now() - t0;
      const kind = kindOf(path, init);
      const list = byKind.get(kind) ?? [];
      if (!list.length) byKind.set(kind, list);
      list.push(ms);
      requests++;
      if (res.status !== ok) {
        errors++;
        if (errorSamples.length < 5) errorSamples.push(`${path}: ${res.status}`);
      }
      return res.status === ok;
    } catch (err) {
      requests++;
      errors++;
      if (errorSamples.length < 5) errorSamples.push(`${path}: ${(err as Error).message}`);
      return false;
    }
  };

  const respondent = async () => {
    if (fresh.length < 50) refilling ??= refill().finally(() => (refilling = null));
    const code = fresh.shift() ?? (await refilling, fresh.shift());
    if (!code) return;
    await timedFetch(`/s/${code.token}`);
    await timedFetch(`/api/v1/respond/${code.token}`);
    const body = JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [code.schoolId]: PARENT } });
    if (await timedFetch(`/api/v1/respond/${code.token}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body }, 201)) acknowledged++;
  };
  const schoolIds = [...schools.values()];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const asOffice = { headers: { cookie } };
  const officeOps = [
    () => timedFetch('/results', asOffice),
    () => timedFetch(`/results/${roundId}`, asOffice),
    () => timedFetch(`/results/${roundId}/schools/${pick(schoolIds)}`, asOffice),
    () => timedFetch(`/api/v1/rounds/${roundId}/results?level=school&schoolId=${pick(schoolIds)}`, asOffice),
    () => timedFetch(`/api/v1/rounds/${roundId}/progress`, asOffice),
    () => timedFetch(`/api/v1/rounds/${roundId}/results/export?level=district`, asOffice),
    () => timedFetch('/', asOffice),
  ];

  // one of each request before the clock starts (route compilation, caches, the pool), not measured
  await respondent();
  for (const op of officeOps) await op();
  byKind = new Map();
  requests = 0;

  // a production server runs autovacuum; where this one does not, the bench does its work in its
  // place, once before the clock starts (as it would have after the seed) and then every
  // autovacuum_naptime (60 s by default), at autovacuum's default thresholds
  const autovacuum = await autovacuumOn(handle);
  let standInPasses = 0;
  const standIn: string[] = [];
  const standInPass = async () => {
    const pass = await autovacuumPass(handle);
    standInPasses++;
    for (const name of pass.vacuumed) if (!standIn.includes(name)) standIn.push(name);
  };
  if (!autovacuum) await standInPass();

  const started = performance.now();
  const count = Math.max(1, Math.round((MINUTES * 60) / INTERVAL_S));
  const end = started + count * INTERVAL_S * 1000;
  const clients = Array.from({ length: CLIENTS }, async (_, i) => {
    // three of every four clients are parents, the rest the office
    while (performance.now() < end) {
      if (i % 4 === 3) await pick(officeOps)();
      else await respondent();
      await sleep(THINK_MS);
    }
  });

  const intervals: { rss: number; p99: number; kinds: Map<string, number> }[] = [];
  const sampler = (async () => {
    for (let n = 1; n <= count; n++) {
      await sleep(Math.max(0, started + n * INTERVAL_S * 1000 - performance.now()));
      const rss = rssMb(app!.child.pid!);
      const tail = p99([...byKind.values()].flat());
      const kinds = new Map([...byKind].map(([k, xs]) => [k, p99(xs)]));
      intervals.push({ rss, p99: tail, kinds });
      const extra = { interval: n, at_s: Math.round((performance.now() - started) / 1000), requests, errors };
      // the baseline of every interval is the first (the warm-up)
      report('soak', 'postgres', 'server_rss_mb', rss, 'MB', intervals[0]!.rss, extra);
      const slowest = Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => [k, Math.round(v)]));
      report('soak', 'postgres', 'latency_p99_ms', tail, 'ms', intervals[0]!.p99 || null, { ...extra, slowest });
      byKind = new Map();
    }
  })();
  const vacuumer = (async () => {
    if (autovacuum) return;
    for (let n = 1; started + n * 60_000 < end; n++) {
      await sleep(Math.max(0, started + n * 60_000 - performance.now()));
      await standInPass();
    }
  })();
  await Promise.all([...clients, sampler, vacuumer]);
  // a refill a client started near the end is still running: let it finish before the server stops
  await refilling;

  const after = await responseRows(roundId);
  // warm-up: the first interval (JIT, caches, the pool filling); growth is the last against it
  const warm = intervals[0]!;
  const last = intervals.at(-1)!;
  const steady = intervals.slice(1);
  const peakRss = Math.max(...(steady.length ? steady : [warm]).map((x) => x.rss));
  report('soak', 'postgres', 'minutes', MINUTES, 'min', null);
  report('soak', 'postgres', 'server_autovacuum', autovacuum ? 1 : 0, 'on', null, autovacuum ? undefined : { standIn: `off on this server: the bench ran autovacuum's default pass ${standInPasses} times in its place`, vacuumed: standIn });
  report('soak', 'postgres', 'requests', requests, 'requests', null);
  report('soak', 'postgres', 'submissions', acknowledged, 'responses', null, { codeBatches: batch });
  report('soak', 'postgres', 'errors', errors, 'requests', null, errorSamples.length ? { samples: errorSamples } : undefined);
  report('soak', 'postgres', 'rss_growth_after_warmup_pct', ((peakRss - warm.rss) / warm.rss) * 100, '%', 10);
  report('soak', 'postgres', 'p99_growth_after_warmup_pct', warm.p99 ? ((last.p99 - warm.p99) / warm.p99) * 100 : 0, '%', 10);
  report('soak', 'postgres', 'rows_minus_acknowledged', after - before - acknowledged, 'rows', null);
  // each kind of request: its p99 in the last interval against the first
  for (const [kind, first] of warm.kinds) report('soak', 'postgres', 'request_p99_ms', last.kinds.get(kind) ?? 0, 'ms', first, { request: kind });
} finally {
  await app?.stop();
  await handle.close();
}
