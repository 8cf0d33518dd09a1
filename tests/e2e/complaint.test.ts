/**
 * 效能投诉 end to end in Chromium: a parent scans a school's poster QR code on a phone (390×844),
 * files a complaint and keeps the tracking code; the office accepts it and passes it to the school,
 * which replies (through the API, as automation would); later the parent reads the reply with the
 * code and rates it; the office closes it on its complaint page. Then the campaign's loop: the
 * office turns the complaint into a 整改台帐 item from the complaint page, the school works on it
 * and closes it with a photo as evidence, the office verifies it (销号), and the school's public
 * page shows it done to any parent's phone. Last, the 回头看: a parents' round before the
 * rectification and one after it, answered through the answering route, are set as the campaign's
 * compared rounds, and the campaign report page shows the change computed by hand below (the full
 * table with several schools and items is in tests/integration/campaign-report.test.ts).
 */
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { bearerApi, launchBrowser, openParentRound, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
let key: string;
let schoolKey: string;
const api = bearerApi(() => ({ url: server.url, key }));
/** the school admin of 槐山小学, as the school's own automation would act */
const schoolApi = bearerApi(() => ({ url: server.url, key: schoolKey }));

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-complaint');
  key = await demo.apiKey('office', '巷道学区', 'e2e');
  schoolKey = await demo.apiKey('school_admin', '槐山小学', 'e2e-school');
  server = await startServer(demo.env);
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

const BODY = '五年级数学老师让每个学生交三十元练习册费，没有收据，也没有说明是自愿的。';
const REPLY = '经核实，该费用未经审批，学校已全额退还，并对该教师进行了批评教育。';

let complaintId: string;
let schoolId: string;

async function officePage(width = 1280) {
  const login = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ username: DEMO_LOGIN.username, password: DEMO_LOGIN.password }),
  });
  expect(login.status).toBe(200);
  const [name, value] = login.headers.get('set-cookie')!.split(';')[0]!.split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addCookies([{ name, value, url: server.url }]);
  return { context, page: await context.newPage() };
}

