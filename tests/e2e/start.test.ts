import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { openDatabase } from '@/lib/db/client';
import { dropPgDatabase, freshPgDatabase, onPostgres } from '../helpers/db';
import { dbEnv, runCli } from '../helpers/cli';
import { databaseUrl } from '../helpers/pg';
import { launchBrowser, startServer } from '../helpers/server';

let target: { dataDir: string } | { url: string };
let pgName: string | undefined;
let tmp: string;
let browser: Browser;

beforeAll(async () => {
  await ensureBuild();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingyi-e2e-'));
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
  if (pgName) await dropPgDatabase(process.env.DATABASE_URL!, pgName);
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function countResponses(): Promise<number> {
  const h = 'url' in target ? await openDatabase({ kind: 'postgres', url: target.url }) : await openDatabase({ kind: 'pglite', dataDir: target.dataDir });
  try {
    const [row] = await h.exec(`select count(*)::int as n from responses`);
    return Number(row!.n);
  } finally {
    await h.close();
  }
}

// a first start migrates and seeds the whole demo year before it serves: on a loaded 2-core machine
// that takes more than the default minute (startServer itself waits up to 240 s)
describe('npm start on a fresh database', () => {
  let seeded = 0;

  it('migrates, seeds the demo district, prints the demo login, serves the home page in Chinese, and stops cleanly', async () => {
    const server = await startServer(dbEnv(target));
    try {
      expect(server.output()).toMatch(/Seeded the demo district: 3 schools, 24 classes/);
      expect(server.output()).toMatch(/Demo office login: xiangdao \/ pingyi-demo-2026/);

      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health).toMatchObject({ status: 'ok', database: onPostgres ? 'postgres' : 'pglite', migrations: { current: true } });

      // an English browser still gets Chinese until the user switches
      const page = await browser.newPage({ viewport: { width: 360, height: 640 }, locale: 'en-US' });
      await page.goto(server.url);
      await expect(page.locator('h1').textContent()).resolves.toBe('巷道学区 · 评议平台');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
      // two open rounds: the parent round (one row per school) and the 六查六看 round
      expect(await page.locator('section.card').count()).toBe(2);
      const table = page.locator('section.card[aria-label*="家长满意度"] table tbody tr');
      expect(await table.count()).toBe(3);
      expect(await page.getByRole('columnheader', { name: '回收率' }).count()).toBe(2);
      // phone width: nothing wider than the screen at the page level
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      // the language switch is a plain form: English after one click, and it sticks
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForSelector('text=Open rounds');
      await page.reload();
      await expect(page.locator('h1').textContent()).resolves.toBe('巷道学区 · Pingyi');
      await page.close();
    } finally {
      const code = await server.stop('SIGTERM');
      expect(code).toBe(0);
      expect(server.output()).toMatch(/Stopped cleanly/);
    }
    seeded = await countResponses();
    expect(seeded).toBeGreaterThan(200);
  }, 240_000);

  it('a second start keeps the data: no re-seed, no lost rows; Ctrl-C stops it cleanly', async () => {
    const server = await startServer(dbEnv(target));
    try {
      expect(server.output()).not.toMatch(/Seeded/);
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('巷道学区');
    } finally {
      expect(await server.stop('SIGINT')).toBe(0);
    }
    expect(await countResponses()).toBe(seeded);
  }, 240_000);

  it('refuses to start when DATABASE_URL cannot be reached, with one clear line and a non-zero exit', async () => {
    const res = await runCli(['start'], { DATABASE_URL: 'postgres://pingyi@127.0.0.1:1/nowhere', PORT: '3999' });
    expect(res.code).not.toBe(0);
    const lines = res.stderr.split('\n').filter((l) => l.trim());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^pingyi: Cannot reach PostgreSQL at postgres:\/\/pingyi@127\.0\.0\.1:1\/nowhere/);
  });
});
