// The answering page (/s/[token]) on a production build with the demo data:
//  - what it transfers (JS and CSS as sent, compressed) before and after SurveyJS has taken over the
//    form, next to the compressed size of survey-core, survey-react-ui, react and react-dom themselves
//    (the floor any SurveyJS page pays), measured in the same run with the same gzip;
//  - Lighthouse's mobile performance figures (its default profile: simulated slow 4G and 4× CPU
//    slowdown) next to the same questionnaire on a bare client-rendered SurveyJS page bundled here.
// LIGHTHOUSE_RUNS (default 3) runs per page, medians reported; CHROME_PATH (default /usr/bin/chromium).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureBuild } from '@/lib/cli/build';
import { runCli } from '../helpers/cli';
import { freePort, launchBrowser, startServer } from '../helpers/server';
import { machine } from './harness';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length;
// some packages do not export package.json: find their folder under node_modules
const pkgDir = (name: string) => path.join(process.cwd(), 'node_modules', name);
const floorFiles = [
  path.join(pkgDir('survey-core'), 'survey.core.min.js'),
  path.join(pkgDir('survey-core'), 'survey-core.min.css'),
  path.join(pkgDir('survey-react-ui'), 'survey-react-ui.min.js'),
  path.join(pkgDir('react'), 'cjs', 'react.production.js'),
  path.join(pkgDir('react'), 'cjs', 'react-jsx-runtime.production.js'),
  path.join(pkgDir('react-dom'), 'cjs', 'react-dom-client.production.js'),
  path.join(pkgDir('react-dom'), 'cjs', 'react-dom.production.js'),
];
const floor = floorFiles.reduce((s, f) => s + gz(f), 0);

const line = (metric: string, value: number, unit: string, baseline: number | null, digits = 0) => {
  const r = (n: number) => Math.round(n * 10 ** digits) / 10 ** digits;
  console.log(JSON.stringify({ bench: 'page', metric, value: r(value), unit, baseline: baseline === null ? null : r(baseline), ratio: baseline ? Math.round((value / baseline) * 1000) / 1000 : null, db: 'pglite', machine }));
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface LighthouseFigures {
  score: number;
  tti: number;
  tbt: number;
  lcp: number;
  fcp: number;
  cls: number;
}

/** One Lighthouse run (CLI from node_modules, default mobile profile, performance only). */
function lighthouseOnce(url: string): Promise<LighthouseFigures> {
  const cli = path.join(pkgDir('lighthouse'), 'cli', 'index.js');
  const args = [cli, url, '--quiet', '--output=json', '--output-path=stdout', '--only-categories=performance', '--chrome-flags=--headless --no-sandbox --disable-gpu'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, CHROME_PATH: CHROME }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`lighthouse exited with ${code}:\n${err}`));
      const lhr = JSON.parse(out) as { runtimeError?: { message: string }; categories: { performance: { score: number } }; audits: Record<string, { numericValue: number }> };
      if (lhr.runtimeError) return reject(new Error(`lighthouse: ${lhr.runtimeError.message}`));
      const audit = (id: string) => lhr.audits[id]!.numericValue;
      resolve({
        score: lhr.categories.performance.score * 100,
        tti: audit('interactive'),
        tbt: audit('total-blocking-time'),
        lcp: audit('largest-contentful-paint'),
        fcp: audit('first-contentful-paint'),
        cls: audit('cumulative-layout-shift'),
      });
    });
  });
}

async function lighthouse(url: string): Promise<LighthouseFigures> {
  const runs: LighthouseFigures[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await lighthouseOnce(url));
  const m = (k: keyof LighthouseFigures) => median(runs.map((r) => r[k]));
  return { score: m('score'), tti: m('tti'), tbt: m('tbt'), lcp: m('lcp'), fcp: m('fcp'), cls: m('cls') };
}

/**
 * The reference: the same questionnaire rendered by SurveyJS in the browser on a bare page
 * (bare-survey.tsx bundled with esbuild, minified, served gzipped from a plain Node server).
 */
