/**
 * Database faults under load, on a production build and a PostgreSQL cluster of the test's own
 * (started, restarted and filled here; the shared server is never touched):
 *  - the server stops and starts again, and the app's backends are terminated: requests meanwhile
 *    get 503 with Retry-After and a clear message, the app recovers by itself, and every
 *    acknowledged submission is in the database exactly once (the load retries a 503 with the same
 *    idempotency key, as the answering page does);
 *  - its connections are exhausted by another client: the app answers quickly (a bounded queue,
 *    then 503), nothing is half-written, and it recovers when connections free up;
 *  - a lock is held on the hot row for 10 s: the lock timeout fails those requests cleanly in a few
 *    seconds, and the pool serves again once the lock is gone.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import en from '@/lib/i18n/messages/en.json';
import zh from '@/lib/i18n/messages/zh-CN.json';
import { storedIdempotencyKey } from '@/lib/responses/respond';
import { runCli } from '../helpers/cli';
import { startCluster, type Cluster } from '../helpers/cluster';
import { databaseUrl } from '../helpers/pg';
import { bearerApi, openParentRound, startServer, type RunningServer } from '../helpers/server';

const MAX_CONNECTIONS = 30;
const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: Cluster;
let url: string;
let app: RunningServer;
let sql: postgres.Sql;
let schoolId: string;
let roundId: string;
let linkId: string;
let token: string;

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  code?: string;
  message?: string;
}

async function submit(server: RunningServer, idempotencyKey: string, language = 'zh-CN'): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/respond/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, 'accept-language': language },
    body: JSON.stringify({ idempotencyKey, answers: { [schoolId]: PARENT } }),
    // a request that hangs is a failure to report (the load records it), not a test that times out
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { receipt?: string; error?: { code: string; message: string } };
  return { status: res.status, ms: performance.now() - t0, retryAfter: res.headers.get('retry-after'), code: body.error?.code, message: body.error?.message };
}

/**
 * Workers submitting one new answer after another; a 503 or a failed request is retried with the
 * same idempotency key (what the answering page does) until it is acknowledged or the load stops.
 */
function startLoad(server: RunningServer, workers = 8) {
  const acknowledged = new Set<string>();
  const answers: Answer[] = [];
  const failures: string[] = [];
  let stopping = false;
  const done = Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stopping) {
        const key = randomBytes(12).toString('hex');
        while (!stopping) {
          const a = await submit(server, key).catch((err: Error) => (failures.push(err.message), null));
          if (a) answers.push(a);
          if (a && a.status >= 200 && a.status < 300) {
            acknowledged.add(key);
            break;
          }
          if (a && a.status !== 503) {
            failures.push(`${a.status} ${a.code} ${a.message}`);
            break;
          }
          await sleep(100);
        }
      }
    }),
  );
  return {
    acknowledged,
    answers,
    failures,
    /** resolves once at least n more submissions have been acknowledged */
    grows: async (n: number, timeoutMs = 60_000) => {
      const target = acknowledged.size + n;
      const end = Date.now() + timeoutMs;
      while (acknowledged.size < target) {
        if (Date.now() > end) throw new Error(`load stalled at ${acknowledged.size} acknowledged (wanted ${target}); last answers: ${JSON.stringify(answers.slice(-5))}`);
        await sleep(50);
      }
    },
    stop: async () => {
      stopping = true;
      await done;
    },
  };
}

/** Every acknowledged key is stored exactly once, and every stored response is whole. */
async function expectExactlyOnce(keys: Set<string>) {
  // the database keeps a hash of each key (lib/responses/respond.ts), never the key itself
  const list = [...keys].map(storedIdempotencyKey);
  const rows = await sql`select idempotency_key, count(*)::int as n from responses where round_id = ${roundId} and idempotency_key in ${sql(list)} group by 1`;
  expect(rows.length).toBe(list.length);
  expect(rows.every((r) => r.n === 1)).toBe(true);
  await expectWhole();
}

