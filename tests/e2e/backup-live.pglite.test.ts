/**
 * A backup of the running server (embedded PGlite) under submission load, taken by the operator's
 * `pingyi backup` through the server's control socket, restored with `pingyi restore` into a fresh
 * directory: every submission acknowledged before the backup started is in the copy, and the copy
 * is consistent (its count tables agree with its raw answers, so no submission is half in it).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { openDatabase } from '@/lib/db/client';
import { storedIdempotencyKey } from '@/lib/responses/respond';
import { schoolCounts } from '@/lib/scoring/queries';
import { runCli } from '../helpers/cli';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { bearerApi, openParentRound, startServer, type RunningServer } from '../helpers/server';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-live-'));
let demo: DemoDatabase;
let env: Record<string, string | undefined>;
/** a fresh PGlite directory alone takes tens of seconds on a busy machine */
const SLOW = 600_000;
let server: RunningServer;
let key: string;
let schoolId: string;
let roundId: string;
let codes: string[];

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

const api = bearerApi(() => ({ url: server.url, key }));

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('live', { embedded: true });
  env = { ...demo.env, PINGYI_SEED: '0' };
  key = await demo.apiKey('office', '巷道学区', 'live');
  server = await startServer(env);
  let formId: string;
  ({ roundId, schoolId, formId } = await openParentRound(api, '备份压力测评'));
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId, count: 400 });
  const links = (await api('GET', `/api/v1/rounds/${roundId}/links?kind=code&limit=500`)) as { links: { kind: string; token: string }[] };
  codes = links.links.filter((l) => l.kind === 'code').map((l) => l.token);
}, 1_800_000);

afterAll(async () => {
  await server?.stop();
  await demo?.dispose();
  fs.rmSync(work, { recursive: true, force: true });
});

it('backs up the running server under load and restores every acknowledged submission', async () => {
  const acked: { key: string; at: number }[] = [];
  let stop = false;
  let next = 0;
  const worker = async () => {
    while (!stop && next < codes.length) {
      const token = codes[next++]!;
      const idempotencyKey = randomBytes(12).toString('hex');
      const res = await fetch(`${server.url}/api/v1/respond/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ idempotencyKey, answers: { [schoolId]: PARENT } }),
      });
      await res.arrayBuffer();
      // the database keeps a hash of each key, never the key itself
      if (res.ok) acked.push({ key: storedIdempotencyKey(idempotencyKey), at: Date.now() });
    }
  };
  const load = Promise.all([worker(), worker(), worker(), worker()]);
  while (acked.length < 40) await new Promise((r) => setTimeout(r, 50));

  const file = path.join(work, 'live.sql.gz');
  const startedAt = Date.now();
  const before = acked.filter((a) => a.at < startedAt).map((a) => a.key);
  const backup = await runCli(['backup', '--out', file], env, SLOW);
  const ackedDuring = acked.length - before.length;
  stop = true;
  await load;
  expect(backup.stderr).toBe('');
  expect(backup.code).toBe(0);
  expect(backup.stdout).toContain('made by the running server');
  // the load went on while the backup was made: the server was not stopped
  expect(ackedDuring).toBeGreaterThan(0);

  const restoredDir = path.join(work, 'restored');
  const restore = await runCli(['restore', file], { PINGYI_DATA_DIR: restoredDir }, SLOW);
  expect(restore.stderr).toBe('');
  expect(restore.code).toBe(0);

  const copy = await openDatabase({ kind: 'pglite', dataDir: restoredDir });
  try {
    const rows = (await copy.exec(`select idempotency_key from responses where round_id = '${roundId}'`)).map((r) => String(r.idempotency_key));
    const present = new Set(rows);
    expect(before.filter((k) => !present.has(k))).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(before.length);
    const sort = (rs: Record<string, unknown>[]) => rs.map((r) => JSON.stringify(r)).sort();
    expect(sort(await schoolCounts(copy.db, roundId, 'counts'))).toEqual(sort(await schoolCounts(copy.db, roundId, 'raw')));
  } finally {
    await copy.close();
  }

  // the operator's refusals: one line saying why, status 1, and nothing written
  const again = await runCli(['restore', file], { PINGYI_DATA_DIR: restoredDir }, SLOW);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^pingyi: The data directory .* is not empty .*nothing was restored\.\n$/);
  const damaged = path.join(work, 'damaged.sql.gz');
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(damaged, bytes.subarray(0, bytes.length - 100));
  const fresh = path.join(work, 'never');
  const refused = await runCli(['restore', damaged], { PINGYI_DATA_DIR: fresh }, SLOW);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^pingyi: .*damaged/);
  expect(fs.existsSync(fresh)).toBe(false);
}, 1_800_000);
