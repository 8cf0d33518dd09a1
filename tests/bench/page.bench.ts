// What the answering page (/s/[token]) transfers on first load — JS and CSS as sent (compressed) —
// next to the compressed size of survey-core, survey-react-ui, react and react-dom themselves
// (the floor any SurveyJS page pays), measured in the same run with the same gzip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { ensureBuild } from '@/lib/cli/build';
import { runCli } from '../helpers/cli';
import { launchBrowser, startServer } from '../helpers/server';
import { machine } from './harness';

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

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-page-'));
const env = { PINGYI_DATA_DIR: path.join(tmp, 'pglite'), DATABASE_URL: undefined };
await ensureBuild();
await runCli(['seed'], env);
const key = (await runCli(['api-key', 'create', '--name', 'page', '--role', 'office', '--unit', '巷道学区'], env)).stdout.trim().split('\n').at(-1)!;
const server = await startServer(env);
const browser = await launchBrowser();
try {
  const api = async <T>(p: string) => (await (await fetch(`${server.url}${p}`, { headers: { authorization: `Bearer ${key}` } })).json()) as T;
  const round = (await api<{ rounds: { id: string }[] }>('/api/v1/rounds')).rounds[0]!;
  const link = (await api<{ links: { url: string }[] }>(`/api/v1/rounds/${round.id}/links?kind=class`)).links[0]!;
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const sizes: { type: string; bytes: number; url: string }[] = [];
  page.on('requestfinished', async (req) => {
    const type = req.resourceType();
    if (type !== 'script' && type !== 'stylesheet' && type !== 'document') return;
    const s = await req.sizes();
    sizes.push({ type, bytes: s.responseBodySize, url: req.url() });
  });
  const t0 = performance.now();
  await page.goto(link.url, { waitUntil: 'networkidle' });
  await page.waitForSelector('.sd-question');
  const interactiveMs = performance.now() - t0;
  const jsCss = sizes.filter((s) => s.type !== 'document').reduce((a, s) => a + s.bytes, 0);
  const html = sizes.filter((s) => s.type === 'document').reduce((a, s) => a + s.bytes, 0);
  const line = (metric: string, value: number, unit: string, baseline: number | null) =>
    console.log(JSON.stringify({ bench: 'page', metric, value: Math.round(value), unit, baseline, ratio: baseline ? Math.round((value / baseline) * 1000) / 1000 : null, db: 'pglite', machine }));
  line('answer_page_js_css_bytes', jsCss, 'bytes (as transferred)', floor);
  line('answer_page_html_bytes', html, 'bytes (as transferred)', null);
  line('answer_page_requests', sizes.length, 'count', null);
  line('first_question_visible_ms_local', interactiveMs, 'ms (no throttling)', null);
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}
