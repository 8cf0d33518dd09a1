/**
 * The office frame in Chromium (Ant Design): side menu grouped by task, breadcrumbs, user menu,
 * both languages, at desktop (1280×800) and phone (390×844) widths; closing a round early asks
 * first; the answering page loads no antd at all.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loggedInContext, pagesOf } from '../helpers/office-pages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { LOCALE_COOKIE } from '@/lib/i18n/config';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-layout', { embedded: true });
  server = await startServer(demo.env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

async function loggedIn(viewport: { width: number; height: number }, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: server.url }]);
  const res = await context.request.post(`${server.url}/api/v1/session`, { data: DEMO_LOGIN, headers: { origin: server.url } });
  expect(res.status()).toBe(200);
  return context;
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the office layout', () => {
  it('desktop: the side menu groups the pages by task, the breadcrumb names the page, the user menu logs out', async () => {
    const context = await loggedIn({ width: 1280, height: 800 });
    const page = await context.newPage();
    await page.goto(`${server.url}/rounds`);
    const menu = page.getByRole('navigation', { name: '功能菜单' });
    await expect(menu.isVisible()).resolves.toBe(true);
    const groups = await menu.locator('.ant-menu-item-group-title').allTextContents();
    expect(groups).toEqual(['测评活动', '测评结果', '组织与花名册', '问卷模板', '年度考核', '效能风暴行动', '系统管理', '我的账号']);
    // the current page is the selected entry; the campaign group holds the campaigns, the complaint box and the rectification ledger
    await expect(menu.locator('.ant-menu-item-selected').textContent()).resolves.toBe('全部测评');
    await expect(menu.getByRole('link', { name: '行动总览' }).getAttribute('href')).resolves.toBe('/campaigns');
    await expect(menu.getByRole('link', { name: '效能投诉' }).getAttribute('href')).resolves.toBe('/complaints');
    await expect(menu.getByRole('link', { name: '整改台帐' }).getAttribute('href')).resolves.toBe('/ledger');
    await expect(page.getByRole('navigation', { name: '当前位置' }).textContent()).resolves.toBe('首页/测评活动');

    await menu.getByRole('link', { name: '用户管理' }).click();
    await page.waitForURL(`${server.url}/admin/users`);
    await expect(page.locator('h1').textContent()).resolves.toBe('用户管理');
    await expect(page.getByRole('navigation', { name: '当前位置' }).textContent()).resolves.toBe('首页/系统管理/用户管理');

    await page.getByRole('button', { name: /^用户菜单/ }).click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/rounds`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('in English the menu, the breadcrumb and antd itself speak English', async () => {
    const context = await loggedIn({ width: 1280, height: 800 }, 'en');
    const page = await context.newPage();
    await page.goto(`${server.url}/rounds`);
    const menu = page.getByRole('navigation', { name: 'Main menu' });
    const groups = await menu.locator('.ant-menu-item-group-title').allTextContents();
    expect(groups.slice(0, 5)).toEqual(['Rounds', 'Results', 'Organisation and rosters', 'Questionnaire templates', 'Annual assessment']);
    await expect(page.getByRole('navigation', { name: 'You are here' }).textContent()).resolves.toBe('Home/Rounds');
    await context.close();
  });

  it('phone: the menu folds away, nothing scrolls sideways, the fold button opens the menu', async () => {
    const context = await loggedIn({ width: 390, height: 844 });
    const page = await context.newPage();
    for (const p of ['/rounds', '/results', '/admin/users', '/account']) {
      await page.goto(`${server.url}${p}`);
      await expect(page.locator('h1').first().isVisible(), p).resolves.toBe(true);
      await expect(noHorizontalScroll(page), p).resolves.toBe(true);
    }
    const menu = page.getByRole('navigation', { name: '功能菜单' });
    await expect(menu.getByRole('link', { name: '全部测评' }).isVisible()).resolves.toBe(false);
    await page.locator('.ant-layout-sider-zero-width-trigger').click();
    await menu.getByRole('link', { name: '全部测评' }).click();
    await page.waitForURL(`${server.url}/rounds`);
    await expect(noHorizontalScroll(page)).resolves.toBe(true);
    await context.close();
  });

  // a principal reads progress (the rounds, a round's page) and results (the school's, a
  // teacher's); a teacher does their tasks (rounds to answer, 我的, the assessment, results): every
  // page each of them reaches, at 390×844, fits the width (the tables are cards there)
  for (const [role, login] of [['school admin', DEMO_SCHOOL_ADMIN], ['teacher', DEMO_TEACHER]] as const) {
    it(`phone: every page a ${role} reaches fits 390 px without sideways scrolling, tables as cards`, async () => {
      const context = await loggedInContext(browser, server.url, login, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const pages = await pagesOf(page, server.url);
      expect(pages).toContain('/results');
      expect(pages).toContain('/rounds');
      const wide: string[] = [];
      let cards = 0;
      for (const href of pages) {
        await page.goto(`${server.url}${href}`);
        // a round's progress polls: no network idle there, the drawn page is enough
        await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) wide.push(`${href}: ${width}px`);
        // a table row is a card: one cell under the other, each named after its column
        cards += await page.locator('.office-content table > tbody > tr > td[data-label]').count();
      }
      expect(wide, wide.join('\n')).toEqual([]);
      expect(cards).toBeGreaterThan(0);
      await context.close();
    }, 300_000);
  }

  it('the answering page loads no antd: no antd class, no antd style, no script that carries it', async () => {
    const context = await loggedIn({ width: 390, height: 844 });
    const rounds = (await (await context.request.get(`${server.url}/api/v1/rounds`)).json()) as { rounds: { id: string; status: string; title: string }[] };
    // the demo's open parent round (the 六查六看 round is open too, answered from accounts)
    const round = rounds.rounds.find((r) => r.status === 'open' && r.title.includes('家长满意度'))!;
    const links = (await (await context.request.get(`${server.url}/api/v1/rounds/${round.id}/links?kind=class`)).json()) as { links: { url: string }[] };
    const respondent = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await respondent.newPage();
    const scripts: string[] = [];
    page.on('response', async (res) => {
      if (res.request().resourceType() === 'script') scripts.push(await res.text());
    });
    await page.goto(links.links[0]!.url, { waitUntil: 'networkidle' });
    await page.waitForSelector('.sd-question');
    expect(await page.locator('[class*="ant-"]').count()).toBe(0);
    expect(await page.locator('style[data-css-hash], style[data-rc-order]').count()).toBe(0);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s.includes('ant-menu') || s.includes('ant-modal')).toBe(false);
    await respondent.close();
    await context.close();
  });
  it('closing a round early asks first: cancelling changes nothing, confirming closes it', async () => {
    const context = await loggedIn({ width: 1280, height: 800 });
    const rounds = (await (await context.request.get(`${server.url}/api/v1/rounds`)).json()) as { rounds: { id: string; status: string; title: string }[] };
    const open = rounds.rounds.find((r) => r.status === 'open' && r.title.includes('家长满意度'))!;
    expect(open).toBeDefined();
    const status = async () => ((await (await context.request.get(`${server.url}/api/v1/rounds/${open.id}`)).json()) as { status: string }).status;
    const page = await context.newPage();
    await page.goto(`${server.url}/rounds/${open.id}`);
    await page.getByRole('button', { name: '提前结束' }).click();
    const dialog = page.locator('.ant-modal-confirm');
    await expect(dialog.locator('.ant-modal-confirm-title').textContent()).resolves.toBe('提前结束本次测评？');
    await dialog.getByRole('button', { name: '取消' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await status()).toBe('open');

    await page.getByRole('button', { name: '提前结束' }).click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '确定' }).click();
    // the page refreshes without the close button (the round is closed): ask the API
    await expect.poll(status, { timeout: 30_000 }).toBe('closed');
    await page.getByRole('button', { name: '提前结束' }).waitFor({ state: 'detached' });
    await context.close();
  });
});