async function startBarePage(definition: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const esbuild = await import('esbuild');
  const built = await esbuild.build({
    entryPoints: [path.join(import.meta.dirname, 'bare-survey.tsx')],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const json = JSON.stringify(definition).replace(/</g, '\\u003c');
  const files: Record<string, { type: string; body: Buffer }> = {
    '/': {
      type: 'text/html; charset=utf-8',
      body: Buffer.from(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>问卷</title>` +
          `<link rel="stylesheet" href="/survey-core.min.css"><script type="module" src="/survey.js"></script></head>` +
          `<body><main id="root"></main><script type="application/json" id="definition">${json}</script></body></html>`,
      ),
    },
    '/survey.js': { type: 'text/javascript', body: Buffer.from(built.outputFiles[0]!.contents) },
    '/survey-core.min.css': { type: 'text/css', body: fs.readFileSync(path.join(pkgDir('survey-core'), 'survey-core.min.css')) },
  };
  for (const f of Object.values(files)) f.body = zlib.gzipSync(f.body);
  const server = http.createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (!f) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': f.type, 'content-encoding': 'gzip', 'cache-control': req.url === '/' ? 'no-store' : 'public, max-age=31536000, immutable' }).end(f.body);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://localhost:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-page-'));
const env = { PINGYI_DATA_DIR: path.join(tmp, 'pglite'), DATABASE_URL: undefined };
await ensureBuild();
await runCli(['seed'], env);
const key = (await runCli(['api-key', 'create', '--name', 'page', '--role', 'office', '--unit', '巷道学区'], env)).stdout.trim().split('\n').at(-1)!;
const server = await startServer(env);
const browser = await launchBrowser();
let bare: Awaited<ReturnType<typeof startBarePage>> | undefined;
try {
  const api = async <T>(p: string) => (await (await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${key}` } })).json()) as T;
  const round = (await api<{ rounds: { id: string }[] }>('/api/v1/rounds')).rounds[0]!;
  const link = (await api<{ links: { url: string }[] }>(`/api/v1/rounds/${round.id}/links?kind=class`)).links[0]!;

  // transfer: first load, then after the first tap has brought in SurveyJS
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const sizes: { type: string; bytes: number; url: string }[] = [];
  page.on('requestfinished', async (req) => {
    const type = req.resourceType();
    if (type !== 'script' && type !== 'stylesheet' && type !== 'document') return;
    const s = await req.sizes();
    sizes.push({ type, bytes: s.responseBodySize, url: req.url() });
  });
  const jsCss = () => sizes.filter((s) => s.type !== 'document').reduce((a, s) => a + s.bytes, 0);
  const t0 = performance.now();
  await page.goto(link.url, { waitUntil: 'networkidle' });
  await page.waitForSelector('.sd-question');
  const visibleMs = performance.now() - t0;
  const firstLoad = jsCss();
  const html = sizes.filter((s) => s.type === 'document').reduce((a, s) => a + s.bytes, 0);
  const firstRequests = sizes.length;
  // the server-rendered first page is marked data-static; SurveyJS's own root replaces it
  const surveyJs = '.sd-root-modern:not([data-static])';
  if (!(await page.$(surveyJs))) await page.locator('.sd-question label').first().click();
  await page.waitForSelector(surveyJs);
  await page.waitForLoadState('networkidle');
  line('answer_page_js_css_bytes', jsCss(), 'bytes (as transferred, SurveyJS loaded)', floor);
  line('answer_page_first_load_js_css_bytes', firstLoad, 'bytes (as transferred, before the first tap)', floor);
  line('answer_page_html_bytes', html, 'bytes (as transferred)', null);
  line('answer_page_requests', firstRequests, 'count (first load)', null);
  line('first_question_visible_ms_local', visibleMs, 'ms (no throttling)', null);
  await page.close();

  // Lighthouse, mobile profile; the reference is the same definition on a bare SurveyJS page
  const token = new URL(link.url).pathname.split('/').at(-1)!;
  const { definition } = (await (await fetch(`${server.url}/api/v1/respond/${token}`)).json()) as { definition: unknown };
  bare = await startBarePage(definition);
  const ours = await lighthouse(link.url);
  const ref = await lighthouse(bare.url);
  const unit = `(Lighthouse ${RUNS}× median, mobile: slow 4G, 4× CPU; baseline: bare SurveyJS page)`;
  line('answer_page_lighthouse_score', ours.score, `score ${unit}`, ref.score);
  line('answer_page_tti_ms', ours.tti, `ms ${unit}`, ref.tti);
  line('answer_page_tbt_ms', ours.tbt, `ms ${unit}`, ref.tbt);
  line('answer_page_lcp_ms', ours.lcp, `ms ${unit}`, ref.lcp);
  line('answer_page_fcp_ms', ours.fcp, `ms ${unit}`, ref.fcp);
  line('answer_page_cls', ours.cls, `${unit}`, ref.cls, 3);
} finally {
  await browser.close();
  await server.stop();
  await bare?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
