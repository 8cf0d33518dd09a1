// Attacks 6, 7 and 8 of issue 14, performed through the running production server in Chromium.
//  6. traces on the device: a second respondent of the same class link in the same browser profile
//     must not read the first one's unsent answers; after a submission or "not my device" the
//     browser keeps nothing of the answers, the idempotency key or the receipt;
//  7. stored XSS through a questionnaire: script in an html question, a title with markup, a *Html
//     property, an onerror image, a javascript: link and markup built by a SurveyJS expression must
//     run neither in the office's preview nor on the answering page — with the page's CSP, and also
//     with CSP bypassed (the sanitiser alone) — and the CSP must carry a nonce and no 'unsafe-inline'
//     for scripts;
//  8. open redirect after login: every `next` payload lands on the site.
// And, found since: fields in the address bar: a form submitted before the page's JavaScript has run (a slow phone;
//     here JavaScript is off, so "before" lasts) must not be sent natively as a GET with its fields
//     in the URL — the login's password, a complaint's phone number, a parent's answers beside the
//     link's token — where the history, proxies and the server's logs keep them.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { launchBrowser, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let browser: Browser;
let demo: DemoDatabase;
let key: string;
let xssTemplateId: string;
let xssLink: string;
let plainLink: string;
/** a round of its own for the test that submits through the first page */
let liftLink: string;

/** JavaScript that records that it ran and, with an office session, creates an office account. */
const payload = (label: string) =>
  `window.__pwned=(window.__pwned||[]).concat('${label}');` +
  `fetch('/api/v1/users',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({username:'pwned_${label}',role:'office',unit:'巷道学区'})})`;

const XSS_FORM = {
  title: '家长问卷<img src="x" onerror="' + payload('survey_title') + '">',
  completedHtml: '<h3>谢谢</h3><img src="x" onerror="' + payload('completed_html') + '">',
  completedBeforeHtml: '<script>' + payload('completed_before_html') + '</script>',
  loadingHtml: { default: '<svg onload="' + payload('loading_html') + '"></svg>', 'zh-cn': '<img src=x onerror="' + payload('loading_html_zh') + '">' },
  // markup built at render time from harmless-looking pieces: only a sanitiser after SurveyJS's text processing sees it
  calculatedValues: [{ name: 'built', expression: "'<img src=x onerr' + 'or=window.__pwnedExpression=1>'" }],
  pages: [
    {
      name: 'p1',
      elements: [
        {
          type: 'html',
          name: 'intro',
          html:
            '<p id="html-ok">请如实填写。</p>' +
            '<script>' + payload('script') + '</script>' +
            '<img id="img-handler" src="x" onerror="' + payload('img_onerror') + '">' +
            '<a id="js-link" href="javascript:' + payload('javascript_link') + '">说明</a>' +
            '<svg><animate onbegin="' + payload('svg') + '" attributeName="x" dur="1s"></animate></svg>' +
            '<iframe srcdoc="<script>parent.__pwned=[\'iframe\']</script>"></iframe>' +
            '<div id="built">{built}</div><div id="defaulted">{note}</div>',
        },
        { type: 'text', name: 'note', title: '备注', defaultValue: '<img src=x onerror="' + payload('default_value') + '">' },
        {
          type: 'radiogroup',
          name: 'overall',
          title: '总体满意度<img src="x" onerror="' + payload('question_title') + '">',
          description: '<b onmouseover="' + payload('description') + '">说明</b>',
          choices: [
            { value: 'yes', text: '满意<img src=x onerror="' + payload('choice_text') + '">' },
            { value: 'no', text: '不满意' },
          ],
        },
      ],
    },
  ],
};