/** Nothing half-written: the link's count, the responses, their facts and the counts agree. */
async function expectWhole() {
  const [r] = await sql`
    select (select used_count from links where id = ${linkId}) as used,
      (select count(*)::int from responses where round_id = ${roundId}) as responses,
      (select count(distinct response_id)::int from answer_facts where round_id = ${roundId}) as with_facts,
      (select count(distinct n)::int from (select count(*) as n from answer_facts where round_id = ${roundId} group by response_id) x) as fact_shapes,
      (select coalesce(sum(n), 0)::int from school_counts where round_id = ${roundId} and question = '' and value = 'valid') as counted`;
  expect(r!.used).toBe(r!.responses);
  expect(r!.with_facts).toBe(r!.responses);
  expect(r!.fact_shapes).toBeLessThanOrEqual(1);
  expect(r!.counted).toBe(r!.responses);
}

const appEnv = (extra: Record<string, string> = {}) => ({ DATABASE_URL: url, PINGYI_SEED: '0', PINGYI_DB_POOL_MAX: '5', ...extra });

beforeAll(async () => {
  const build = ensureBuild();
  cluster = await startCluster({ max_connections: MAX_CONNECTIONS, superuser_reserved_connections: 0 });
  url = databaseUrl(cluster.url, 'pingyi');
  const admin = postgres(cluster.url, { max: 1, onnotice: () => {} });
  await admin`create database pingyi`;
  await admin.end();
  expect((await runCli(['seed'], { DATABASE_URL: url })).code).toBe(0);
  const key = (await runCli(['api-key', 'create', '--name', 'faults', '--role', 'office', '--unit', '巷道学区'], { DATABASE_URL: url })).stdout.trim().split('\n').at(-1)!;
  await build;
  app = await startServer(appEnv());
  const api = bearerApi(() => ({ url: app.url, key }));
  let formId: string;
  ({ roundId, schoolId, formId } = await openParentRound(api, '故障测评'));
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId });
  const links = (await api('GET', `/api/v1/rounds/${roundId}/links?kind=class`)) as { links: { id: string; kind: string; token: string }[] };
  const link = links.links.find((l) => l.kind === 'class')!;
  [linkId, token] = [link.id, link.token];
  sql = postgres(url, { max: 2, onnotice: () => {} });
  await sql`update links set capacity = 1000000 where id = ${linkId}`;
}, 600_000);

afterAll(async () => {
  await app?.stop();
  await sql?.end({ timeout: 1 }).catch(() => {});
  cluster?.destroy();
});

describe('PostgreSQL goes away under load', () => {
  it('stopped and started: 503 with Retry-After and a clear message meanwhile, recovery without a restart, every acknowledged submission once', async () => {
    const load = startLoad(app);
    await load.grows(20);
    await sql.end({ timeout: 1 });
    cluster.stop();
    const zhAnswer = await submit(app, randomBytes(12).toString('hex'), 'zh-CN');
    const enAnswer = await submit(app, randomBytes(12).toString('hex'), 'en');
    await sleep(1500);
    cluster.start();
    await load.grows(20);
    await load.stop();
    sql = postgres(url, { max: 2, onnotice: () => {} });

    for (const [a, catalogue] of [
      [zhAnswer, zh],
      [enAnswer, en],
    ] as const) {
      expect(a.status).toBe(503);
      expect(a.code).toBe('unavailable');
      expect(a.message).toBe(catalogue.errors.unavailable);
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(a.ms).toBeLessThan(7000);
    }
    expect(zhAnswer.message).toContain('重试');
    expect(load.failures).toEqual([]);
    const unavailable = load.answers.filter((a) => a.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.every((a) => a.code === 'unavailable' && Number(a.retryAfter) > 0)).toBe(true);
    await expectExactlyOnce(load.acknowledged);
  }, 300_000);

  it("the app's backends terminated (pg_terminate_backend) under load: 503 or success only, recovery, every acknowledged submission once", async () => {
    const load = startLoad(app);
    await load.grows(10);
    let terminated = 0;
    for (let i = 0; i < 5; i++) {
      const rows = await sql`select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = 'pingyi' and pid <> pg_backend_pid()`;
      terminated += rows.filter((r) => r.ok).length;
      await load.grows(3);
    }
    await load.grows(10);
    await load.stop();
    expect(terminated).toBeGreaterThan(0);
    expect(load.failures).toEqual([]);
    expect(load.answers.every((a) => (a.status >= 200 && a.status < 300) || (a.status === 503 && Number(a.retryAfter) > 0))).toBe(true);
    await expectExactlyOnce(load.acknowledged);
  }, 300_000);
});

