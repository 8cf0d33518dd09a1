import { chromium } from 'playwright-core';
import fs from 'node:fs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage({ viewport: { width: 900, height: 1250 } });
await page.route('http://x/**', (route) => {
  const u = new URL(route.request().url());
  const map = { '/pdf.mjs': 'node_modules/pdfjs-dist/build/pdf.mjs', '/pdf.worker.mjs': 'node_modules/pdfjs-dist/build/pdf.worker.mjs', '/doc.pdf': '/tmp/slips.pdf' };
  if (u.pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<canvas id=c></canvas>' });
  route.fulfill({ contentType: u.pathname.endsWith('pdf') ? 'application/pdf' : 'text/javascript', body: fs.readFileSync(map[u.pathname]) });
});
await page.goto('http://x/');
await page.evaluate(async () => {
  const pdfjs = await import('/pdf.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';
  const pdf = await pdfjs.getDocument('/doc.pdf').promise;
  const p = await pdf.getPage(Number(new URLSearchParams(location.search).get('p') || 1));
  const vp = p.getViewport({ scale: 1.5 });
  const c = document.getElementById('c'); c.width = vp.width; c.height = vp.height;
  await p.render({ canvasContext: c.getContext('2d'), viewport: vp, canvas: c }).promise;
});
await page.locator('#c').screenshot({ path: '/tmp/slips.png' });
await browser.close();