const PLAIN_FORM = {
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

/** A round for the parents of 槐山小学 with one form, open now; returns the class link of 五年级(1)班. */
async function roundWith(title: string, templateId: string, schoolYear: string) {
  const { id: roundId } = (await api('POST', '/api/v1/rounds', {
    title,
    schoolYear,
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
  const list = (await api('GET', `/api/v1/rounds/${roundId}/links?kind=class&limit=500`)) as { links: { kind: string; url: string; className: string | null }[] };
  return list.links.find((l) => l.kind === 'class' && l.className === '五年级(1)班')!.url;
}

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('security-browser');
  key = await demo.apiKey('office', '巷道学区', 'security');
  server = await startServer(demo.env);
  browser = await launchBrowser();

  const schoolYear = ((await api('GET', '/api/v1/rounds')) as { rounds: { schoolYear: string }[] }).rounds[0]!.schoolYear;
  xssTemplateId = ((await api('POST', '/api/v1/templates', { kind: 'other', name: '带脚本的问卷', definition: XSS_FORM })) as { id: string }).id;
  const plainTemplateId = ((await api('POST', '/api/v1/templates', { kind: 'other', name: '普通问卷', definition: PLAIN_FORM })) as { id: string }).id;
  xssLink = await roundWith('脚本测评', xssTemplateId, schoolYear);
  plainLink = await roundWith('草稿测评', plainTemplateId, schoolYear);
  liftLink = await roundWith('提前作答测评', plainTemplateId, schoolYear);
}, 1_200_000);

// browser tests on a shared 2-core machine: minutes, not the default 60 s
vi.setConfig({ testTimeout: 240_000 });

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await demo?.dispose();
});

/** A fresh browser profile; the shared 2-core machine is slow, so waits are generous. */
async function newContext(options: Parameters<Browser['newContext']>[0] = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(90_000);
  context.setDefaultNavigationTimeout(90_000);
  return context;
}

