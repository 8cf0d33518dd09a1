/**
 * 公开承诺 and the public page of a school in Chromium, on the demo district: the demo teacher makes
 * a commitment from /me on a phone (390×844); the public page /gongkai/{school} shows the published
 * commitments and the ledger's progress but not the pending one, loads no antd and does not
 * overflow the phone; printed, it is the 公示卡 with the two QR codes; once the office approves the
 * commitment (through the API), the page shows it. The office's /commitments page lists them.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { loggedInContext } from '../helpers/office-pages';
import { bearerApi, launchBrowser, startServer, type RunningServer } from '../helpers/server';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page, as lines (the page's CSP is bypassed for axe's script only). */
async function axe(page: import('playwright-core').Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const run = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: V[] }> } }).axe;
    return run.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${page.url()}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
let key: string;
const api = bearerApi(() => ({ url: server.url, key }));

type Item = { id: string; unitId: string; unitName: string; body: string; status: string };

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-gongkai');
  key = await demo.apiKey('office', '巷道学区', 'e2e');
  server = await startServer(demo.env);
  browser = await launchBrowser();
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

const MINE = '每节课提前两分钟候课，不拖堂';

async function login(page: import('playwright-core').Page, username: string, password: string, next: string) {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname === next);
}

describe('public commitments and the school’s public page', () => {
  let school: string;

  it('the demo teacher makes a commitment from /me on a phone; it waits for approval', { timeout: 300_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await login(page, DEMO_TEACHER.username, DEMO_TEACHER.password, '/me');
    const section = page.locator('section[aria-labelledby=commitments]');
    await expect(section.locator('h2').textContent()).resolves.toBe('我的公开承诺');
    await section.locator('summary', { hasText: '作出承诺' }).click();
    // too short: the field's message, nothing made
    await section.getByLabel('承诺事项').fill('候课');
    await section.getByLabel('时限').fill('2099-12-31');
    await section.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => section.textContent(), { timeout: 30_000 }).toContain('不能少于 4');
    await section.getByLabel('承诺事项').fill(MINE);
    await section.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => section.textContent(), { timeout: 30_000 }).toContain('已提交，等待学区办公室审核。');
    await page.reload();
    const mine = page.locator('section[aria-labelledby=commitments] li', { hasText: MINE });
    await expect(mine.locator('.status').textContent()).resolves.toBe('待审核');
    await context.close();
  });

  it('the public page shows published commitments and the ledger, not the pending one; no antd; fits a phone', { timeout: 300_000 }, async () => {
    const list = (await api('GET', '/api/v1/commitments?limit=500')) as { items: Item[] };
    const central = list.items.filter((c) => c.unitName === '巷道中心小学');
    school = central[0]!.unitId;
    const published = central.filter((c) => ['approved', 'reported', 'fulfilled', 'unfulfilled'].includes(c.status));
    const hidden = central.filter((c) => c.status === 'pending' || c.status === 'rejected');
    // the demo has both, plus the teacher's new one
    expect(published.length).toBeGreaterThanOrEqual(4);
    expect(hidden.map((c) => c.body)).toContain(MINE);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/gongkai/${school}`);
    expect(res!.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toContain('巷道中心小学');
    const shown = await page.locator('[data-commitment]').evaluateAll((els) => els.map((e) => e.getAttribute('data-commitment')));
    expect(shown.sort()).toEqual(published.map((c) => c.id).sort());
    const text = (await page.locator('main').textContent())!;
    for (const c of hidden) expect(text).not.toContain(c.body);
    // the ledger's progress, without its notes
    expect(text).toContain('学校周边小摊贩售卖三无食品');
    expect(text).not.toContain('已与市场监管所联系');
    expect(await page.locator('[data-ledger-seq]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => document.querySelectorAll('[class*="ant-"], style[data-rc-order], link[href*="antd"]').length)).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // on screen the QR codes are left out; printed, the poster has both and no ledger
    await expect(page.locator('.gk-qr').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.gk-qr').isVisible()).resolves.toBe(true);
    await expect(page.locator('.gk-ledger').isVisible()).resolves.toBe(false);
    expect(await page.locator('.gk-qr svg').count()).toBe(2);
    const qrs = await page.locator('[data-qr]').evaluateAll((els) => els.map((e) => e.getAttribute('data-qr')));
    expect(qrs).toEqual([`${server.url}/tousu?unit=${school}`, `${server.url}/gongkai/${school}`]);
    await context.close();
    // an unknown id is a 404 page (a district's id too: tests/security/commitments.test.ts)
    const unknown = await fetch(`${server.url}/gongkai/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
  });

  it('once the office approves it, the public page shows it; the office page lists it', { timeout: 300_000 }, async () => {
    const list = (await api('GET', '/api/v1/commitments?status=pending&limit=500')) as { items: Item[] };
    const mine = list.items.find((c) => c.body === MINE)!;
    await api('POST', `/api/v1/commitments/${mine.id}/actions`, { action: 'approve' });
    const html = await (await fetch(`${server.url}/gongkai/${school}`)).text();
    expect(html).toContain(MINE);
    expect(html).toContain(`data-commitment="${mine.id}"`);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await login(page, DEMO_LOGIN.username, DEMO_LOGIN.password, '/commitments');
    await expect(page.locator('h1').textContent()).resolves.toBe('公开承诺');
    const menu = page.getByRole('navigation', { name: '功能菜单' });
    await expect(menu.getByRole('link', { name: '公开承诺' }).getAttribute('href')).resolves.toBe('/commitments');
    await expect(page.getByRole('navigation', { name: '当前位置' }).textContent()).resolves.toBe('首页/公开承诺');
    await expect(page.locator(`tr[data-commitment="${mine.id}"]`).textContent()).resolves.toContain('已公开');
    expect(await page.locator(`a[data-gongkai="${school}"]`).count()).toBe(1);
    // the pending ones offer approve and return; filtering by status keeps only them
    await page.goto(`${server.url}/commitments?status=pending`);
    const rows = page.locator('tr[data-commitment]');
    expect(await rows.count()).toBeGreaterThanOrEqual(1);
    for (const t of await rows.allTextContents()) expect(t).toContain('待审核');
    await expect(rows.first().getByRole('button', { name: '审核通过并公开' }).count()).resolves.toBe(1);
    await context.close();
  });

  it('the school admin sees their school’s commitments read-only and makes the school’s own', { timeout: 300_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await login(page, DEMO_SCHOOL_ADMIN.username, DEMO_SCHOOL_ADMIN.password, '/commitments');
    await expect(page.locator('h1').textContent()).resolves.toBe('本校公开承诺');
    const rows = page.locator('tr[data-commitment]');
    expect(await rows.count()).toBeGreaterThanOrEqual(8);
    for (const t of await rows.allTextContents()) expect(t).toContain('巷道中心小学');
    // no office step anywhere on the page
    expect(await page.getByRole('button', { name: '审核通过并公开' }).count()).toBe(0);
    expect(await page.locator('summary', { hasText: '确认履诺结果' }).count()).toBe(0);
    const form = page.locator('form', { has: page.getByRole('button', { name: '提交审核' }) });
    await form.getByLabel('承诺事项').fill('每月第一周向家长公开学校收支情况');
    await form.getByLabel('时限').fill('2099-06-30');
    await form.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => form.textContent(), { timeout: 30_000 }).toContain('已提交，等待学区办公室审核。');
    const list = (await api('GET', '/api/v1/commitments?status=pending&kind=school&limit=500')) as { items: Item[] };
    expect(list.items.filter((c) => c.body === '每月第一周向家长公开学校收支情况').map((c) => c.unitName)).toEqual(['巷道中心小学']);
    await context.close();
  });

  it('axe-core finds no serious or critical violation on the public page, /commitments and /me, in both languages', { timeout: 300_000 }, async () => {
    const found: string[] = [];
    for (const locale of ['zh-CN', 'en'] as const) {
      const anon = await browser.newContext({ viewport: { width: 390, height: 844 }, locale, bypassCSP: true });
      await anon.addCookies([{ name: 'pingyi_locale', value: locale, url: server.url }]);
      const pub = await anon.newPage();
      await pub.goto(`${server.url}/gongkai/${school}`);
      found.push(...(await axe(pub)));
      await anon.close();
      for (const [login, href] of [
        [DEMO_LOGIN, '/commitments'],
        [DEMO_TEACHER, '/me'],
      ] as const) {
        const context = await loggedInContext(browser, server.url, login, { locale, viewport: { width: 1280, height: 800 }, bypassCSP: true });
        const page = await context.newPage();
        await page.goto(`${server.url}${href}`);
        await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
        found.push(...(await axe(page)));
        await context.close();
      }
    }
    expect(found, found.join('\n')).toEqual([]);
  });
});
