/**
 * The staff workspace on a phone (Chromium at 390×844): a teacher logs in with an initial
 * password, must change it, sees their tasks, submits the 六查六看 self-inspection, answers the
 * colleague ballot (a second attempt is refused); the principal returns the report with a remark,
 * the teacher sees it and resubmits, the principal marks it reviewed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { openDatabase } from '@/lib/db/client';
import { migrateDatabase } from '@/lib/db/migrate';
import { dbEnv } from '../helpers/cli';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';
import { STAFF_PASSWORD, workspaceRound } from '../helpers/workspace';

let server: RunningServer;
let browser: Browser;
let tmp: string;
let ballotFormId: string;

beforeAll(async () => {
  await ensureBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-e2e-workspace-'));
  const target = { dataDir: path.join(tmp, 'pglite') };
  // the school, its logins (initial passwords) and the open round, written before the server starts
  const handle = await openDatabase({ kind: 'pglite', dataDir: target.dataDir });
  await migrateDatabase(handle);
  ballotFormId = (await workspaceRound({ handle, initialPasswords: true })).ballotFormId;
  await handle.close();
  server = await startServer({ ...dbEnv(target), PINGYI_SEED: '0' }, 480_000);
  browser = await launchBrowser();
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function phone() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  return { context, page: await context.newPage() };
}

async function firstLogin(page: Page, username: string, newPassword: string) {
  await page.goto(`${server.url}/login?next=/me`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(STAFF_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  // the initial password must be changed before anything else
  await page.waitForURL(/\/account/);
  await page.goto(`${server.url}/me`);
  await page.waitForURL(/\/account/);
  await page.getByLabel('当前密码').fill(STAFF_PASSWORD);
  await page.getByLabel('新密码').fill(newPassword);
  await page.getByRole('button', { name: '保存' }).click();
  await page.waitForSelector('text=已保存。');
}

/** Ticks every radio of a value in the SurveyJS form on the page (matrix rows and radiogroups). */
async function tick(page: Page, value: string, expected: number) {
  const inputs = page.locator(`input[type=radio][value="${value}"]`);
  await expect.poll(() => inputs.count(), { timeout: 60_000 }).toBe(expected);
  for (let i = 0; i < expected; i++) await inputs.nth(i).check({ force: true });
}

async function comment(page: Page, title: string, text: string) {
  await page.locator('.sd-question', { hasText: title }).locator('textarea').fill(text);
}

describe('the staff workspace on a phone', () => {
  it('teacher: first login, tasks, self-inspection, colleague ballot once; principal returns it, teacher resubmits', { timeout: 900_000 }, async () => {
    const teacher = await phone();
    const page = teacher.page;
    await firstLogin(page, 'hp01', 'teacher-one-2026');

    // my tasks: the colleague ballot and the self-inspection
    await page.goto(`${server.url}/me`);
    await expect(page.locator('h1').textContent()).resolves.toBe('我的工作台');
    await expect(page.locator('[data-task]').count()).resolves.toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    // the self-inspection, named, submitted
    await page.locator('[data-task=self] a').click();
    await page.waitForURL(/\/me\/report\//);
    await tick(page, 'good', 6);
    await comment(page, '查找出的主要问题', '作业批改不够及时');
    await comment(page, '整改措施和公开承诺', '当堂批改');
    await page.getByLabel('公开承诺', { exact: true }).fill('按时批改作业，欢迎家长监督');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForSelector('text=自查报告已提交。');
    await page.waitForSelector('[data-report-status=submitted]');

    // the colleague ballot: six colleagues, never oneself
    await page.goto(`${server.url}/me`);
    await page.locator('[data-task=colleague] a').click();
    await page.waitForURL(/\/me\/ballot\//);
    await expect(page.locator('.notice').textContent()).resolves.toContain('不记名');
    for (let i = 1; i <= 6; i++) {
      await expect(page.locator('h2').first().textContent()).resolves.toMatch(new RegExp(`（${i}/6）$`));
      await expect(page.locator('h2').first().textContent()).resolves.not.toContain('教师1（');
      await tick(page, 'satisfied', 5);
      // one 等次 differs: a ballot giving everyone the same 等次 is void
      await tick(page, i === 1 ? 'excellent' : 'competent', 1);
      await page.getByRole('button', { name: i < 6 ? '下一位' : '提交' }).click();
    }
    await page.waitForSelector('text=已提交，谢谢！');
    await page.goto(`${server.url}/me`);
    await expect(page.locator('[data-task=colleague] .done').textContent()).resolves.toBe('已提交');
    // a second attempt from the same account is refused
    const second = await page.evaluate(async (formId) => {
      const res = await fetch(`/api/v1/me/tasks/${formId}/ballot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN' },
        body: JSON.stringify({ idempotencyKey: 'second-attempt-000000', answers: {} }),
      });
      return { status: res.status, body: (await res.json()) as { error: { message: string } } };
    }, ballotFormId);
    expect(second.status).toBe(409);
    expect(second.body.error.message).toBe('您已经提交过这份评议表，每人只能提交一次。');

    // the principal returns the report with a remark
    const principal = await phone();
    await firstLogin(principal.page, 'hp00', 'principal-2026');
    await principal.page.goto(`${server.url}/self-reports`);
    const report = principal.page.locator('[data-report=HP01]');
    await expect(report.textContent()).resolves.toContain('按时批改作业，欢迎家长监督');
    await report.getByLabel('审阅意见（退回时必填）').fill('整改措施请写明完成时间');
    await report.getByRole('button', { name: '退回修改' }).click();
    await principal.page.waitForSelector('[data-report=HP01] [data-status=returned]');

    // the teacher sees the remark and resubmits
    await page.goto(`${server.url}/me`);
    await expect(page.locator('[data-task=self] [role=alert]').textContent()).resolves.toContain('整改措施请写明完成时间');
    await page.locator('[data-task=self] a').click();
    await page.waitForSelector('[data-report-status=returned]');
    await comment(page, '整改措施和公开承诺', '当堂批改，12月10日前补齐');
    await page.getByRole('button', { name: '提交' }).click();
    await page.waitForSelector('text=自查报告已提交。');
    await page.waitForSelector('[data-report-status=submitted]');

    // and the principal marks it reviewed
    await principal.page.reload();
    await expect(principal.page.locator('[data-report=HP01]').textContent()).resolves.toContain('12月10日前补齐');
    await principal.page.locator('[data-report=HP01]').getByRole('button', { name: '审阅通过' }).click();
    await principal.page.waitForSelector('[data-report=HP01] [data-status=reviewed]');
    fs.mkdirSync(path.join('.data', 'screenshots'), { recursive: true });
    await page.goto(`${server.url}/me`);
    await page.screenshot({ path: path.join('.data', 'screenshots', 'workspace-me-390.png'), fullPage: true });
    await principal.context.close();
    await teacher.context.close();
  });
});
