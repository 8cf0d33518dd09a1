/**
 * "Deploy for a real district", followed as a person would on an empty database: pingyi init,
 * npm start with PINGYI_SEED=0, log in with the printed password, change it, import the roster,
 * create the staff accounts (slips shown once), open the first round.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { currentSchoolYear } from '@/lib/seed/demo';
import { dropPgDatabase, freshPgDatabase, onPostgres } from '../helpers/db';
import { dbEnv, runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/pg';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';
import { makeXlsx } from '../helpers/xlsx';

let target: { dataDir: string } | { url: string };
let pgName: string | undefined;
let tmp: string;
let browser: Browser;
let server: RunningServer | undefined;

beforeAll(async () => {
  await ensureBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-e2e-district-'));
  if (onPostgres) {
    pgName = await freshPgDatabase(process.env.DATABASE_URL!, { migrated: false });
    target = { url: databaseUrl(process.env.DATABASE_URL!, pgName) };
  } else {
    target = { dataDir: path.join(tmp, 'pglite') };
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
  fs.rmSync(tmp, { recursive: true, force: true });
});

const year = currentSchoolYear();
const roster = () =>
  makeXlsx({
    学校: [['学校名称', '学校代码'], ['沙河中心小学', 'SH01'], ['沙河中学', 'SH02']],
    班级: [['学校名称', '班级名称', '年级', '学生人数'], ['沙河中心小学', '五年级(1)班', 5, 38], ['沙河中学', '初一(1)班', 7, 45]],
    教职工: [
      ['工号', '姓名', '所属单位', '岗位', '任教学科'],
      ['SH0001', '赵校长', '沙河中心小学', '校长', ''],
      ['SH0002', '钱老师', '沙河中心小学', '班主任', '语文'],
      ['SH0003', '孙老师', '沙河中学', '教师', '数学'],
    ],
    任课: [
      ['工号', '学校名称', '班级名称', '学科', '学年', '班主任'],
      ['SH0002', '沙河中心小学', '五年级(1)班', '语文', year, '是'],
      ['SH0003', '沙河中学', '初一(1)班', '数学', year, '否'],
    ],
  });

describe('Deploy for a real district, from an empty database to the first round', () => {
  it('init → log in → change password → import the roster → create staff accounts → open a round', { timeout: 1_200_000 }, async () => {
    // 1. npx pingyi init (the server is not running yet)
    const init = await runCli(['init', '--county', '临泽县教育局', '--district', '沙河学区', '--username', 'shahe', '--name', '沙河学区办公室'], dbEnv(target), 280_000);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const initial = init.stdout.trim().split('\n').at(-1)!;

    // 2. PINGYI_SEED=0 npm start: no demo district
    server = await startServer({ ...dbEnv(target), PINGYI_SEED: '0' }, 480_000);
    expect(server.output()).not.toMatch(/Seeded/);

    // 3. log in with the printed password: the first stop is the password change
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/login?next=/org`);
    await page.getByLabel('用户名').fill('shahe');
    await page.getByLabel('密码').fill(initial);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(/\/account/);
    await page.getByLabel('当前密码').fill(initial);
    await page.getByLabel('新密码').fill('shahe-office-2026');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForSelector('text=已保存。');

    // 4. import the roster (one xlsx with the four sheets), checked first
    await page.goto(`${server.url}/org?tab=staff`);
    await page.setInputFiles('input[type=file]', {
      name: '沙河学区花名册.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await roster()),
    });
    await page.getByRole('button', { name: '检查' }).click();
    await page.waitForSelector('.roster-import [data-phase=checked]');
    await page.getByRole('button', { name: '导入', exact: true }).click();
    await page.waitForSelector('.roster-import [data-phase=done]');
    await page.waitForSelector('tr[data-staff-no="SH0003"]');

    // 5. an account for every staff member: slips shown once, and an xlsx
    await page.getByRole('button', { name: '创建缺少的账号' }).click();
    await page.waitForSelector('.account-slip');
    const slips = page.locator('.account-slip');
    await expect(slips.count()).resolves.toBe(3);
    await expect(page.locator('.accounts-card [role=status]').textContent()).resolves.toContain('已为 沙河学区 创建 3 个账号');
    const slip = page.locator('.account-slip[data-username="SH0002"]');
    await expect(slip.textContent()).resolves.toContain('钱老师');
    await expect(slip.textContent()).resolves.toContain(`${server.url}/login`);
    const teacherPassword = (await slip.locator('code.password').textContent())!;
    expect(teacherPassword).toMatch(/^[A-Za-z0-9]{14}$/);
    expect(await page.getByRole('link', { name: '下载 Excel' }).getAttribute('download')).toBe('accounts-沙河学区.xlsx');
    // printed, the page is the slips alone
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('tr[data-staff-no="SH0003"]').isVisible()).toBe(false);
    expect(await slip.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    // a second click creates none
    await page.getByRole('button', { name: '创建缺少的账号' }).click();
    await page.waitForSelector('text=沙河学区 的在职教职工均已有账号。');

    // the teacher's slip works, and the first login must change the password
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ username: 'SH0002', password: teacherPassword }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: { mustChangePassword: boolean; unit: { name: string } } }).user).toMatchObject({ mustChangePassword: true, unit: { name: '沙河中心小学' } });

    // 6. the first round: a draft with the default parent questionnaire for both schools, then opened
    await page.goto(`${server.url}/rounds/new`);
    await page.getByLabel('名称', { exact: true }).fill('沙河学区首轮家长满意度测评');
    const day = (d: number) => new Date(Date.now() + d * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
    await page.getByLabel('开始时间').fill(day(-1));
    await page.getByLabel('截止时间').fill(day(7));
    await page.getByRole('button', { name: '创建（草稿）' }).click();
    await page.waitForURL(`${server.url}/rounds`);
    await page.locator('tr[data-round="沙河学区首轮家长满意度测评"] a').click();
    await page.getByRole('button', { name: '开放' }).click();
    await page.waitForSelector('text=进行中');
    await context.close();
  });

  it('the answering page has no login link, can go on a home screen, and stays out of search engines', { timeout: 120_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${server!.url}/s/not-a-real-token`);
    expect(await page.locator('header.topbar').count()).toBe(1);
    expect(await page.locator('header.topbar a.brand-link').count()).toBe(0);
    expect(await page.getByRole('link', { name: '登录' }).count()).toBe(0);
    const manifest = await page.locator('link[rel=manifest]').getAttribute('href');
    expect(manifest).toBe('/manifest.webmanifest');
    await page.goto(`${server!.url}/`);
    expect(await page.getByRole('link', { name: '登录' }).count()).toBe(1);
    await page.close();

    const m = (await (await fetch(`${server!.url}${manifest}`)).json()) as Record<string, unknown>;
    // without start_url a browser reopens the page it was added from: the questionnaire
    expect(m).not.toHaveProperty('start_url');
    expect(m).toMatchObject({ display: 'standalone', scope: '/' });
    for (const icon of m.icons as { src: string }[]) expect((await fetch(`${server!.url}${icon.src}`)).status).toBe(200);
    const robots = await (await fetch(`${server!.url}/robots.txt`)).text();
    expect(robots).toMatch(/^Disallow: \/s\/$/m);
    expect(robots).toMatch(/^Disallow: \/gongshi\/$/m);
  });
});
