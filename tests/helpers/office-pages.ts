import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LOCALE_COOKIE } from '@/lib/i18n/config';

/**
 * The logged-in pages a role reaches: every entry of the side menu, and two levels beneath it the
 * first link of every other kind of page (a round, its slips, a school's results, a teacher's, a
 * template, an assessment year, the org tabs …), one of each shape (ids count as one shape). What
 * the axe test and `npm run screenshots` walk, so a new page is walked without being listed here.
 */
export async function pagesOf(page: Page, base: string, max = 40): Promise<string[]> {
  // every logged-in role may open the rounds or the results list; the side menu is on both
  await page.goto(`${base}/results`);
  await page.waitForSelector('.office-sider a[href^="/"]', { state: 'attached' }); // folded away on a phone
  const start = await page.evaluate(() => [...document.querySelectorAll<HTMLAnchorElement>('.office-sider a[href^="/"]')].map((a) => a.getAttribute('href')!));
  const shape = (href: string) => href.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/([?&](page|q)=)[^&]*/g, '');
  const skip = (href: string) => href.startsWith('/api/') || href.startsWith('/s/') || href.startsWith('/_next') || href === '/login' || /[?&](page|q)=/.test(href);
  const seen = new Map<string, string>();
  const add = (href: string) => {
    if (skip(href) || seen.size >= max) return false;
    const key = shape(href);
    if (seen.has(key)) return false;
    seen.set(key, href);
    return true;
  };
  start.forEach(add);
  // two levels down from the menu (list → detail → report), breadth first; pages that answer with
  // an error (a link the role may not follow) are left out
  const ok: string[] = [];
  let level = [...seen.values()];
  for (let depth = 0; depth <= 2 && level.length; depth++) {
    const next: string[] = [];
    for (const href of level) {
      const res = await page.goto(`${base}${href}`);
      if (!res || res.status() >= 400) continue;
      ok.push(href);
      if (depth === 2) continue;
      const links = await page.evaluate(() => [...document.querySelectorAll<HTMLAnchorElement>('a[href^="/"]:not([download])')].map((a) => a.getAttribute('href')!));
      for (const l of links) if (add(l)) next.push(l);
    }
    level = next;
  }
  return ok;
}

/** A browser context logged in as a user, in a language, at a size. */
export async function loggedInContext(
  browser: Browser,
  base: string,
  login: { username: string; password: string },
  opts: { locale: 'zh-CN' | 'en'; viewport: { width: number; height: number }; bypassCSP?: boolean },
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: opts.viewport, locale: opts.locale, bypassCSP: opts.bypassCSP });
  await context.addCookies([{ name: LOCALE_COOKIE, value: opts.locale, url: base }]);
  const res = await context.request.post(`${base}/api/v1/session`, { data: login, headers: { origin: base } });
  if (res.status() !== 200) throw new Error(`login ${login.username}: ${res.status()}`);
  return context;
}
