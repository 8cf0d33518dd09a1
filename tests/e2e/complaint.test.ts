/**
 * 效能投诉 end to end in Chromium: a parent scans a school's poster QR code on a phone (390×844),
 * files a complaint and keeps the tracking code; the office accepts it and passes it to the school,
 * which replies (through the API, as automation would); later the parent reads the reply with the
 * code and rates it; the office closes it on its complaint page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { dropPgDatabase, freshPgDatabase, onPostgres } from '../helpers/db';
import { dbEnv, runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/pg';
import { bearerApi, launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let tmp: string;
let pgName: string | undefined;
let key: string;
const api = bearerApi(() => ({ url: server.url, key }));

beforeAll(async () => {
  await ensureBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-e2e-complaint-'));
  let target: { dataDir: string } | { url: string } = { dataDir: path.join(tmp, 'pglite') };
  if (onPostgres) {
    pgName = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
    target = { url: databaseUrl(process.env.DATABASE_URL!, pgName) };
  }
  expect((await runCli(['seed'], dbEnv(target))).code).toBe(0);
  key = (await runCli(['api-key', 'create', '--name', 'e2e', '--role', 'office', '--unit', '巷道学区'], dbEnv(target))).stdout.trim().split('\n').at(-1)!;
  server = await startServer(dbEnv(target));
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const BODY = '五年级数学老师让每个学生交三十元练习册费，没有收据，也没有说明是自愿的。';
const REPLY = '经核实，该费用未经审批，学校已全额退还，并对该教师进行了批评教育。';

describe('a parent complains on a phone and later reads the reply', () => {
  let code: string;
  let complaintId: string;

  it('files the complaint from the poster link at 390×844 and gets a tracking code; the page loads no antd', async () => {
    const units = (await api('GET', '/api/v1/complaints/targets')) as { targets: { id: string; name: string }[] };
    const school = units.targets.find((u) => u.name === '槐山小学')!;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/tousu?unit=${school.id}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('效能投诉');
    await expect(page.locator('select[name=unitId]').inputValue()).resolves.toBe(school.id);
    await page.getByLabel('被投诉人姓名（可不填）').fill('数学老师');
    await page.getByLabel('乱收费').check();
    // a too-short text is refused with the field's message, nothing filed
    await page.getByLabel('投诉内容').fill('乱收费');
    await page.getByRole('button', { name: '提交投诉' }).click();
    await expect(page.locator('[data-field=body]').textContent()).resolves.toContain('10');
    await page.getByLabel('投诉内容').fill(BODY);
    await page.getByRole('button', { name: '提交投诉' }).click();
    code = (await page.locator('[data-testid=tracking-code]').textContent())!;
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.querySelectorAll('[class*="ant-"], style[data-rc-order], link[href*="antd"]').length)).toBe(0);
    await page.close();
  });

  it('the office accepts it and passes it to the school, which replies', async () => {
    const list = (await api('GET', '/api/v1/complaints?status=received')) as { complaints: { id: string; unitName: string; personName: string | null; unitId: string }[] };
    const mine = list.complaints.find((c) => c.unitName === '槐山小学' && c.personName === '数学老师')!;
    complaintId = mine.id;
    await api('POST', `/api/v1/complaints/${complaintId}/actions`, { action: 'accept' });
    await api('POST', `/api/v1/complaints/${complaintId}/actions`, { action: 'assign', unitId: mine.unitId });
    await api('POST', `/api/v1/complaints/${complaintId}/actions`, { action: 'reply', reply: REPLY });
  });

  it('later, the parent reads the reply with the tracking code and rates it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/tousu`);
    await page.getByRole('link', { name: '已投诉？查询办理进度' }).click();
    await page.waitForURL('**/tousu/chaxun');
    // typed by hand: lower case, no dashes
    await page.getByLabel('查询码').fill(code.replace(/-/g, '').toLowerCase());
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('[data-testid=reply]').textContent()).resolves.toBe(REPLY);
    await expect(page.locator('.complaint-status').getAttribute('data-status')).resolves.toBe('replied');
    const steps = await page.locator('.steps li').allTextContents();
    expect(steps.map((s) => s.split(' · ')[1])).toEqual(['待受理', '已受理', '已转办，办理中', '已答复，待回访']);
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByRole('button', { name: '提交评价' }).click();
    await expect(page.locator('[role=status]').textContent()).resolves.toBe('感谢您的评价。');
    await expect(page.locator('.complaint-status').getAttribute('data-status')).resolves.toBe('rated');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('the office sees the rating on the complaint page and closes it', async () => {
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: DEMO_LOGIN.username, password: DEMO_LOGIN.password }),
    });
    expect(login.status).toBe(200);
    const [name, value] = login.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name, value, url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/complaints/${complaintId}`);
    await expect(page.locator('main').textContent()).resolves.toContain('回访评价：满意');
    await page.getByRole('button', { name: '办结' }).click();
    // the form refreshes the page once the API has answered
    await page.locator('h1', { hasText: '已办结' }).waitFor();
    const done = (await api('GET', `/api/v1/complaints/${complaintId}`)) as { status: string; events: { status: string }[] };
    expect([done.status, done.events.map((e) => e.status)]).toEqual(['closed', ['received', 'accepted', 'assigned', 'replied', 'rated', 'closed']]);
    // the statistics count it: 槐山小学 now has the demo's two and this one, two of them closed
    await page.goto(`${server.url}/complaints/stats`);
    const row = page.locator('[data-testid=complaint-stats] tr', { hasText: '槐山小学' });
    expect((await row.locator('td').allTextContents()).slice(1, 5)).toEqual(['3', '1', '1', '2']);
    await context.close();
  });
});
