/**
 * The results dashboard in Chromium with the demo data: district, school and teacher pages at
 * desktop (1280×800) and phone (390×844) widths. Each chart must have drawn (its canvas holds
 * non-blank pixels) and the tables must hold the numbers the results API gives. Screenshots are
 * written to .data/screenshots/ for a human to look at. One server for the whole file.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatInterval, formatValue, sortByFigure } from '@/lib/charts/datasets';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { ROOT } from '../helpers/cli';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
const SHOTS = path.join(ROOT, '.data', 'screenshots');
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-results');
  server = await startServer(demo.env);
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

async function loggedIn(username: string, password: string, viewport: { width: number; height: number }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const res = await context.request.post(`${server.url}/api/v1/session`, { data: { username, password }, headers: { origin: server.url } });
  expect(res.status()).toBe(200);
  return context;
}

/** How many canvases there are and, for each, how many pixels are not blank. */
async function paintedCanvases(page: Page): Promise<number[]> {
  await page.waitForSelector('canvas');
  // chart.js draws after hydration (later on a phone, where the office frame lays out first),
  // animates from nothing and redraws on a resize: read the canvases until every one has drawn more
  // than the 200 pixels the tests ask for, twice in a row (a read during a redraw, or in a page the
  // router is still replacing, is read again), or give up after 30 s and let the counts fail the test
  const read = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
        return painted;
      }),
    );
  const deadline = Date.now() + 30_000;
  let counts: number[] = [];
  let drawn = 0;
  while (Date.now() < deadline) {
    const got = await read().catch(() => null);
    if (got) counts = got;
    drawn = got && got.length > 0 && got.every((p) => p > 200) ? drawn + 1 : 0;
    if (drawn === 2) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return counts;
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const api = async <T,>(context: BrowserContext, url: string): Promise<T> => {
  const res = await context.request.get(`${server.url}${url}`);
  expect(res.status(), url).toBe(200);
  return (await res.json()) as T;
};

interface Results {
  round: { id: string };
  district: { satisfaction: number | null; score: number | null };
  schools: {
    key: string;
    name: string;
    suppressed: boolean;
    respondents: number | null;
    satisfaction: number | null;
    score: number | null;
    satisfactionCi95: [number, number] | null;
    scoreCi95: [number, number] | null;
  }[];
  subjects: { key: string; name: string; type: string; suppressed: boolean; score: number | null; rank: number | null }[];
  subject: { key: string; name: string; score: number | null; respondents: number } | null;
  school: { key: string; score: number | null } | null;
}

describe('results pages in Chromium', () => {
  it('district and school pages for the office: charts drawn, tables hold the API numbers, at desktop and phone widths', async () => {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      const context = await loggedIn(DEMO_LOGIN.username, DEMO_LOGIN.password, viewport);
      const page = await context.newPage();
      const res = await page.goto(`${server.url}/results`);
      expect(res!.status()).toBe(200);
      const painted = await paintedCanvases(page);
      expect(painted.length).toBeGreaterThanOrEqual(2);
      for (const p of painted) expect(p).toBeGreaterThan(200);
      // the first chart is satisfaction by school in the newest round: its table matches the API
      const href = await page.locator('section.card h2 a').first().getAttribute('href');
      const roundId = href!.split('/').pop()!;
      const results = await api<Results>(context, `/api/v1/rounds/${roundId}/results?level=district`);
      // highest first, each with its 95% interval and n, the district figure beside it
      const firstTable = page.locator('figure.chart').first().locator('table.chart-table tbody tr');
      expect(await firstTable.count()).toBe(results.schools.length);
      const sorted = sortByFigure(results.schools, 'satisfaction');
      const shares = sorted.map((s) => s.satisfaction).filter((v) => v !== null);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
      for (const [i, s] of sorted.entries()) {
        const cells = await firstTable.nth(i).locator('th, td').allTextContents();
        expect(cells).toEqual([s.name, formatValue(s.satisfaction, true), formatInterval(s.satisfactionCi95, true) ?? '—', formatValue(results.district.satisfaction, true), String(s.respondents)]);
      }
      await shoot(page, `district-${width}`);
      // the round's page: each school's difference from the district mean, in percentage points
      await page.goto(`${server.url}/results/${roundId}`);
      expect(await paintedCanvases(page)).toSatisfy((c: number[]) => c.length > 0 && c.every((p) => p > 200));
      const diff = page.locator('figure.chart', { hasText: '各校满意率与学区平均之差' }).locator('table.chart-table tbody tr');
      expect(await diff.count()).toBe(results.schools.length);
      const top = await diff.first().locator('td').first().textContent();
      expect(top).toBe(formatValue(Math.round((sorted[0]!.satisfaction! - results.district.satisfaction!) * 100 * 1000) / 1000, false, true));
      await shoot(page, `round-${width}`);

      // the released round's first school: every teacher's rank and score as the API has them
      const rounds = await api<{ rounds: { id: string; status: string; title: string }[] }>(context, '/api/v1/rounds');
      // last spring's student round (the demo's 民主评议 is released too; it rates the school leaders)
      const past = rounds.rounds.find((r) => r.status === 'released' && r.title.includes('学生评教'))!;
      const district = await api<Results>(context, `/api/v1/rounds/${past.id}/results?level=district`);
      const school = district.schools.find((s) => s.name === '巷道中心小学')!;
      const detail = await api<Results>(context, `/api/v1/rounds/${past.id}/results?level=school&schoolId=${school.key}`);
      await page.goto(`${server.url}/results/${past.id}/schools/${school.key}`);
      const canvases = await paintedCanvases(page);
      expect(canvases.length).toBeGreaterThanOrEqual(2);
      for (const p of canvases) expect(p).toBeGreaterThan(200);
      const rows = page.locator('[data-testid=teachers] tbody tr');
      const teachers = detail.subjects.filter((s) => s.type === 'staff');
      expect(await rows.count()).toBe(teachers.length);
      for (const [i, s] of teachers.entries()) {
        const cells = await rows.nth(i).locator('td').allTextContents();
        expect(cells[0]).toContain(s.name);
        // office view: below-threshold teachers are shown but marked; numbers as the API gives them
        expect(cells[1]).toBe(s.rank === null ? '—' : String(s.rank));
        expect(cells[3]).toBe(formatValue(s.score, false) ?? '—');
      }
      // sorting by name and searching work in the browser
      await page.locator('[data-testid=teachers] thead button').first().click();
      await page.getByPlaceholder('输入姓名筛选').fill(teachers[0]!.name);
      expect(await rows.count()).toBe(1);
      await page.getByPlaceholder('输入姓名筛选').fill('');
      await shoot(page, `school-${width}`);
      await context.close();
    }
  });

  it('a teacher sees their own page with school and district beside it, and 403 for a colleague', async () => {
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      const context = await loggedIn(DEMO_TEACHER.username, DEMO_TEACHER.password, viewport);
      const page = await context.newPage();
      await page.goto(`${server.url}/results`);
      await page.locator('main a[href*="/teachers/"]').first().click();
      await page.waitForSelector('[data-testid=teacher-summary]');
      const [, , roundId, , staffId] = new URL(page.url()).pathname.split('/');
      const mine = await api<Results>(context, `/api/v1/rounds/${roundId}/results?level=subject&subjectId=${staffId}`);
      const painted = await paintedCanvases(page);
      expect(painted.length).toBeGreaterThanOrEqual(2);
      for (const p of painted) expect(p).toBeGreaterThan(200);
      const row = await page.locator('[data-testid=teacher-summary] tbody tr').first().locator('th, td').allTextContents();
      expect(row[0]).toContain(mine.subject!.name);
      expect(row.slice(1, 3)).toEqual([String(mine.subject!.respondents), formatValue(mine.subject!.score, false)]);
      const schoolRow = await page.locator('[data-testid=teacher-summary] tbody tr').nth(1).locator('td').allTextContents();
      expect(schoolRow[1]).toBe(formatValue(mine.school!.score, false));
      await shoot(page, `teacher-${width}`);
      if (width === 'desktop') {
        const office = await loggedIn(DEMO_LOGIN.username, DEMO_LOGIN.password, viewport);
        const school = await api<Results>(office, `/api/v1/rounds/${roundId}/results?level=school&schoolId=${mine.school!.key}`);
        await office.close();
        const colleague = school.subjects.find((s) => s.type === 'staff' && s.key !== staffId)!;
        const res = await page.goto(`${server.url}/results/${roundId}/teachers/${colleague.key}`);
        expect(res!.status()).toBe(403);
        await page.waitForSelector('[data-testid=forbidden]');
        const report = await page.goto(`${server.url}/results/${roundId}/teachers/${staffId}/report`);
        expect(report!.status()).toBe(200);
        expect(await paintedCanvases(page)).toSatisfy((c: number[]) => c.length > 0 && c.every((p) => p > 200));
      }
      await context.close();
    }
  });

  it('the demo teacher’s workspace: two open tasks, their released results, their assessment and its 公示 page', async () => {
    const context = await loggedIn(DEMO_TEACHER.username, DEMO_TEACHER.password, VIEWPORTS.phone);
    const page = await context.newPage();
    await page.goto(`${server.url}/me`);
    // the open 六查六看 round: the colleague ballot on the head teachers and their own report, neither done
    expect(await page.locator('li[data-task=colleague] a.button').count()).toBe(1);
    expect(await page.locator('li[data-task=self] a.button').count()).toBe(1);
    expect(await page.locator('section[aria-labelledby=results] a[href*="/teachers/"]').count()).toBeGreaterThanOrEqual(1);
    const summary = page.locator('.assessment-summary');
    expect(await summary.count()).toBe(1);
    expect(await summary.locator('strong').first().textContent()).toMatch(/优秀|合格|基本合格|不合格/);
    const gongshi = await summary.locator('a[href^="/gongshi/"]').getAttribute('href');
    await shoot(page, 'workspace-phone');
    const res = await page.goto(`${server.url}${gongshi}`);
    expect(res!.status()).toBe(200);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThanOrEqual(40);
    await context.close();
  });

  it('a school admin is told results are not released yet for the open round, and cannot open another school', async () => {
    const context = await loggedIn(DEMO_SCHOOL_ADMIN.username, DEMO_SCHOOL_ADMIN.password, VIEWPORTS.desktop);
    const rounds = await api<{ rounds: { id: string; status: string; title: string }[] }>(context, '/api/v1/rounds');
    const openRound = rounds.rounds.find((r) => r.status === 'open' && r.title.includes('家长满意度'))!;
    const past = rounds.rounds.find((r) => r.status === 'released' && r.title.includes('学生评教'))!;
    const page = await context.newPage();
    await page.goto(`${server.url}/results/${openRound.id}`);
    await expect(page.locator('[data-testid=not-released]').textContent()).resolves.toContain('结果尚未向您发布');
    const office = await loggedIn(DEMO_LOGIN.username, DEMO_LOGIN.password, VIEWPORTS.desktop);
    const all = await api<Results>(office, `/api/v1/rounds/${past.id}/results?level=district`);
    await office.close();
    const other = all.schools.find((s) => s.name === '槐山小学')!;
    const res = await page.goto(`${server.url}/results/${past.id}/schools/${other.key}`);
    expect(res!.status()).toBe(403);
    await context.close();
  });
});
