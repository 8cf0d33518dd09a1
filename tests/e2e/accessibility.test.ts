/**
 * axe-core (from npm, injected into Chromium through playwright-core) on every office page the
 * office role reaches (tests/helpers/office-pages.ts walks the menu and one page of each kind
 * beneath it), in Chinese and in English: no serious or critical violation. A failure lists each
 * rule, its impact and the elements, so it can be fixed where it is.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { dbEnv } from '../helpers/cli';
import { loggedInContext, pagesOf } from '../helpers/office-pages';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: RunningServer;
let browser: Browser;
let tmp: string;

beforeAll(async () => {
  await ensureBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-e2e-axe-'));
  server = await startServer(dbEnv({ dataDir: path.join(tmp, 'pglite') }));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function audit(page: Page): Promise<Violation[]> {
  // the pages' CSP allows no inline script: the context bypasses it for axe's own script only
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('accessibility of the office pages (axe-core)', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`office role, ${locale}: no serious or critical violation on any page`, async () => {
      const context = await loggedInContext(browser, server.url, DEMO_LOGIN, { locale, viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      const pages = await pagesOf(page, server.url);
      // the menu alone has a dozen entries; with one page of each kind beneath them, more
      expect(pages.length).toBeGreaterThanOrEqual(15);
      const found: string[] = [];
      for (const href of pages) {
        const res = await page.goto(`${server.url}${href}`);
        expect(res!.status(), href).toBeLessThan(400);
        // 'load', not 'networkidle': the menu's links are prefetched, and on a busy machine that
        // traffic alone can outlast any idle window; the page itself (server-rendered with its
        // styles) is complete at 'load'
        await page.waitForLoadState('load');
        for (const v of await audit(page)) found.push(`${href}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      }
      expect(found, found.join('\n')).toEqual([]);
      await context.close();
    }, 600_000);
  }
});
