/**
 * Issue 14, attack 11: uploads that exhaust memory. A chunked multipart body (no Content-Length)
 * used to be read whole, and an xlsx whose sheet inflates to gigabytes was unpacked in memory
 * before any row was counted. Performed through the route handlers, then against the running
 * server: a real 2 GB zip bomb and a real chunked 200 MB body, after which the server is alive,
 * its memory reasonable, and a parent's answer is accepted.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '@/lib/api/endpoints';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import { prepareDatabase } from '@/lib/db/setup';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { freshDatabase } from '../helpers/db';
import { scopeFixtures } from '../helpers/fixtures';
import { routeHandler } from '../helpers/routes';
import { startServer, type RunningServer } from '../helpers/server';
import { manyRowsXlsx, zipBombXlsx } from '../helpers/zip-bomb';

const GB2 = 2 * 1024 ** 3 - 1;
const MB = 1024 * 1024;

/** A multipart body of `total` bytes made on the fly, counting what the reader actually pulled. */
function endlessMultipart(total: number) {
  const boundary = 'pingyi-bomb';
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.csv"\r\ncontent-type: text/csv\r\n\r\n`);
  const chunk = Buffer.alloc(64 * 1024, 'a');
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      const piece = sent === 0 ? head : chunk;
      sent += piece.length;
      controller.enqueue(new Uint8Array(piece));
    },
  });
  return { stream, boundary, pulled: () => sent };
}

