import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

const require = createRequire(import.meta.url);
let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
let key: string;
let parentLink: string;
let codes: string[];

const FORM = {
  pages: [
    {
      name: 'p1',
      elements: [
        { type: 'rating', name: 'score', title: '总体满意度', rateMax: 5, displayMode: 'buttons', isRequired: true, pingyiScores: { '1': 20, '2': 40, '3': 60, '4': 80, '5': 100 } },
        { type: 'radiogroup', name: 'safe', title: '孩子在校是否安全', isRequired: true, choices: [{ value: 'yes', text: '安全' }, { value: 'no', text: '不安全' }] },
      ],
    },
  ],
};

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(`${server.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-answer');
  key = await demo.apiKey('office', '巷道学区', 'e2e');
  server = await startServer(demo.env);
  browser = await launchBrowser();

  const { id: templateId } = (await api('POST', '/api/v1/templates', { kind: 'other', name: '端到端问卷', definition: FORM })) as { id: string };
  const year = (await api('GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] };
  const { id: roundId } = (await api('POST', '/api/v1/rounds', {
    title: '端到端测评',
    schoolYear: year.rounds[0]!.schoolYear,
    term: 1,
    units: ['槐山小学'],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    raterGroups: [
      { kind: 'parent', name: '家长', weight: 50 },
      { kind: 'student', name: '学生', weight: 50 },
    ],
    forms: [
      { templateId, raterGroup: 0, subjectMode: 'school' },
      { templateId, raterGroup: 1, subjectMode: 'class_teachers' },
    ],
  })) as { id: string };
  await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
  const round = (await api('GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string; subjectMode: string }[] };
  const parentForm = round.forms.find((f) => f.subjectMode === 'school')!.id;
  const studentForm = round.forms.find((f) => f.subjectMode === 'class_teachers')!.id;
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId: parentForm });
  const classes = (await api('GET', '/api/v1/classes?limit=500')) as { classes: { id: string; name: string; schoolName: string }[] };
  const fifth = classes.classes.find((c) => c.schoolName === '槐山小学' && c.name === '五年级(1)班')!;
  await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'code', formId: studentForm, classId: fifth.id, count: 3 });
  const list = (await api('GET', `/api/v1/rounds/${roundId}/links?limit=500`)) as { links: { kind: string; url: string; className: string | null }[] };
  parentLink = list.links.find((l) => l.kind === 'class' && l.className === '五年级(1)班')!.url;
  codes = list.links.filter((l) => l.kind === 'code').map((l) => l.url);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

async function answer(page: Page, score: string) {
  await page.locator('.sd-rating__item-text', { hasText: score }).first().click();
  await page.getByText('安全', { exact: true }).click();
}

describe('answering on a phone', () => {
  it('a parent opens the class link at 390×844, answers, submits and sees the thank-you page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(parentLink);
    await expect(page.locator('h1').textContent()).resolves.toBe('端到端测评');
    await expect(page.locator('.answer > .muted').textContent()).resolves.toBe('槐山小学 · 五年级(1)班');
    await answer(page, '4');
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.locator('.thanks h2').textContent()).resolves.toBe('提交成功，感谢您的参与！');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // the same device is told it has answered, and may answer again for a second child
    await page.reload();
    await expect(page.locator('.notice p').textContent()).resolves.toBe('您已在此设备上提交过本问卷。');
    await page.close();
  });

  it('a student rates each of their teachers in one sitting; the used code is then refused', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    await page.goto(codes[0]!);
    const progress = page.locator('.subject');
    const first = (await progress.textContent())!;
    const total = Number(/第 1\/(\d+) 位/.exec(first)![1]);
    expect(total).toBeGreaterThanOrEqual(3);
    for (let i = 1; i <= total; i++) {
      // the next teacher is drawn after the click: wait for the counter rather than read it once
      await expect.poll(() => progress.textContent(), { timeout: 15_000 }).toContain(`第 ${i}/${total} 位`);
      await answer(page, '5');
      await page.getByRole('button', { name: i < total ? '下一位' : '提交' }).click();
    }
    await expect(page.locator('.thanks h2').textContent()).resolves.toBe('提交成功，感谢您的参与！');
    const again = await browser.newPage();
    await again.goto(codes[0]!);
    await expect(again.locator('[data-reason=code_used] p').textContent()).resolves.toBe('此编码已使用过，每个编码只能填写一次。');
    await again.close();
    await page.close();
  });

  it('a reload restores a half-filled draft', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(codes[1]!);
    await answer(page, '3');
    await page.getByRole('button', { name: '下一位' }).click();
    await expect(page.locator('.subject').textContent()).resolves.toContain('第 2/');
    await page.locator('.sd-rating__item-text', { hasText: '2' }).first().click();
    await page.reload();
    await expect(page.locator('.subject').textContent()).resolves.toContain('第 2/');
    await expect(page.locator('.sd-rating__item--selected').textContent()).resolves.toBe('2');
    await page.close();
  });

  it('the answering page passes axe-core with no serious or critical violations', async () => {
    // axe is injected as an inline script, which the page's CSP refuses: the test's own tool, not the page's
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: true });
    await page.goto(codes[2]!);
    await page.waitForSelector('.sd-rating__item-text');
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe.run(document, {
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, count: v.nodes.length }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.close();
  });

  it('an unknown code gets a clear page', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/s/ABCDEFGHJKMN`);
    await expect(page.locator('[data-reason=unknown_code] p').textContent()).resolves.toBe('链接或编码无效，请核对后重试。');
    await page.close();
  });
});