describe('a parent complains on a phone and later reads the reply', () => {
  let code: string;

  it('files the complaint from the poster link at 390×844 and gets a tracking code; the page loads no antd', async () => {
    const units = (await api('GET', '/api/v1/complaints/targets')) as { targets: { id: string; name: string }[] };
    const school = units.targets.find((u) => u.name === '槐山小学')!;
    schoolId = school.id;
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
    const { context, page } = await officePage();
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

describe('the complaint becomes a ledger item, closed with evidence, verified, and shown done in public', () => {
  let itemId: string;
  const MEASURE = '全额退还练习册费用，今后教辅材料一律由家长自愿选购，学校不经手收费。';

  it('the office opens 列入整改台帐 on the complaint page and adds the item from the prefilled form', async () => {
    const { context, page } = await officePage();
    await page.goto(`${server.url}/complaints/${complaintId}`);
    await page.getByRole('link', { name: '列入整改台帐' }).click();
    await page.waitForURL('**/ledger?**');
    const form = page.locator('#new-item');
    await form.locator('[data-testid=ledger-prefilled]').waitFor();
    // the school and the problem come from the complaint
    await expect(form.locator('select[name=unitId]').inputValue()).resolves.toBe(schoolId);
    await expect(form.locator('textarea[name=problem]').inputValue()).resolves.toContain('练习册');
    await form.locator('textarea[name=measure]').fill(MEASURE);
    await form.locator('textarea[name=target]').fill('家长满意，不再发生未经审批的收费');
    await form.locator('input[name=dueOn]').fill('2027-01-15');
    await form.getByRole('button', { name: '添加整改事项' }).click();
    await form.getByText('已添加。').waitFor();
    const list = (await api('GET', `/api/v1/ledger?unitId=${schoolId}&limit=500`)) as { items: { id: string; complaintId: string | null; source: string; status: string }[] };
    const item = list.items.find((i) => i.complaintId === complaintId)!;
    expect([item.source, item.status]).toEqual(['complaint', 'open']);
    itemId = item.id;
    await context.close();
  });

  it('the school starts it, uploads a photo as evidence and reports it done; it cannot verify it itself', async () => {
    await schoolApi('POST', `/api/v1/ledger/${itemId}/actions`, { action: 'start', note: '已召开专题会议研究整改。' });
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
      .jpeg()
      .withMetadata({ exif: { IFD0: { Make: 'PhoneCam' } } })
      .toBuffer();
    const form = new FormData();
    form.set('file', new File([new Uint8Array(photo)], '退费签收单.jpg', { type: 'image/jpeg' }));
    const up = await fetch(`${server.url}/api/v1/ledger/${itemId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${schoolKey}` }, body: form });
    expect(up.status).toBe(201);
    await schoolApi('POST', `/api/v1/ledger/${itemId}/actions`, { action: 'done', note: '已向42名学生家长全额退费，签收单见佐证。' });
    const self = await fetch(`${server.url}/api/v1/ledger/${itemId}/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${schoolKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'verify', effect: '自己给自己销号' }),
    });
    expect(self.status).toBe(403);
  });

  it('the office sees the evidence on the item page and verifies it (销号)', async () => {
    const { context, page } = await officePage();
    await page.goto(`${server.url}/ledger/${itemId}`);
    await expect(page.locator('main').textContent()).resolves.toContain('退费签收单');
    const verify = page.locator('form', { has: page.locator('input[name=action][value=verify]') });
    await verify.locator('textarea[name=effect]').fill('经回访家长，费用已全部退还，问题整改到位。');
    await verify.getByRole('button', { name: '验收销号' }).click();
    await page.waitForFunction(() => !document.querySelector('input[name=action][value=verify]'));
    const item = (await api('GET', `/api/v1/ledger/${itemId}`)) as { status: string; notes: { status: string | null }[] };
    expect(item.status).toBe('verified');
    await context.close();
  });

  it('a parent opens the school’s public page on a phone and sees the item done, with no internal notes', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/gongkai/${schoolId}`);
    const row = page.locator('li, tr', { hasText: MEASURE }).first();
    await expect(row.locator('.gk-status').first().getAttribute('data-status')).resolves.toBe('verified');
    await expect(row.locator('.gk-status').first().textContent()).resolves.toBe('已销号');
    const text = (await page.locator('main').textContent())!;
    // the school's own notes and the office's verdict stay inside
    expect(text).not.toContain('签收单见佐证');
    expect(text).not.toContain('经回访家长');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.evaluate(() => document.querySelectorAll('[class*="ant-"], style[data-rc-order], link[href*="antd"]').length)).toBe(0);
    await page.close();
  });
});

/**
 * 家长满意度问卷 at 槐山小学, every respondent giving one answer to every satisfaction item.
 * Before: 2 满意 (100) and 4 不满意 (55); after (回头看): 6 满意. The overall question:
 *
 * | round  | n | 满意率 (满意 + 基本满意) | Wilson 95%        | mean score              | sample variance                  |
 * |--------|---|--------------------------|-------------------|-------------------------|----------------------------------|
 * | before | 6 | 2/6 = 33.3%              | [0.0968, 0.7000]  | (2·100 + 4·55)/6 = 70   | (2·30² + 4·15²)/5 = 540          |
 * | after  | 6 | 6/6 = 100.0%             | [0.6097, 1.0000]  | 100                     | 0                                |
 *
 * Change of 满意率 (Newcombe): d = 0.6667, L = d − √((1 − 0.6097)² + (0.7 − 0.3333)²) = 0.1311,
 * U = d + √(0² + (0.3333 − 0.0968)²) = 0.9032 → "+66.7", "[13.1, 90.3]", improved.
 * Change of the score (Welch): se = √(540/6 + 0) = 9.4868, df = 5, t = 2.5706: 30 ± 24.387 →
 * "+30.00 [5.61, 54.39]".
 */
describe('回头看: the campaign report shows the change between a round before and one after', () => {
  const all = (value: string) => ({
    overall: value,
    items: Object.fromEntries(['ethics', 'teaching', 'head_teacher', 'communication', 'homework', 'safety', 'canteen'].map((row) => [row, value])),
    gifts: 'no',
    paid_tutoring: 'no',
    corporal_punishment: 'no',
  });

  async function answeredRound(title: string, values: string[]): Promise<string> {
    const { roundId, schoolId: school, formId } = await openParentRound(api, title);
    await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId });
    const links = (await api('GET', `/api/v1/rounds/${roundId}/links?kind=class`)) as { links: { kind: string; token: string }[] };
    const token = links.links.find((l) => l.kind === 'class')!.token;
    for (const [i, value] of values.entries()) {
      const res = await fetch(`${server.url}/api/v1/respond/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: server.url },
        body: JSON.stringify({ idempotencyKey: `${roundId}-${i}`, answers: { [school]: all(value) } }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'close' });
    await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'release_schools' });
    return roundId;
  }

  it('sets the compared rounds and reads the hand-computed change on the report page', async () => {
    const before = await answeredRound('家长满意度调查（整改前）', ['satisfied', 'satisfied', 'unsatisfied', 'unsatisfied', 'unsatisfied', 'unsatisfied']);
    const after = await answeredRound('家长满意度调查（回头看）', Array(6).fill('satisfied'));
    const { campaigns } = (await api('GET', '/api/v1/campaigns')) as { campaigns: { id: string }[] };
    const campaignId = campaigns[0]!.id;
    await api('PATCH', `/api/v1/campaigns/${campaignId}`, { comparison: { baselineRoundId: before, followUpRoundId: after } });
    const { context, page } = await officePage();
    await page.goto(`${server.url}/campaigns/${campaignId}/report`);
    const overall = page.locator('[data-testid=comparison-items] tr[data-row="家长 · 您对学校的总体工作是否满意？"]');
    expect((await overall.locator('td').allTextContents()).slice(1, 8)).toEqual(['6', '33.3%', '6', '100.0%', '+66.7', '[13.1, 90.3]', '+30.00 [5.61, 54.39]']);
    await expect(overall.getAttribute('data-direction')).resolves.toBe('improved');
    const school = page.locator('[data-testid=comparison-schools] tr', { hasText: '槐山小学' });
    await expect(school.getAttribute('data-direction')).resolves.toBe('improved');
    await context.close();
  });
});