describe('attack 11 through the route handlers', () => {
  let handle: DbHandle;
  let fx: Awaited<ReturnType<typeof scopeFixtures>>;
  let importRoster: (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

  beforeAll(async () => {
    handle = await freshDatabase();
    await prepareDatabase(handle, { seed: true });
    setAppDatabase(handle);
    fx = await scopeFixtures(handle.db);
    importRoster = await routeHandler(ENDPOINTS.find((e) => e.path === '/api/v1/roster/import')!);
  });
  afterAll(() => handle.close());

  const upload = async (name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.set('file', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
    const res = await importRoster(new Request('http://localhost/api/v1/roster/import?dryRun=true', { method: 'POST', body: form, headers: { authorization: `Bearer ${fx.keys.office}` } }), { params: Promise.resolve({}) });
    return { status: res.status, body: (await res.json()) as { error: { code: string; issues?: { code: string }[] } } };
  };

  it('a chunked body with no length is cut off at the limit, not read whole', async () => {
    const body = endlessMultipart(200 * MB);
    const res = await importRoster(
      new Request('http://localhost/api/v1/roster/import', {
        method: 'POST',
        body: body.stream,
        duplex: 'half',
        headers: { authorization: `Bearer ${fx.keys.office}`, 'content-type': `multipart/form-data; boundary=${body.boundary}` },
      } as RequestInit),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(413);
    // the handler stopped pulling just past 20 MB (+ the envelope allowance and one chunk)
    expect(body.pulled()).toBeLessThan(21 * MB);
  });

  it('a 2 GB zip bomb is refused while inflating, before exceljs sees it', async () => {
    const bomb = await zipBombXlsx(GB2);
    expect(bomb.length).toBeLessThan(3 * MB);
    const rss = process.memoryUsage().rss;
    const res = await upload('roster.xlsx', bomb);
    expect(res.status).toBe(400);
    expect(res.body.error.issues?.map((i) => i.code)).toEqual(['inflated_too_large']);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * MB);
    // the same bomb declaring a small size in its headers is caught by the size it really inflates to
    const liar = await upload('roster.xlsx', await zipBombXlsx(GB2, { declaredSize: 4096 }));
    expect(liar.body.error.issues?.map((i) => i.code)).toEqual(['not_spreadsheet']);
  });

  it('a sheet of 150,000 empty rows is refused by counting rows while inflating', async () => {
    const res = await upload('roster.xlsx', await manyRowsXlsx(150_000));
    expect(res.status).toBe(400);
    expect(res.body.error.issues?.map((i) => i.code)).toEqual(['too_many_rows']);
  });
});

/** VmRSS of a process in MB (Linux). */
function rssOf(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

describe('attack 11 against the running server', () => {
  let server: RunningServer;
  let dir: string;
  let cookie: string;
  let peak = 0;
  let sampler: NodeJS.Timeout;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-uploads-'));
    server = await startServer({ PINGYI_DATA_DIR: path.join(dir, 'db') });
    sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssOf(server.child.pid!));
      } catch {
        // the process is gone: the assertions below say so
      }
    }, 50);
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: DEMO_LOGIN.username, password: DEMO_LOGIN.password }),
    });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  }, 600_000);

  afterAll(async () => {
    clearInterval(sampler);
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('survives a chunked 200 MB upload and a 2 GB zip bomb, then accepts an answer', { timeout: 300_000 }, async () => {
    const before = rssOf(server.child.pid!);

    // 1. a real chunked body of 200 MB (Transfer-Encoding: chunked, no Content-Length)
    const url = new URL('/api/v1/roster/import', server.url);
    const chunked = await new Promise<{ status: number; sentMB: number }>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: { cookie, origin: server.url, 'content-type': 'multipart/form-data; boundary=pingyi-bomb', 'transfer-encoding': 'chunked' },
      });
      let sent = 0;
      let answered: number | null = null;
      const chunk = Buffer.alloc(256 * 1024, 'a');
      req.on('response', (res) => {
        answered = res.statusCode!;
        res.resume();
        res.on('end', () => resolve({ status: answered!, sentMB: Math.round(sent / MB) }));
      });
      // the server answers 413 and closes while we are still writing: the write side may fail (EPIPE,
      // ECONNRESET) before the answer is parsed, so an error only counts if no answer follows
      req.on('error', (e) => {
        if (answered) return resolve({ status: answered, sentMB: Math.round(sent / MB) });
        setTimeout(() => (answered ? resolve({ status: answered, sentMB: Math.round(sent / MB) }) : reject(e)), 5_000);
      });
      req.write('--pingyi-bomb\r\ncontent-disposition: form-data; name="file"; filename="big.csv"\r\n\r\n');
      const pump = () => {
        while (sent < 200 * MB && answered === null) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(chunked.status).toBe(413);

    // 2. a real zip bomb: 2 MB on the wire, 2 GB inflated
    const form = new FormData();
    form.set('file', new Blob([(await zipBombXlsx(GB2)) as Uint8Array<ArrayBuffer>]), 'roster.xlsx');
    const bomb = await fetch(`${server.url}/api/v1/roster/import?dryRun=true`, { method: 'POST', body: form, headers: { cookie, origin: server.url } });
    expect(bomb.status).toBe(400);
    expect(((await bomb.json()) as { error: { issues: { code: string }[] } }).error.issues.map((i) => i.code)).toEqual(['inflated_too_large']);

    // 3. the server is alive and a parent's answer is accepted
    expect(server.child.exitCode).toBeNull();
    const rounds = (await (await fetch(`${server.url}/api/v1/rounds?status=open`, { headers: { cookie } })).json()) as { rounds: { id: string; title: string }[] };
    const parentRound = rounds.rounds.find((r) => r.title.includes('家长满意度'))!;
    const links = (await (await fetch(`${server.url}/api/v1/rounds/${parentRound.id}/links?kind=class`, { headers: { cookie } })).json()) as {
      links: { token: string; capacity: number; usedCount: number }[];
    };
    const link = links.links.find((l) => l.usedCount < l.capacity)!;
    const formInfo = (await (await fetch(`${server.url}/api/v1/respond/${link.token}`)).json()) as { subjects: { key: string }[] };
    const answer = await fetch(`${server.url}/api/v1/respond/${link.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ idempotencyKey: `uploads-${Date.now()}`, answers: { [formInfo.subjects[0]!.key]: PARENT } }),
    });
    expect(answer.status).toBe(201);
    const after = rssOf(server.child.pid!);
    console.log(`server RSS: ${before} MB before, ${peak} MB peak, ${after} MB after; chunked upload cut off after ${chunked.sentMB} MB sent`);
    expect(peak).toBeLessThan(before + 250);
    expect(after).toBeLessThan(before + 150);
  });

  it('pages keep the must-change-password rule too: a reset account is sent to /account', { timeout: 120_000 }, async () => {
    const created = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, cookie },
      body: JSON.stringify({ username: 'fresh_teacher', role: 'staff', unit: '巷道中心小学' }),
    });
    expect(created.status).toBe(201);
    const { password } = (await created.json()) as { password: string };
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'fresh_teacher', password }),
    });
    const fresh = login.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`${server.url}/results`, { headers: { cookie: fresh }, redirect: 'manual' });
    expect([307, 303, 302]).toContain(page.status);
    expect(page.headers.get('location')).toMatch(/\/account$/);
    expect((await fetch(`${server.url}/api/v1/rounds`, { headers: { cookie: fresh } })).status).toBe(403);
  });
});

const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};
