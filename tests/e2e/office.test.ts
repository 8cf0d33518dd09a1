import http from 'node:http';
import iconv from 'iconv-lite';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { loggedInContext } from '../helpers/office-pages';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-office');
  server = await startServer(demo.env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

describe('security headers', () => {
  it('every page carries CSP, frame-ancestors, nosniff and a referrer policy; no HSTS on localhost', async () => {
    for (const p of ['/', '/login', '/api/health']) {
      const res = await fetch(`${server.url}${p}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("default-src 'self'");
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(csp, p).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), p).toBe('strict-origin-when-cross-origin');
      expect(res.headers.get('strict-transport-security'), p).toBeNull();
    }
  });

  it('sends HSTS when served under a real host name', async () => {
    // fetch() may not set Host, so ask with node:http
    const hsts = await new Promise<string | undefined>((resolve, reject) => {
      const req = http.get(`${server.url}/login`, { headers: { host: 'pingyi.example.cn' } }, (res) => {
        res.resume();
        resolve(res.headers['strict-transport-security'] as string | undefined);
      });
      req.on('error', reject);
    });
    expect(hsts).toBe('max-age=31536000; includeSubDomains');
  });
});

describe('office in the browser', () => {
  it('is sent to the login page, logs in, manages users and keys, reads the audit log, and logs out', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/login');

    // a wrong password: a clear message, still on the login page
    await page.getByLabel('用户名').fill(DEMO_LOGIN.username);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.locator('.error[role=alert]').textContent()).resolves.toContain('用户名或密码错误。');

    await page.getByLabel('密码').fill(DEMO_LOGIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.url}/admin/users`);
    const cookie = (await context.cookies()).find((c) => c.name === 'pingyi_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    await expect(page.locator('h1').textContent()).resolves.toBe('用户管理');
    await expect(page.locator('tr[data-username="xiangdao"]').count()).resolves.toBe(1);

    // create a school admin; the initial password is shown once
    const form = page.locator('form', { has: page.getByRole('button', { name: '创建' }) });
    await form.getByLabel('用户名').fill('huaishan_admin');
    await form.getByLabel('角色').selectOption('school_admin');
    await form.getByLabel('单位').fill('槐山小学');
    await form.getByRole('button', { name: '创建' }).click();
    await expect(form.locator('.secret code').textContent()).resolves.toMatch(/^[A-Za-z0-9]{14}$/);
    await page.waitForSelector('tr[data-username="huaishan_admin"]');

    // a bad unit: the field is named, nothing is created
    await form.getByLabel('用户名').fill('nobody_admin');
    await form.getByLabel('单位').fill('不存在的学校');
    await form.getByRole('button', { name: '创建' }).click();
    await expect(form.locator('.error[role=alert]').textContent()).resolves.toContain('未找到单位。');
    await expect(page.locator('tr[data-username="nobody_admin"]').count()).resolves.toBe(0);

    // an API key, shown once
    await page.goto(`${server.url}/admin/api-keys`);
    const keyForm = page.locator('form', { has: page.getByRole('button', { name: '创建' }) });
    await keyForm.getByLabel('名称').fill('报表同步');
    await keyForm.getByRole('button', { name: '创建' }).click();
    await expect(keyForm.locator('.secret code').textContent()).resolves.toMatch(/^pgy_/);

    await page.goto(`${server.url}/admin/audit?action=user.create`);
    await expect(page.locator('table tbody tr').first().textContent()).resolves.toContain('xiangdao');

    // rosters: a GBK CSV with a bad row is refused with the row named; the fixed file is checked, then imported
    await page.goto(`${server.url}/org?tab=staff`);
    const bad = iconv.encode('工号,姓名,所属单位,岗位\r\nE2E001,陈晨,槐山小学,教师\r\nE2E002,林琳,无此学校,教师\r\n', 'gbk');
    await page.setInputFiles('input[type=file]', { name: '教职工.csv', mimeType: 'text/csv', buffer: bad });
    await page.getByRole('button', { name: '检查' }).click();
    await expect(page.locator('.roster-import .error[role=alert] li').first().textContent()).resolves.toBe('教职工 第 3 行 所属单位：找不到单位：无此学校');
    const good = iconv.encode('工号,姓名,所属单位,岗位\r\nE2E001,陈晨,槐山小学,教师\r\n', 'gbk');
    await page.setInputFiles('input[type=file]', { name: '教职工.csv', mimeType: 'text/csv', buffer: good });
    await page.getByRole('button', { name: '检查' }).click();
    await page.waitForSelector('.roster-import [data-phase=checked]');
    await expect(page.locator('tr[data-staff-no="E2E001"]').count()).resolves.toBe(0);
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.waitForSelector('.roster-import [data-phase=done]');
    await expect(page.locator('[data-sheet=staff] td').nth(1).textContent()).resolves.toBe('1');
    await page.waitForSelector('tr[data-staff-no="E2E001"]');

    // templates: the built-in 民主评议表 previews at phone width; a bad edit is reported with its path; a copy is saved
    await page.goto(`${server.url}/templates`);
    await page.locator('tr[data-template="民主评议表"] a').click();
    await page.waitForSelector('[data-testid=preview] .sd-root-modern, [data-testid=preview] .sd-root');
    await expect(page.locator('[data-testid=preview]').textContent()).resolves.toContain('“五查”评价');
    expect(await page.locator('.phone-frame').evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(375);
    await page.waitForSelector('[data-testid=valid]');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{"title":"评议表副本","pages":[{"name":"p","elements":[{"type":"rating","name":"q","rateMax":5,"isRequred":true}]}]}');
    // a misspelt property is what survey-core tolerates: a warning with its path, not a refusal
    await page.locator('[data-testid=warnings] li', { hasText: 'pages[0].elements[0].isRequred' }).waitFor();
    // a form without any question cannot be run: an error
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{"title":"评议表副本","pages":[]}');
    await expect(page.locator('[data-testid=issues] li').first().textContent()).resolves.not.toBe('');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('{"title":"评议表副本","pages":[{"name":"p","elements":[{"type":"rating","name":"q","title":"请为校长评分","rateMax":5,"isRequired":true}]}]}');
    await page.waitForSelector('[data-testid=valid]');
    await expect(page.locator('[data-testid=preview]').textContent()).resolves.toContain('请为校长评分');
    const builtInPath = new URL(page.url()).pathname;
    await page.getByRole('button', { name: '另存为新模板' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/templates/') && url.pathname !== builtInPath);
    await page.goto(`${server.url}/templates`);
    await page.waitForSelector('tr[data-template="民主评议表（副本）"]');

    // a round: created as a draft, opened, one-time codes issued and printed as slips with QR codes
    await page.goto(`${server.url}/rounds/new`);
    await page.getByLabel('名称', { exact: true }).fill('浏览器创建的测评');
    const day = (d: number) => new Date(Date.now() + d * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    await page.getByLabel('开始时间').fill(day(-1));
    await page.getByLabel('截止时间').fill(day(7));
    await page.getByRole('button', { name: '创建（草稿）' }).click();
    await page.waitForURL(`${server.url}/rounds`);
    await page.locator('tr[data-round="浏览器创建的测评"] a').click();
    await page.getByRole('button', { name: '开放' }).click();
    await page.waitForSelector('text=进行中');
    const codes = page.locator('form', { has: page.getByRole('button', { name: '生成一次性编码' }) }).first();
    await codes.getByLabel('班级').selectOption({ index: 1 });
    await codes.getByLabel('每班数量').fill('2');
    await codes.getByRole('button', { name: '生成一次性编码' }).click();
    await page.waitForSelector('tr[data-kind=code]');
    await expect(page.locator('tr[data-kind=code]').count()).resolves.toBe(2);
    await expect(page.locator('[data-testid=progress]').textContent()).resolves.toContain('已回收');
    await page.getByRole('link', { name: '打印第 1 批编码条' }).click();
    // the slips page lists the batch's piles; the slips themselves are a PDF
    const pdfLink = page.getByTestId('slips-pdf');
    await expect(pdfLink.textContent()).resolves.toContain('2 张');
    const pdf = await page.request.get(`${server.url}${await pdfLink.getAttribute('href')}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

    await page.goto(`${server.url}/account`);
    await page.getByRole('button', { name: '退出登录', exact: true }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/admin/users`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
    // a long walk through a dozen pages, each bringing antd's chunks on first visit
  }, 240_000);
});

describe('links prefetch on intent, not on sight', () => {
  it('a page view asks the server for no other page; hovering a menu entry prefetches that one, and the click navigates', async () => {
    const context = await loggedInContext(browser, server.url, DEMO_LOGIN, { locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const rsc: string[] = [];
    page.on('request', (r) => {
      if (r.headers()['rsc'] === '1' || r.url().includes('_rsc=')) rsc.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.url}/rounds`);
    await page.waitForLoadState('networkidle');
    // the side menu and the rounds table hold some thirty links; none of them is fetched
    expect(await page.locator('.office-sider a[href^="/"]').count()).toBeGreaterThan(10);
    expect(rsc).toEqual([]);
    const entry = page.locator('.office-sider a[href="/templates"]');
    await entry.hover();
    await expect.poll(() => rsc.includes('/templates'), { timeout: 10_000 }).toBe(true);
    await entry.click();
    await page.waitForURL(`${server.url}/templates`);
    await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
    await context.close();
  }, 120_000);
});
