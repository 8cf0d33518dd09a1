/**
 * kill -9 of the embedded server (PGlite on disk) under load: every submission acknowledged before
 * the kill is in the database after a restart, and the lock file the dead process left behind is
 * taken over by the new one instead of refusing to start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { openDatabase } from '@/lib/db/client';
import { storedIdempotencyKey } from '@/lib/responses/respond';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { startServer, type RunningServer } from '../helpers/server';

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

let demo: DemoDatabase;
let dataDir: string;
let server: RunningServer | undefined;

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('crash', { embedded: true });
  dataDir = (demo.target as { dataDir: string }).dataDir;
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await demo?.dispose();
});

it('every submission acknowledged before kill -9 survives, and the restart takes over the stale lock', async () => {
  const env = demo.env;
  const key = await demo.apiKey('office', '巷道学区', 'crash');
  server = await startServer(env);
  const get = async <T>(p: string) => (await (await fetch(`${server!.url}${p}`, { headers: { authorization: `Bearer ${key}` } })).json()) as T;
  const round = (await get<{ rounds: { id: string; status: string; title: string }[] }>('/api/v1/rounds')).rounds.find((r) => r.status === 'open' && r.title.includes('家长满意度'))!;
  const links = (await get<{ links: { kind: string; token: string }[] }>(`/api/v1/rounds/${round.id}/links?kind=class&limit=500`)).links.filter((l) => l.kind === 'class');
  const forms = await Promise.all(links.map(async (l) => ({ token: l.token, form: await get<{ subjects?: { key: string; type: string }[] }>(`/api/v1/respond/${l.token}`) })));
  // the demo's parent links (the school is the one subject)
  const open = forms.filter((f) => f.form.subjects?.length === 1 && f.form.subjects[0]!.type === 'unit').map((f) => ({ token: f.token, school: f.form.subjects![0]!.key }));
  expect(open.length).toBeGreaterThan(3);

  const acknowledged: string[] = [];
  const refused: string[] = [];
  const running = server;
  let stop = false;
  const workers = Array.from({ length: 6 }, async (_, w) => {
    for (let i = w; !stop; i++) {
      const link = open[i % open.length]!;
      const idempotencyKey = randomBytes(12).toString('hex');
      const res = await fetch(`${running.url}/api/v1/respond/${link.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: running.url },
        body: JSON.stringify({ idempotencyKey, answers: { [link.school]: PARENT } }),
      }).catch(() => null);
      // the database keeps a hash of each key, never the key itself
      if (res?.status === 201) acknowledged.push(storedIdempotencyKey(idempotencyKey));
      else if (res && res.status !== 409) refused.push(`${res.status} ${await res.text()}`);
    }
  });
  while (acknowledged.length < 40) {
    if (refused.length > 10) throw new Error(`submissions refused: ${refused.slice(0, 3).join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  running.child.kill('SIGKILL');
  const exit = await running.stop('SIGKILL');
  stop = true;
  await Promise.all(workers);
  const count = acknowledged.length;
  expect(exit).toBeNull();

  // the dead process's lock is still there, naming it
  const lockFile = `${path.resolve(dataDir)}.lock`;
  expect(Number(fs.readFileSync(lockFile, 'utf8'))).toBe(running.child.pid);
  server = await startServer(env);
  expect(Number(fs.readFileSync(lockFile, 'utf8'))).toBe(server.child.pid);
  expect(await server.stop()).toBe(0);
  server = undefined;

  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const list = acknowledged.slice(0, count).map((k) => `'${k}'`).join(',');
    const [row] = await handle.exec(`select count(*)::int as n, count(distinct idempotency_key)::int as keys from responses where idempotency_key in (${list})`);
    expect(row).toEqual({ n: count, keys: count });
  } finally {
    await handle.close();
  }
}, 900_000);
