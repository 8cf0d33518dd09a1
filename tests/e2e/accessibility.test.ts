/**
 * axe-core (from npm, injected into Chromium through playwright-core) on every logged-in page each
 * role reaches (tests/helpers/office-pages.ts walks the menu and one page of each kind beneath it):
 * the office, a school admin (xd_principal), a teacher (xd_teacher) and a supervisor (the demo has
 * none: the office creates one through the API), in Chinese and in English: no serious or critical
 * violation. A failure lists each rule, its impact and the elements, so it can be fixed where it is.
 * And the keyboard alone: Tab reaches the side menu, Enter follows an entry, Tab and Enter operate
 * the page's primary action.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_DISTRICT, DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { loggedInContext, pagesOf } from '../helpers/office-pages';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
const SUPERVISOR = { username: 'xd_supervisor_axe', password: 'Axe-supervisor-2026!' };

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-axe', { embedded: true });
  server = await startServer(demo.env);
  browser = await launchBrowser();
  const office = await browser.newContext();
  const login = await office.request.post(`${server.url}/api/v1/session`, { data: DEMO_LOGIN, headers: { origin: server.url } });
  expect(login.status()).toBe(200);
  const created = await office.request.post(`${server.url}/api/v1/users`, {
    data: { ...SUPERVISOR, displayName: '督学', role: 'supervisor', unit: DEMO_DISTRICT },
    headers: { origin: server.url, 'content-type': 'application/json' },
  });
  expect(created.status(), await created.text()).toBe(201);
  await office.close();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
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

const ROLES = { office: DEMO_LOGIN, school_admin: DEMO_SCHOOL_ADMIN, staff: DEMO_TEACHER, supervisor: SUPERVISOR };
// the office reaches every kind of page; the others fewer (a teacher: tasks, results, account)
const AT_LEAST = { office: 15, school_admin: 6, staff: 3, supervisor: 3 };

// the pages a role reaches do not depend on the language: walked once per role, for its two tests
// (run one after the other: at the same time they take as long, the one server renders every page)
const walks: Partial<Record<keyof typeof ROLES, Promise<string[]>>> = {};
function walk(role: keyof typeof ROLES): Promise<string[]> {
  return (walks[role] ??= (async () => {
    const context = await loggedInContext(browser, server.url, ROLES[role], { locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    try {
      return await pagesOf(await context.newPage(), server.url);
    } finally {
      await context.close();
    }
  })());
}

describe('accessibility of the logged-in pages (axe-core)', () => {
  for (const [role, login] of Object.entries(ROLES) as [keyof typeof ROLES, { username: string; password: string }][])
    for (const locale of ['zh-CN', 'en'] as const) {
      it(`${role}, ${locale}: no serious or critical violation on any page`, async ({ expect }) => {
        const pages = await walk(role);
        expect(pages.length).toBeGreaterThanOrEqual(AT_LEAST[role]);
        const context = await loggedInContext(browser, server.url, login, { locale, viewport: { width: 1280, height: 800 }, bypassCSP: true });
        const page = await context.newPage();
        const found: string[] = [];
        for (const href of pages) {
          const res = await page.goto(`${server.url}${href}`);
          expect(res!.status(), href).toBeLessThan(400);
          // a round's progress polls: no network idle there, the drawn page is enough
          await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
          for (const v of await audit(page)) found.push(`${href}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
        }
        expect(found, found.join('\n')).toEqual([]);
        await context.close();
      }, 600_000);
    }
});

describe('the keyboard alone', () => {
  it('Tab reaches the side menu, Enter follows an entry; Tab and Enter operate the primary action (a new round)', async () => {
    const context = await loggedInContext(browser, server.url, DEMO_LOGIN, { locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/results`);
    await page.waitForLoadState('networkidle');
    const focused = () => page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return { text: (el?.textContent ?? '').trim(), href: el?.getAttribute('href') ?? null, inMenu: !!el?.closest('.office-sider'), tag: el?.tagName ?? '' };
    });
    // Tab from the top of the page until the side menu's 新建测评 has the focus
    let hit = false;
    for (let i = 0; i < 60 && !hit; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      hit = f.inMenu && f.href === '/rounds/new';
    }
    expect(hit, 'Tab reaches 新建测评 in the side menu').toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/rounds/new`);
    await page.waitForLoadState('networkidle');
    // the form's primary action, by Tab alone: submitting it empty names the missing field
    let submit = false;
    for (let i = 0; i < 80 && !submit; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      submit = f.tag === 'BUTTON' && !f.inMenu && /创建|新建|提交|保存/.test(f.text);
    }
    expect(submit, 'Tab reaches the form\'s submit button').toBe(true);
    const before = page.url();
    await page.keyboard.press('Enter');
    // operated: the form answers (a field error or a new round's page), the keyboard got there
    await expect.poll(async () => page.url() !== before || (await page.locator('.ant-form-item-explain-error, [role="alert"], .error').count()) > 0, { timeout: 15_000 }).toBe(true);
    await context.close();
  }, 120_000);
});