/** Records CSP violations from the first script on (init scripts are not subject to the page's CSP). */
async function watchViolations(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

async function login(page: Page) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('用户名').fill(DEMO_LOGIN.username);
  await page.getByLabel('密码').fill(DEMO_LOGIN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** What the payloads could have left behind in the page. */
async function traces(page: Page) {
  // give image errors, SVG animations and fetches time to happen
  await page.waitForTimeout(1500);
  const link = page.locator('#js-link');
  if (await link.count()) await link.click({ force: true });
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const w = window as unknown as { __pwned?: string[]; __pwnedExpression?: number };
    return {
      ran: [...(w.__pwned ?? []), ...(w.__pwnedExpression ? ['expression'] : [])],
      onHandlers: Array.from(document.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}.${a.name}`)),
      javascriptUrls: Array.from(document.querySelectorAll('[href],[src],[action],[formaction]')).filter((el) => /javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? '')).length,
      iframes: document.querySelectorAll('main iframe').length,
    };
  });
}

const users = async () => ((await api('GET', '/api/v1/users?limit=500')) as { users: { username: string }[] }).users.map((u) => u.username);

describe('attack 7: stored XSS through a questionnaire', () => {
  it('the stored definition is sanitised on import: no handler, script or javascript: URL survives in any string', async () => {
    const v = (await api('GET', `/api/v1/templates/${xssTemplateId}/versions/1`)) as { definition: Record<string, unknown> };
    const text = JSON.stringify(v.definition);
    expect(text).not.toMatch(/onerror|onload|onbegin|onmouseover/i);
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/javascript:/i);
    expect(text).not.toMatch(/<iframe/i);
    // harmless markup and plain text are kept as they were
    expect(text).toContain('<p id=\\"html-ok\\">请如实填写。</p>');
    expect(text).toContain('<h3>谢谢</h3>');
  });

  for (const bypassCSP of [false, true]) {
    const how = bypassCSP ? 'with the CSP bypassed (the sanitiser alone)' : 'with the page’s CSP';
    it(`nothing runs in the office's preview ${how}`, async () => {
      const context = await newContext({ viewport: { width: 1280, height: 900 }, bypassCSP });
      await watchViolations(context);
      const page = await context.newPage();
      await login(page);
      await page.goto(`${server.url}/templates/${xssTemplateId}`);
      await page.locator('[data-testid=preview] #html-ok').waitFor();
      const found = await traces(page);
      expect(found.ran).toEqual([]);
      expect(found.onHandlers).toEqual([]);
      expect(found.javascriptUrls).toBe(0);
      expect(found.iframes).toBe(0);
      // the markup built by the expression was rendered, without its handler
      await expect(page.locator('[data-testid=preview] #built img').count()).resolves.toBe(1);
      expect(await users()).not.toEqual(expect.arrayContaining([expect.stringMatching(/^pwned_/)]));
      await context.close();
    });

    it(`nothing runs on the answering page ${how}`, async () => {
      const context = await newContext({ viewport: { width: 390, height: 844 }, bypassCSP });
      await watchViolations(context);
      const page = await context.newPage();
      await page.goto(xssLink);
      await page.locator('#html-ok').waitFor();
      const found = await traces(page);
      expect(found.ran).toEqual([]);
      expect(found.onHandlers).toEqual([]);
      expect(found.javascriptUrls).toBe(0);
      expect(found.iframes).toBe(0);
      // the titles with markup are shown as text, not as elements
      await expect(page.locator('.sd-question__title img, .sd-item img, .sd-title img').count()).resolves.toBe(0);
      await context.close();
    });
  }

  it('pages carry a CSP with a fresh nonce on every script and no unsafe-inline for scripts; the browser enforces it', async () => {
    const nonces = new Set<string>();
    for (const p of [new URL(plainLink).pathname, '/login', '/', `/gongshi/00000000-0000-4000-8000-000000000000`]) {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${server.url}${p}`, { redirect: 'manual' });
        const csp = res.headers.get('content-security-policy') ?? '';
        const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
        expect(scriptSrc, p).not.toContain("'unsafe-inline'");
        expect(scriptSrc, p).not.toContain("'unsafe-eval'");
        const nonce = /'nonce-([A-Za-z0-9+/=_-]+)'/.exec(scriptSrc)?.[1];
        expect(nonce, `${p}: ${csp}`).toBeTruthy();
        nonces.add(nonce!);
        const html = await res.text();
        // every script the page brings has the request's nonce
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length, p).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag, p).toContain(`nonce="${nonce}"`);
      }
    }
    expect(nonces.size).toBe(8);

    // an injected inline handler is refused by the browser, and the page itself raised no violation
    const context = await newContext({ viewport: { width: 390, height: 844 } });
    await watchViolations(context);
    const page = await context.newPage();
    await page.goto(plainLink);
    await page.locator('.sd-rating__item-text', { hasText: '4' }).first().click();
    await page.waitForSelector('.sd-root-modern:not([data-static])');
    await page.waitForLoadState('networkidle');
    // (SurveyJS's stylesheet also asks for Open Sans from Google's font servers, which font-src 'self'
    // refuses — as before nonces; the system font is used)
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(violations.filter((v) => /^(script|style)-src/.test(v))).toEqual([]);
    // SurveyJS's stylesheet is applied to the form it rendered
    const mobileWidth = await page.evaluate(() => getComputedStyle(document.querySelector('.sd-root-modern:not([data-static])')!).getPropertyValue('--sd-mobile-width'));
    expect(mobileWidth.trim()).toBe('600px');
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img src="x" onerror="window.__inline=1">'));
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    expect((await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).join()).toContain('script-src');
    await context.close();
  });
});

/** Everything the page's origin keeps in the browser: localStorage, sessionStorage and cookies. */
async function stored(page: Page) {
  const storage = await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }));
  const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`);
  return { ...storage, cookies, all: JSON.stringify(storage) + cookies.join(';') };
}

async function answerPlain(page: Page, score: string) {
  await page.locator('.sd-rating__item-text', { hasText: score }).first().click();
  await page.getByText('安全', { exact: true }).click();
}

describe('attack 6: traces on the device', () => {
  it('a second respondent of the same class link in the same browser profile cannot read the first one’s unsent answers', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 } });
    const first = await context.newPage();
    await first.goto(plainLink);
    await first.locator('.sd-rating__item-text', { hasText: '4' }).first().click();
    await first.getByText('不安全', { exact: true }).click();
    // the first respondent's draft survives a reload of their own page
    await first.waitForTimeout(300);
    await first.reload();
    await expect(first.locator('.sd-rating__item--selected').textContent()).resolves.toBe('4');

    // the next respondent, same profile: a new tab, then after the first tab is closed
    for (const closeFirst of [false, true]) {
      if (closeFirst) await first.close();
      const next = await context.newPage();
      await next.goto(plainLink);
      await next.locator('.sd-rating__item-text').first().waitFor();
      await expect(next.locator('.sd-rating__item--selected').count()).resolves.toBe(0);
      await expect(next.locator('.sd-item--checked').count()).resolves.toBe(0);
      const s = await stored(next);
      expect(s.all).not.toContain('score');
      expect(s.all).not.toContain('"no"');
      await next.close();
    }
    await context.close();
  });

  it('after a submission the device keeps nothing of the answers, the idempotency key or the receipt', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(plainLink);
    await answerPlain(page, '5');
    await page.waitForTimeout(300);
    const before = await stored(page);
    // the draft exists while answering (so the check below is not vacuous), with the key in it
    const draftKey = /"idempotencyKey":"([0-9a-f]+)"/.exec(before.all.replace(/\\"/g, '"'))?.[1];
    expect(draftKey).toBeTruthy();
    expect(before.local).toEqual({});
    await page.getByRole('button', { name: '提交' }).click();
    const receipt = /回执编号：(\S+)/.exec((await page.locator('.thanks').textContent())!)![1]!;
    const after = await stored(page);
    expect(after.all).not.toContain('score');
    expect(after.all).not.toContain(draftKey);
    expect(after.all).not.toContain(receipt);
    // what remains is only that this device has answered (the class link says so on return)
    expect(Object.values(after.local).every((v) => v === '1')).toBe(true);
    expect(after.session).toEqual({});
    await page.reload();
    await expect(page.locator('.notice p').first().textContent()).resolves.toBe('您已在此设备上提交过本问卷。');
    await context.close();
  });

  it('"not my device" clears the answers while answering and after a submission', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(plainLink);
    await page.locator('.sd-rating__item-text', { hasText: '2' }).first().click();
    await page.waitForTimeout(300);
    expect((await stored(page)).all).toContain('score');
    await page.getByRole('button', { name: '不是我的设备？清除本机上的答案' }).click();
    await page.getByRole('status').filter({ hasText: '已清除本机上的答案。' }).waitFor();
    await expect(page.locator('.sd-rating__item--selected').count()).resolves.toBe(0);
    expect((await stored(page)).all).not.toContain('score');

    await answerPlain(page, '3');
    await page.getByRole('button', { name: '提交' }).click();
    await page.locator('.thanks').waitFor();
    await page.getByRole('button', { name: '不是我的设备？清除本机上的答案' }).click();
    await page.getByRole('status').filter({ hasText: '已清除本机上的答案。' }).waitFor();
    const s = await stored(page);
    expect(s.local).toEqual({});
    expect(s.session).toEqual({});
    expect(s.cookies.filter((c) => c.startsWith('pingyi_'))).toEqual([]);
    // the next person on this computer gets a fresh form, not "answered on this device"
    await expect(page.locator('.notice').count()).resolves.toBe(0);
    await expect(page.locator('.sd-rating__item-text').first().isVisible()).resolves.toBe(true);
    await context.close();
  });
});

