/**
 * 效能问责 and the working-day calendar in Chromium against the production server with the demo
 * district: the office records a 降低考核等次 for the demo teacher from the /accountability form;
 * the teacher sees it in /me; the school admin (the teacher's own principal) can open neither the
 * page nor the record; a complaint's "记录问责" opens the form linked to it; the office pastes the
 * 国庆 lines on /admin/calendar and removes a day.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { LOCALE_COOKIE } from '@/lib/i18n/config';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
const REASON = '端到端测试：上课时间多次离岗，经核查属实';

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-accountability', { embedded: true });
  server = await startServer(demo.env);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

async function as(login: { username: string; password: string }): Promise<{ context: BrowserContext; name: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: LOCALE_COOKIE, value: 'zh-CN', url: server.url }]);
  const res = await context.request.post(`${server.url}/api/v1/session`, { data: login, headers: { origin: server.url } });
  expect(res.status()).toBe(200);
  return { context, name: ((await res.json()) as { user: { displayName: string } }).user.displayName };
}

describe('效能问责 pages', () => {
  it('the office records a measure; the teacher reads it in /me; their principal cannot', async () => {
    const teacher = await as(DEMO_TEACHER);
    const office = await as(DEMO_LOGIN);
    const page = await office.context.newPage();
    await page.goto(`${server.url}/accountability`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('效能问责');
    // the teacher's 工号, from the office's user list
    const users = (await (await office.context.request.get(`${server.url}/api/v1/users?q=${DEMO_TEACHER.username}`)).json()) as { users: { username: string; staffNo: string | null }[] };
    const staffNo = users.users.find((u) => u.username === DEMO_TEACHER.username)!.staffNo!;
    const staffId = await page.evaluate((no) => [...document.querySelectorAll<HTMLOptionElement>('select[name=staffId] option')].find((o) => o.text.endsWith(`（${no}）`))?.value, staffNo);
    expect(staffId).toBeTruthy();
    await page.selectOption('#create select[name=staffId]', staffId!);
    await page.selectOption('#create select[name=typeId]', { label: '降低考核等次 · 年度考核最高 合格' });
    await page.fill('textarea[name=reason]', REASON);
    await page.getByRole('button', { name: '保存问责记录' }).click();
    await page.getByText('已记录。').waitFor();
    await page.reload();
    await expect(page.locator('tr[data-record]').filter({ hasText: REASON }).count()).resolves.toBe(1);

    const mine = await teacher.context.newPage();
    await mine.goto(`${server.url}/me`);
    await expect(mine.getByRole('heading', { name: '我的问责记录' }).isVisible()).resolves.toBe(true);
    await expect(mine.getByText(REASON).isVisible()).resolves.toBe(true);

    const principal = await as(DEMO_SCHOOL_ADMIN);
    const p = await principal.context.newPage();
    await p.goto(`${server.url}/accountability`);
    expect(new URL(p.url()).pathname).toBe('/account');
    expect(await p.content()).not.toContain(REASON);
    const api = await principal.context.request.get(`${server.url}/api/v1/accountability/records`);
    expect(JSON.stringify(await api.json())).not.toContain(REASON);
    await p.goto(`${server.url}/me`);
    expect(await p.content()).not.toContain(REASON);
    for (const c of [teacher, office, principal]) await c.context.close();
  });

  it('a complaint’s 记录问责 opens the form linked to it', async () => {
    const office = await as(DEMO_LOGIN);
    const page = await office.context.newPage();
    await page.goto(`${server.url}/complaints`);
    const href = await page.locator('a[href^="/complaints/"]').filter({ hasNotText: /统计|海报/ }).first().getAttribute('href');
    await page.goto(`${server.url}${href}`);
    await page.getByTestId('record-accountability').click();
    await page.waitForURL(/\/accountability\?complaintId=/);
    await expect(page.getByText('将关联到此投诉').isVisible()).resolves.toBe(true);
    await expect(page.locator('input[type=hidden][name=complaintId]').getAttribute('value')).resolves.toBe(href!.split('/').pop());
    await office.context.close();
  });
});

describe('the working-day calendar page', () => {
  it('takes the 国庆 lines, lists the days, and removes one', async () => {
    const office = await as(DEMO_LOGIN);
    const page = await office.context.newPage();
    await page.goto(`${server.url}/admin/calendar?year=2031`);
    await page.fill('textarea[name=lines]', '2031-10-01..2031-10-07 国庆节 休\n2031-09-28 国庆节 班');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('已保存。').waitFor();
    await page.reload();
    await expect(page.locator('tr[data-day]').count()).resolves.toBe(8);
    await page.locator('tr[data-day="2031-10-07"]').getByRole('button', { name: '删除' }).click();
    await page.locator('tr[data-day="2031-10-07"]').getByText('已删除。').waitFor();
    await page.reload();
    await expect(page.locator('tr[data-day]').count()).resolves.toBe(7);
    await expect(page.locator('textarea[name=lines]').inputValue()).resolves.toBe('2031-09-28 国庆节 班\n2031-10-01..2031-10-06 国庆节 休');
    await office.context.close();
  });
});
