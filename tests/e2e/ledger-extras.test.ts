/**
 * 整改台帐 extras end to end in Chromium on the demo district, as the office: 列入整改台帐 from a
 * school's lowest question on its results page opens the new-item form filled in (round, question,
 * school, problem) and creates the item; the item page shows 回头看 and takes an evidence photo
 * through the antd Upload (a .png that is really HTML is refused with the server's message); the
 * complaint page's button opens the form for that complaint; the print view is a 9-column table
 * that prints on A4 landscape.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { loggedInContext } from '../helpers/office-pages';
import { bearerApi, launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let office: BrowserContext;
let demo: DemoDatabase;
let key: string;
const api = bearerApi(() => ({ url: server.url, key }));
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-ledger');
  key = await demo.apiKey('office', '巷道学区', 'e2e');
  server = await startServer(demo.env);
  browser = await launchBrowser();
  office = await loggedInContext(browser, server.url, DEMO_LOGIN, { locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

describe('列入整改台帐, evidence, 回头看 and print', () => {
  let itemId: string;
  let schoolId: string;

  it('creates an item from a school’s lowest question on its results page, the form filled in', async () => {
    const page = await office.newPage();
    await page.goto(`${server.url}/results`);
    const roundHref = (await page.locator(`a[href^="/results/"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')!))).find((h) => new RegExp(`^/results/${UUID}$`).test(h))!;
    const roundId = roundHref.split('/')[2]!;
    await page.goto(`${server.url}${roundHref}`);
    const schoolHref = (await page.locator(`a[href^="${roundHref}/schools/"]`).first().getAttribute('href'))!;
    schoolId = schoolHref.split('/').at(-1)!;
    await page.goto(`${server.url}${schoolHref}`);
    const first = page.locator('[data-testid=items-to-ledger] a[data-ledger-question]').first();
    const question = (await first.getAttribute('data-ledger-question'))!;
    await first.click();
    await page.waitForURL(/\/ledger\?new=1/);
    await expect(page.locator('[data-testid=ledger-prefilled]').isVisible()).resolves.toBe(true);
    expect(await page.locator('input[name=sourceRoundId]').inputValue()).toBe(roundId);
    expect(await page.locator('input[name=sourceQuestion]').inputValue()).toBe(question);
    expect(await page.locator('select[name=unitId]').inputValue()).toBe(schoolId);
    expect(await page.locator('select[name=source]').inputValue()).toBe('round');
    expect(await page.locator('textarea[name=problem]').inputValue()).toMatch(/%（n=\d+）/);
    await page.locator('textarea[name=measure]').fill('年级组统筹作业总量，每周公示');
    await page.locator('textarea[name=target]').fill('下次测评满意率达到 90%');
    await page.locator('input[name=dueOn]').fill('2026-12-31');
    await page.locator('#new-item button[type=submit]').click();
    await page.locator('#new-item [role=status]').waitFor();
    const list = (await api('GET', `/api/v1/ledger?unitId=${schoolId}&limit=100`)) as { items: { id: string; sourceRoundId: string | null; sourceQuestion: string | null; source: string }[] };
    const made = list.items.find((i) => i.sourceRoundId === roundId && i.sourceQuestion === question)!;
    expect(made.source).toBe('round');
    itemId = made.id;
    await page.close();
  });

  it('shows 回头看 on the item page and takes an evidence photo through the Upload, refusing a fake one', async () => {
    const item = (await api('GET', `/api/v1/ledger/${itemId}`)) as { followUp: { rounds: { source: boolean; figures: { n: number | null }[] }[] } };
    expect(item.followUp.rounds[0]!.source).toBe(true);
    expect(item.followUp.rounds[0]!.figures[0]!.n).toBeGreaterThan(0);
    const page = await office.newPage();
    await page.goto(`${server.url}/ledger/${itemId}`);
    expect(await page.locator('[data-testid=ledger-follow-up-line]').textContent()).toMatch(/^来源测评 \d+\.\d%（n=\d+）/);
    const input = page.locator('[data-testid=ledger-attachments] input[type=file]');
    const png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#48a' } }).png().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 30/1 0/1' } }).toBuffer();
    await input.setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: png });
    await page.locator('.ant-upload-list-item', { hasText: '现场照片.png' }).waitFor();
    await input.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<html><script>alert(1)</script></html>') });
    await page.locator('.ant-message', { hasText: 'JPEG' }).waitFor();
    const files = (await api('GET', `/api/v1/ledger/${itemId}/attachments`)) as { attachments: { filename: string }[] };
    expect(files.attachments.map((a) => a.filename)).toEqual(['现场照片.png']);
    await page.close();
  });

  it('opens the form for a complaint from the complaint page', async () => {
    const { complaints } = (await api('GET', '/api/v1/complaints')) as { complaints: { id: string }[] };
    const page = await office.newPage();
    await page.goto(`${server.url}/complaints/${complaints[0]!.id}`);
    await page.locator('[data-testid=complaint-to-ledger]').click();
    await page.waitForURL(/\/ledger\?new=1/);
    expect(await page.locator('input[name=complaintId]').inputValue()).toBe(complaints[0]!.id);
    expect(await page.locator('textarea[name=problem]').inputValue()).toMatch(/^效能投诉反映：/);
    await page.close();
  });

  it('prints a school’s ledger as a 9-column table on A4 landscape', async () => {
    const page = await office.newPage();
    await page.goto(`${server.url}/ledger/print?unitId=${schoolId}`);
    expect(await page.locator('[data-testid=ledger-print] thead th').allTextContents()).toEqual(['序号', '存在问题', '整改措施', '整改目标', '整改时限', '责任人', '整改进展', '整改效果', '是否销号']);
    expect(await page.locator('[data-testid=ledger-print] tbody tr').count()).toBeGreaterThan(0);
    const pdf = Buffer.from(await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    // A4 landscape: 842 × 595 points
    const box = pdf.match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/)!;
    expect([Math.round(Number(box[1])), Math.round(Number(box[2]))]).toEqual([842, 595]);
    await page.close();
  });
});