describe('attack 8: open redirect after login', () => {
  const PAYLOADS = ['/%5Cexample.org', '//example.org', 'https://example.org', '/\\example.org', '%2F%2Fexample.org', '/%09/example.org', '/..//example.org', '/\\/example.org', 'javascript:alert(1)'];

  it('every next= payload lands on the site after a real login, and again when already logged in', async () => {
    const context = await newContext();
    // an off-site page answers, so following the redirect would visibly land there
    await context.route((url) => url.hostname === 'example.org', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>offsite</h1>' }));
    const page = await context.newPage();
    const origin = new URL(server.url).origin;
    for (const next of PAYLOADS) {
      try {
        await context.clearCookies();
        await page.goto(`${server.url}/login?next=${next}`);
        await page.getByLabel('用户名').fill(DEMO_LOGIN.username);
        await page.getByLabel('密码').fill(DEMO_LOGIN.password);
        await page.getByRole('button', { name: '登录' }).click();
        await page.waitForURL((u) => u.pathname !== '/login' || u.origin !== origin);
        await page.waitForLoadState('load');
        expect(new URL(page.url()).origin).toBe(origin);
        expect(new URL(page.url()).pathname).toBe('/account');
        // logged in: the login page redirects at once
        await page.goto(`${server.url}/login?next=${next}`);
        expect(new URL(page.url()).origin).toBe(origin);
        expect(new URL(page.url()).pathname).toBe('/account');
      } catch (err) {
        throw new Error(`next=${next} (now at ${page.url()}): ${(err as Error).message}`);
      }
    }
    // a same-site path is still honoured
    await context.clearCookies();
    await page.goto(`${server.url}/login?next=${encodeURIComponent('/rounds?x=1')}`);
    await page.getByLabel('用户名').fill(DEMO_LOGIN.username);
    await page.getByLabel('密码').fill(DEMO_LOGIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.url}/rounds?x=1`);
    await context.close();
  });
});

describe('fields in the address bar before the page is live', () => {
  it('the login and the complaint form send nothing before hydration: no field reaches a URL', async () => {
    const context = await newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    // a native GET submission navigates within milliseconds; 2 s without one is a pass
    const navigatesWithQuery = () => page.waitForURL((u) => u.search.length > 1, { timeout: 2_000 }).then(() => true, () => false);

    await page.goto(`${server.url}/login`);
    await page.getByLabel('用户名').fill(DEMO_LOGIN.username);
    await page.getByLabel('密码').fill(DEMO_LOGIN.password);
    await expect(page.getByRole('button', { name: '登录' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('密码').press('Enter');
    expect(await navigatesWithQuery()).toBe(false);
    await page.getByRole('button', { name: '登录' }).click({ force: true });
    expect(await navigatesWithQuery()).toBe(false);

    await page.goto(`${server.url}/tousu`);
    await page.getByLabel('投诉内容').fill('家长投诉的内容');
    await page.locator('input[name=contact]').fill('13800138000');
    await page.locator('input[name=contact]').press('Enter');
    expect(await navigatesWithQuery()).toBe(false);
    await page.locator('form.complaint-form button[type=submit]').click({ force: true });
    expect(await navigatesWithQuery()).toBe(false);

    for (const secret of [DEMO_LOGIN.password, '13800138000', 'contact=', 'password=', 'body=']) {
      expect(urls.filter((u) => u.includes(secret) || u.includes(encodeURIComponent(secret))), secret).toEqual([]);
    }
    await context.close();
  });

  it('the answering page’s first page sends nothing before hydration: no answer beside the token in a URL', async () => {
    const context = await newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(plainLink);
    // the server-rendered first page is answerable without JavaScript …
    await page.locator('label.sd-rating__item', { hasText: '5' }).click();
    await page.getByText('安全', { exact: true }).click();
    const submit = page.locator('[data-static] button[type=submit]');
    await expect(submit.isDisabled()).resolves.toBe(true);
    // … but neither Enter nor a click on its button submits it natively
    await page.locator('input[name=safe][value=yes]').press('Enter');
    await submit.click({ force: true });
    await expect(page.waitForURL((u) => u.search.length > 1, { timeout: 2_000 }).then(() => true, () => false)).resolves.toBe(false);
    expect(urls.filter((u) => /[?&](score|safe)=/.test(u))).toEqual([]);
    await context.close();
  });

  it('a choice made before hydration still counts: the first page reads its own form when it submits', async () => {
    const context = await newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    // the page's scripts are held back until the choices are made, so they are made before hydration
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await page.route((u) => u.pathname.endsWith('.js'), async (route) => {
      await gate;
      await route.continue();
    });
    const bodies: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/respond/')) bodies.push(r.postData() ?? '');
    });
    await page.goto(liftLink, { waitUntil: 'domcontentloaded' });
    await page.locator('label.sd-rating__item', { hasText: '4' }).click();
    await page.getByText('安全', { exact: true }).click();
    await expect(page.locator('[data-static] button[type=submit]').isDisabled()).resolves.toBe(true);
    release();
    // Playwright's click waits for the button to be enabled, i.e. for React to have taken over
    await page.locator('[data-static] button[type=submit]').click();
    await expect(page.locator('.thanks h2').textContent({ timeout: 60_000 })).resolves.toBe('提交成功，感谢您的参与！');
    expect(bodies).toHaveLength(1);
    const { answers } = JSON.parse(bodies[0]!) as { answers: Record<string, { score: number; safe: string }> };
    expect(Object.values(answers)).toEqual([{ score: 4, safe: 'yes' }]);
    await context.close();
  });

  it('with JavaScript the same login goes through once the page is live', async () => {
    const context = await newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${server.url}/login?next=/rounds`);
    await page.getByLabel('用户名').fill(DEMO_LOGIN.username);
    await page.getByLabel('密码').fill(DEMO_LOGIN.password);
    await page.getByLabel('密码').press('Enter');
    await page.waitForURL(`${server.url}/rounds`);
    await context.close();
  });
});
