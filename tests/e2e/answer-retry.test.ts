/**
 * The answering page when the server cannot take a submission now (503 with Retry-After, as the
 * API answers while PostgreSQL restarts or is full): it keeps the draft, says it will retry, and
 * retries by itself with the same idempotency key until the submission is accepted.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import zh from '@/lib/i18n/messages/zh-CN.json';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { bearerApi, launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
let key: string;
let link: string;

const FORM = {
  pages: [{ name: 'p1', elements: [{ type: 'radiogroup', name: 'safe', title: '孩子在校是否安全', isRequired: true, choices: [{ value: 'yes', text: '安全' }, { value: 'no', text: '不安全' }] }] }],
};

const api = bearerApi(() => ({ url: server.url, key }));

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-retry');
  key = await demo.apiKey('office', '巷道学区', 'retry');
  server = await startServer(demo.env);
  browser = await launchBrowser();
  const { id: templateId } = (await api('POST', '/api/v1/templates', { kind: 'other', name: '重试问卷', definition: FORM })) as { id: string };
  const year = (await api('GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] };
  const { id: roundId } = (await api('POST', '/api/v1/rounds', {
    title: '重试测评',
    schoolYear: year.rounds[0]!.schoolYear,
    term: 1,
    units: ['槐山小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId, raterGroup: 0, subjectMode: 'school' }],
  })) as { id: string };
  await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
  const round = (await api('GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string }[] };
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId: round.forms[0]!.id });
  link = ((await api('GET', `/api/v1/rounds/${roundId}/links?kind=class`)) as { links: { kind: string; url: string }[] }).links.find((l) => l.kind === 'class')!.url;
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

it('two 503s with Retry-After, then the submission goes through by itself, every time with the same idempotency key', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const sent: string[] = [];
  await page.route('**/api/v1/respond/**', async (route) => {
    const req = route.request();
    if (req.method() !== 'POST') return route.continue();
    sent.push((JSON.parse(req.postData()!) as { idempotencyKey: string }).idempotencyKey);
    if (sent.length > 2) return route.continue();
    await route.fulfill({
      status: 503,
      headers: { 'retry-after': '1', 'content-type': 'application/json' },
      body: JSON.stringify({ error: { code: 'unavailable', message: zh.errors.unavailable } }),
    });
  });
  await page.goto(link);
  await page.getByText('安全', { exact: true }).click();
  await page.getByRole('button', { name: '提交' }).click();
  // the respondent is told what is happening, and is not asked to do anything
  await expect(page.locator('.error[role=alert]').textContent()).resolves.toContain(zh.errors.unavailable);
  await expect(page.locator('.error[role=alert]').textContent()).resolves.toMatch(/将在 \d+ 秒后自动重试/);
  await expect(page.locator('.thanks h2').textContent({ timeout: 30_000 })).resolves.toBe('提交成功，感谢您的参与！');
  expect(sent).toHaveLength(3);
  expect(new Set(sent).size).toBe(1);
  await page.close();
});
