/**
 * The answering page of every definition of the SurveyJS corpus opens in Chromium at 390×844
 * without a page error, and a localized form in its zh-cn texts (one server, one browser, two pages
 * at a time: sized for a 2-core machine). Import, answers and results are covered in
 * tests/integration/surveyjs-corpus.test.ts.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { bearerApi, launchBrowser, startServer, type RunningServer } from '../helpers/server';
import { CORPUS } from '../helpers/surveyjs-corpus';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
let key: string;
const links = new Map<string, string>();

const api = bearerApi(() => ({ url: server.url, key }));

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-corpus');
  key = await demo.apiKey('office', '巷道学区', 'corpus');
  server = await startServer(demo.env);
  browser = await launchBrowser();

  const templates: { file: string; id: string }[] = [];
  for (const { file, definition } of CORPUS) templates.push({ file, id: (await api('POST', '/api/v1/templates', { kind: 'other', name: file, definition })).id as string });
  const year = (await api('GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] };
  for (let start = 0; start < templates.length; start += 20) {
    const batch = templates.slice(start, start + 20);
    const { id: roundId } = (await api('POST', '/api/v1/rounds', {
      title: `语料 ${start / 20 + 1}`,
      schoolYear: year.rounds[0]!.schoolYear,
      term: 1,
      units: ['槐山小学'],
      opensAt: new Date(Date.now() - 3_600_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
      forms: batch.map((t) => ({ templateId: t.id, raterGroup: 0, subjectMode: 'school' })),
    })) as { id: string };
    await api('POST', `/api/v1/rounds/${roundId}/actions`, { action: 'open' });
    const round = (await api('GET', `/api/v1/rounds/${roundId}`)) as { forms: { id: string; template: string }[] };
    for (const form of round.forms) {
      await api('POST', `/api/v1/rounds/${roundId}/links`, { kind: 'class', formId: form.id });
      const list = (await api('GET', `/api/v1/rounds/${roundId}/links?kind=class`)) as { links: { formId: string; url: string }[] };
      const file = form.template; // templates are named after their corpus file
      links.set(file, list.links.find((l) => l.formId === form.id)!.url);
    }
  }
}, 2_400_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

/** The first title on the first page written in several languages, with different zh-cn and default texts. */
function localizedTitle(definition: Record<string, unknown>): { zh: string; other: string } | null {
  const pages = (definition.pages as { elements?: { title?: unknown }[] }[] | undefined) ?? [];
  for (const el of pages[0]?.elements ?? []) {
    const t = el.title as Record<string, string> | undefined;
    if (t && typeof t === 'object' && t['zh-cn'] && t.default && t['zh-cn'] !== t.default) return { zh: t['zh-cn'], other: t.default };
  }
  return null;
}

describe('the answering page of every corpus definition', () => {
  it('opens at 390×844 and starts SurveyJS without a page error; a localized form shows its zh-cn texts', async () => {
    let localized = 0;
    const open = async ({ file, definition }: (typeof CORPUS)[number]) => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(links.get(file)!);
      await page.waitForSelector('.sd-page', { timeout: 60_000 });
      // the first touch loads SurveyJS over the server-rendered first page
      await page.locator('.sd-page').first().click({ position: { x: 2, y: 2 } });
      await page.waitForSelector('.sd-root-modern', { timeout: 60_000 });
      await page.waitForLoadState('networkidle');
      expect(errors, file).toEqual([]);
      const title = localizedTitle(definition);
      if (title) {
        // SurveyJS picks zh-cn, then default
        const text = await page.locator('.sd-page').first().innerText();
        expect(text, file).toContain(title.zh);
        expect(text, file).not.toContain(title.other);
        localized++;
      }
      await page.close();
    };
    // two pages at a time: one per core
    const queue = [...CORPUS];
    await Promise.all([0, 1].map(async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await open(next);
    }));
    expect(localized).toBeGreaterThan(0);
  }, 900_000);
});