describe('PostgreSQL is full or slow', () => {
  let busy: RunningServer;
  beforeAll(async () => {
    busy = await startServer(appEnv({ PINGYI_DB_POOL_MAX: '10', PINGYI_DB_QUEUE_MAX: '5', PINGYI_DB_LOCK_TIMEOUT_MS: '2000' }));
    // warm: the route's code is loaded on its first request
    expect((await submit(busy, randomBytes(12).toString('hex'))).status).toBe(201);
  }, 300_000);
  afterAll(async () => {
    await busy?.stop();
  });

  it('another client holds all but two connections: the app answers 503 quickly instead of hanging, nothing is half-written, and it recovers once they are free', async () => {
    // the app's pooled connections are cut, so it has to connect again into a full server
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'pingyi'`;
    await sleep(200);
    const [{ n }] = (await sql`select count(*)::int as n from pg_stat_activity where backend_type = 'client backend'`) as unknown as [{ n: number }];
    const hold = MAX_CONNECTIONS - n - 2;
    const hog = postgres(url, { max: hold, idle_timeout: 0, onnotice: () => {} });
    await Promise.all(Array.from({ length: hold }, () => hog`select pg_sleep(0.2)`));
    try {
      const t0 = performance.now();
      const answers = await Promise.all(Array.from({ length: 40 }, () => submit(busy, randomBytes(12).toString('hex'))));
      const wall = performance.now() - t0;
      expect(answers.every((a) => a.status === 201 || (a.status === 503 && a.code === 'unavailable' && Number(a.retryAfter) > 0))).toBe(true);
      expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      // connect_timeout is 5 s: a full server refuses at once, so nothing waits that long
      expect(wall).toBeLessThan(15_000);
      await expectWhole();
    } finally {
      await hog.end({ timeout: 1 });
    }
    const after = await Promise.all(Array.from({ length: 10 }, () => submit(busy, randomBytes(12).toString('hex'))));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(201));
    await expectWhole();
  }, 300_000);

  it('a lock held on the hot row for 10 s: requests fail cleanly with 503 after the lock timeout, those beyond the bounded queue at once, and the pool serves again', async () => {
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    let answered!: () => void;
    const allAnswered = new Promise<void>((r) => (answered = r));
    // held 10 s, and in any case until every request has been answered (a loaded machine may be slow)
    const holder = sql.begin(async (tx) => {
      await tx`select 1 from links where id = ${linkId} for update`;
      locked();
      await Promise.all([sleep(10_000), allAnswered]);
    });
    await isLocked;
    const answers = await Promise.all(Array.from({ length: 40 }, () => submit(busy, randomBytes(12).toString('hex'))));
    answered();
    await holder;
    expect(answers.map((a) => a.status)).toEqual(Array(40).fill(503));
    expect(answers.every((a) => a.code === 'unavailable' && Number(a.retryAfter) > 0)).toBe(true);
    // the pool (10) and its queue (5) admit 15: the rest are refused at once, some of them before
    // any lock timeout (PINGYI_DB_LOCK_TIMEOUT_MS=2000) could have fired (how many depends on the
    // machine's load: 9 of 25 at a load average of 32 on 2 cores)
    expect(answers.filter((a) => a.ms < 2000).length).toBeGreaterThanOrEqual(1);
    const after = await Promise.all(Array.from({ length: 10 }, () => submit(busy, randomBytes(12).toString('hex'))));
    expect(after.map((a) => a.status)).toEqual(Array(10).fill(201));
    await expectWhole();
  }, 300_000);
});
