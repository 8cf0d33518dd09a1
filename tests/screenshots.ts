/**
 * `npm run screenshots`: every page each demo role reaches (the side menu and one page of each
 * kind beneath it, tests/helpers/office-pages.ts), at 1280×800 and 390×844, in Chinese, written to
 * .data/screenshots/pages/<role>/<width>/ (gitignored) for a reviewer to look through. Starts its
 * own server on a fresh demo database; needs a production build (`npm run build`) and Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { dbEnv, ROOT } from './helpers/cli';
import { loggedInContext, pagesOf } from './helpers/office-pages';
import { launchBrowser, startServer } from './helpers/server';

const OUT = path.join(ROOT, '.data', 'screenshots', 'pages');
const ROLES = { office: DEMO_LOGIN, school_admin: DEMO_SCHOOL_ADMIN, staff: DEMO_TEACHER };
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

const fileName = (href: string) => (href === '/' ? 'home' : href.slice(1).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, (id) => id.slice(0, 8)).replace(/[^\w\u4e00-\u9fff-]+/g, '_'));

async function main() {
  await ensureBuild();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-screenshots-'));
  const server = await startServer(dbEnv({ dataDir: path.join(tmp, 'pglite') }));
  const browser = await launchBrowser();
  let count = 0;
  try {
    for (const [role, login] of Object.entries(ROLES)) {
      const walker = await loggedInContext(browser, server.url, login, { locale: 'zh-CN', viewport: SIZES.desktop });
      const pages = await pagesOf(await walker.newPage(), server.url);
      await walker.close();
      for (const [size, viewport] of Object.entries(SIZES)) {
        const dir = path.join(OUT, role, size);
        fs.mkdirSync(dir, { recursive: true });
        const context = await loggedInContext(browser, server.url, login, { locale: 'zh-CN', viewport });
        const page = await context.newPage();
        for (const href of pages) {
          await page.goto(`${server.url}${href}`);
          // a round's progress polls: no network idle there, the drawn page is enough
          await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
          await page.screenshot({ path: path.join(dir, `${fileName(href)}.png`), fullPage: true });
          count++;
        }
        await context.close();
      }
      console.log(`${role}: ${pages.length} pages`);
    }
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${count} screenshots in ${path.relative(ROOT, OUT)}/`);
}

await main();
