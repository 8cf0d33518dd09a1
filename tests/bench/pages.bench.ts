// The office pages at county scale: BENCH_CODES one-time codes (default 20,000) issued in one
// round on a production build with the demo data, then what the round page, the links API and the
// slips PDF answer, in bytes and time (medians of BENCH_RUNS, default 3):
//  - the round page (/rounds/{id}) shows one page of links (100) whatever the number of codes;
//  - the links API answers a page (limit 100 and 500);
//  - the slips PDF of the whole round streams every code: its size, time to the first byte and to
//    the last, and the time per 1,000 slips.
// The baseline of the page and API figures is the same request before the codes were issued (the
// demo round's few dozen class links): the answer grows to one full page of links and no further.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { runCli } from '../helpers/cli';
import { startServer } from '../helpers/server';
import { machine } from './harness';

const CODES = Number(process.env.BENCH_CODES ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

const line = (metric: string, value: number, unit: string, baseline: number | null = null) => {
  const r = (n: number) => Math.round(n * 10) / 10;
  console.log(JSON.stringify({ bench: 'pages', metric, value: r(value), unit, baseline: baseline === null ? null : r(baseline), ratio: baseline ? Math.round((value / baseline) * 1000) / 1000 : null, db: 'pglite', machine }));
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-pages-'));
const env = { PINGYI_DATA_DIR: path.join(tmp, 'pglite'), DATABASE_URL: undefined };
await ensureBuild();
await runCli(['seed'], env);
const server = await startServer(env);
try {
  const base = server.url;
  const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(DEMO_LOGIN) });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const call = async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${base}${p}`, { method, headers: { cookie, origin: base, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  /** bytes and milliseconds of one GET, the body read to its end; and when its first byte came */
  const fetchTimed = async (p: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}${p}`, { headers: { cookie, 'accept-encoding': 'identity' } });
    if (!res.ok) throw new Error(`GET ${p}: ${res.status}`);
    const reader = res.body!.getReader();
    let bytes = 0;
    let first = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!first) first = performance.now() - t0;
      bytes += value.byteLength;
    }
    return { bytes, ms: performance.now() - t0, firstByteMs: first };
  };
  const measure = async (p: string) => {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await fetchTimed(p));
    return { bytes: median(runs.map((r) => r.bytes)), ms: median(runs.map((r) => r.ms)), firstByteMs: median(runs.map((r) => r.firstByteMs)) };
  };

  const rounds = (await call('GET', '/api/v1/rounds?limit=100')).rounds as { id: string; status: string }[];
  const roundId = rounds.find((r) => r.status === 'open')!.id;
  const detail = (await call('GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string }[]; schools: { id: string }[] };
  const pagePath = `/rounds/${roundId}`;
  const apiPath = (limit: number) => `/api/v1/rounds/${roundId}/links?limit=${limit}`;
  const before = { page: await measure(pagePath), api100: await measure(apiPath(100)), api500: await measure(apiPath(500)) };

  // codes for the whole round, in batches of at most 2,000 per class as the API allows
  const classes = ((await call('GET', `/api/v1/classes?limit=500`)).total as number) || 1;
  const perClass = Math.max(1, Math.min(2000, Math.ceil(CODES / classes)));
  let issued = 0;
  const t0 = performance.now();
  while (issued < CODES) issued += (await call('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId: detail.forms[0]!.id, count: perClass })).issued as number;
  const issueMs = performance.now() - t0;
  line('codes_issued', issued, 'codes');
  line('issue_ms', issueMs, 'ms');

  const page = await measure(pagePath);
  line('round_page_html_bytes', page.bytes, 'bytes', before.page.bytes);
  line('round_page_ms', page.ms, 'ms', before.page.ms);
  const api100 = await measure(apiPath(100));
  line('links_api_limit100_bytes', api100.bytes, 'bytes', before.api100.bytes);
  line('links_api_limit100_ms', api100.ms, 'ms', before.api100.ms);
  const api500 = await measure(apiPath(500));
  line('links_api_limit500_bytes', api500.bytes, 'bytes', before.api500.bytes);
  line('links_api_limit500_ms', api500.ms, 'ms', before.api500.ms);

  const pdf = await fetchTimed(`/api/v1/rounds/${roundId}/slips`);
  line('slips_pdf_codes', issued, 'codes');
  line('slips_pdf_bytes', pdf.bytes, 'bytes');
  line('slips_pdf_first_byte_ms', pdf.firstByteMs, 'ms');
  line('slips_pdf_ms', pdf.ms, 'ms');
  line('slips_pdf_ms_per_1000', (pdf.ms / issued) * 1000, 'ms');
  line('slips_pdf_bytes_per_slip', pdf.bytes / issued, 'bytes');
} finally {
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
