/**
 * A read replica (DATABASE_READ_URL): a primary cluster of the test's own and a streaming replica
 * of it (pg_basebackup -R, on another port). The app writes to the primary and reads result figures
 * from the replica; to show where each answer was read, the replica's replay is paused
 * (pg_wal_replay_pause) while submissions land on the primary:
 * - results, their xlsx export and trends stay where the replica stopped (and say `replica`);
 * - progress (回收率) is exact at once (it reads the primary, and says so);
 * - after pg_wal_replay_resume the results catch up;
 * - the raw answers of a round closed while the replica lags are the whole round (read on the
 *   primary once the replica has not caught up with the seal within a few seconds).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { runCli } from '../helpers/cli';
import { startCluster, startReplica, type Cluster } from '../helpers/cluster';
import { databaseUrl } from '../helpers/pg';
import { openParentRound, startServer, type RunningServer } from '../helpers/server';
import { readXlsx } from '../helpers/xlsx';

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

let primary: Cluster;
let replica: Cluster;
let standby: postgres.Sql;
let server: RunningServer;
let key: string;
let schoolId: string;
let roundId: string;
let codes: string[];

const env = () => ({ DATABASE_URL: databaseUrl(primary.url, 'pingyi') });

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(`${server.url}${p}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return { read: res.headers.get('x-pingyi-read'), res };
}
const json = async <T>(method: string, p: string, body?: unknown) => (await (await api(method, p, body)).res.json()) as T;

async function submit(token: string) {
  const res = await fetch(`${server.url}/api/v1/respond/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ idempotencyKey: randomBytes(12).toString('hex'), answers: { [schoolId]: PARENT } }),
  });
  expect(res.status).toBe(201);
}

/** The district's respondents in the round's results, and where the answer was read. */
async function results() {
  const { read, res } = await api('GET', `/api/v1/rounds/${roundId}/results?level=district`);
  const body = (await res.json()) as { district: { respondents: number | null } };
  return { read, respondents: body.district.respondents ?? 0 };
}

async function progress() {
  const { read, res } = await api('GET', `/api/v1/rounds/${roundId}/progress`);
  return { read, received: ((await res.json()) as { received: number }).received };
}

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  const build = ensureBuild();
  primary = await startCluster({ wal_level: 'replica', max_wal_senders: 4 });
  const admin = postgres(primary.url, { max: 1, onnotice: () => {} });
  await admin`create database pingyi`;
  await admin.end();
  replica = await startReplica(primary);
  standby = postgres(databaseUrl(replica.url, 'pingyi'), { max: 1, onnotice: () => {} });
  expect((await runCli(['seed'], env(), 480_000)).code).toBe(0);
  key = (await runCli(['api-key', 'create', '--name', 'replica', '--role', 'office', '--unit', '巷道学区'], env())).stdout.trim().split('\n').at(-1)!;
  await build;
  server = await startServer({ ...env(), DATABASE_READ_URL: databaseUrl(replica.url, 'pingyi'), PINGYI_SEED: '0' });
  let formId: string;
  ({ roundId, schoolId, formId } = await openParentRound(json, '只读副本测评'));
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId, count: 20 });
  const links = await json<{ links: { kind: string; token: string }[] }>('GET', `/api/v1/rounds/${roundId}/links`);
  codes = links.links.filter((l) => l.kind === 'code').map((l) => l.token);
}, 900_000);

afterAll(async () => {
  await standby?.end({ timeout: 1 }).catch(() => {});
  await server?.stop();
  replica?.destroy();
  primary?.destroy();
});

describe('results read from a streaming replica (DATABASE_READ_URL)', () => {
  it('the replica is a hot standby streaming from the primary', async () => {
    const [row] = await standby`select pg_is_in_recovery() as recovering, (select count(*)::int from pg_stat_wal_receiver where status = 'streaming') as streaming`;
    expect(row).toEqual({ recovering: true, streaming: 1 });
  });

  it('while the replica replays, results follow the submissions, read on the replica', async () => {
    for (const code of codes.slice(0, 6)) await submit(code);
    const r = await until(results, (x) => x.respondents === 6);
    expect(r).toEqual({ read: 'replica', respondents: 6 });
  });

  it('with replay paused, submissions land on the primary: progress is exact at once, results lag until replay resumes', async () => {
    await standby`select pg_wal_replay_pause()`;
    await until(() => standby`select pg_get_wal_replay_pause_state() as s`, (rows) => rows[0]!.s === 'paused');
    for (const code of codes.slice(6, 14)) await submit(code);

    expect(await progress()).toEqual({ read: 'primary', received: 14 });
    expect(await results()).toEqual({ read: 'replica', respondents: 6 });
    // the xlsx export and the trends read the replica too
    const xlsx = await api('GET', `/api/v1/rounds/${roundId}/results/export?level=district`);
    expect(xlsx.read).toBe('replica');
    const sheet = (await readXlsx(new Uint8Array(await xlsx.res.arrayBuffer())))['学校']!;
    // the district's row, then the school's: name, type, respondents, …
    expect(sheet.find((row) => row[0] === '槐山小学')![2]).toBe('6');
    expect((await api('GET', '/api/v1/results/trends?limit=12')).read).toBe('replica');
    // the primary really has them all
    const direct = postgres(env().DATABASE_URL, { max: 1, onnotice: () => {} });
    const [row] = await direct`select count(*)::int as n from responses where round_id = ${roundId}`;
    await direct.end();
    expect(row!.n).toBe(14);

    await standby`select pg_wal_replay_resume()`;
    expect(await until(results, (x) => x.respondents === 14)).toEqual({ read: 'replica', respondents: 14 });
  });

  it('the raw answers of a round closed while the replica lags hold every response (read on the primary)', async () => {
    await standby`select pg_wal_replay_pause()`;
    await until(() => standby`select pg_get_wal_replay_pause_state() as s`, (rows) => rows[0]!.s === 'paused');
    for (const code of codes.slice(14, 18)) await submit(code);
    await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'close' });
    const started = Date.now();
    const raw = await api('GET', `/api/v1/rounds/${roundId}/results/export?kind=raw`);
    const sheets = await readXlsx(new Uint8Array(await raw.res.arrayBuffer()));
    // one row per response (one subject each) below the header, on the form's sheet
    const answers = Object.entries(sheets).find(([name]) => name !== '说明')![1];
    expect(answers.length - 1).toBe(18);
    // it waited for the replica to replay the seal, then read the primary, and says so
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_000);
    expect(raw.read).toBe('primary');
    await standby`select pg_wal_replay_resume()`;
  });
});
