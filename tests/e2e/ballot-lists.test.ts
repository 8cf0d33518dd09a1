/**
 * Saved ballot lists in the office frame (Chromium): the office saves a list of 工号 and a unit on
 * /rounds/ballot-lists, sees it with its `@list:` name, and a bad 工号 is named without saving.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-lists', { embedded: true });
  server = await startServer(demo.env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

describe('saved ballot lists', () => {
  it('the office saves a list from its page; a bad 工号 is named and nothing is saved', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    expect((await context.request.post(`${server.url}/api/v1/session`, { data: DEMO_LOGIN, headers: { origin: server.url } })).status()).toBe(200);
    const staff = (await (await context.request.get(`${server.url}/api/v1/staff?limit=2`)).json()) as { staff: { staffNo: string; name: string }[] };
    const [first, second] = staff.staff;
    const page = await context.newPage();
    await page.goto(`${server.url}/rounds`);
    await page.getByRole('navigation', { name: '功能菜单' }).getByRole('link', { name: '评议名单库' }).click();
    await page.waitForURL(`${server.url}/rounds/ballot-lists`);
    const create = page.locator('section', { has: page.getByRole('heading', { name: '新建名单' }) });

    await create.getByLabel('名称', { exact: true }).fill('错误名单');
    await create.getByLabel('名单（每行一个工号或单位名称）').fill(`${first!.staffNo}\nNO-SUCH-1`);
    await create.getByRole('button', { name: '保存' }).click();
    await expect(create.locator('.error[role=alert]').textContent()).resolves.toContain('NO-SUCH-1');
    await expect(page.locator('tr[data-list="错误名单"]').count()).resolves.toBe(0);

    await create.getByLabel('名称', { exact: true }).fill('学区领导');
    await create.getByLabel('名单（每行一个工号或单位名称）').fill(`${first!.staffNo}\n${second!.staffNo}`);
    await create.getByRole('button', { name: '保存' }).click();
    const row = page.locator('tr[data-list="学区领导"]');
    await row.waitFor();
    await expect(row.locator('code').textContent()).resolves.toBe('@list:学区领导');
    await expect(row.textContent()).resolves.toContain(`${first!.name}（${first!.staffNo}）`);
    await context.close();
  });
});
