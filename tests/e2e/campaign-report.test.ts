/**
 * The campaign report page and the office's landing page on the production server (`pingyi start`
 * on a seeded demo): the office lands on /account and sees the current campaign (the demo's, whose
 * phases are around today) with a link to its report; the report page renders every section, and
 * once the office sets the compared rounds (PATCH, as the edit form does) the before/after tables;
 * a school admin's report lists their school only; a teacher is turned away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuild } from '@/lib/cli/build';
import { DEMO_LOGIN, DEMO_SCHOOL_ADMIN, DEMO_TEACHER } from '@/lib/seed/demo';
import { demoDatabase, type DemoDatabase } from '../helpers/demo';
import { bearerApi, startServer, type RunningServer } from '../helpers/server';

let server: RunningServer;
let demo: DemoDatabase;
let key: string;
const api = bearerApi(() => ({ url: server.url, key }));

/** A session cookie for a demo login. */
async function login(user: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify(user) });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

async function page(cookie: string, p: string) {
  const res = await fetch(`${server.url}${p}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

beforeAll(async () => {
  await ensureBuild();
  demo = await demoDatabase('e2e-campaign-report');
  key = await demo.apiKey('office', '巷道学区', 'e2e');
  server = await startServer(demo.env);
}, 900_000);

afterAll(async () => {
  await server?.stop();
  await demo?.dispose();
});

describe('the campaign report page', () => {
  let campaignId: string;

  it('the office lands on the current campaign with a link to its report', async () => {
    const cookie = await login(DEMO_LOGIN);
    const home = await page(cookie, '/account');
    expect(home.status).toBe(200);
    expect(home.html).toContain('data-testid="current-campaign"');
    const link = /href="\/campaigns\/([0-9a-f-]{36})\/report"/.exec(home.html);
    expect(link).not.toBeNull();
    campaignId = link![1]!;
    expect(home.html).toContain('整改方案');
  });

  it('renders every section for the office, and the before/after tables once the rounds are set', async () => {
    const cookie = await login(DEMO_LOGIN);
    const before = await page(cookie, `/campaigns/${campaignId}/report`);
    expect(before.status).toBe(200);
    for (const text of ['总结报告', '<td>槐山小学</td>', '尚未设置对比的测评', 'aria-label="整改台帐"', 'data-testid="on-time-rate"', 'aria-label="效能投诉"', 'aria-label="公开承诺"', 'aria-label="效能问责"', '?format=xlsx', '?format=pdf']) expect(before.html, text).toContain(text);
    const { rounds } = (await api('GET', '/api/v1/rounds')) as { rounds: { id: string; title: string }[] };
    expect(rounds.length).toBeGreaterThan(1);
    await api('PATCH', `/api/v1/campaigns/${campaignId}`, { comparison: { baselineRoundId: rounds[1]!.id, followUpRoundId: rounds[0]!.id } });
    const after = await page(cookie, `/campaigns/${campaignId}/report`);
    expect(after.status).toBe(200);
    expect(after.html).toContain('data-testid="comparison-schools"');
    expect(after.html).toContain('data-testid="comparison-items"');
    expect(after.html).toContain('Newcombe');
    // the campaign page has the edit form for the office
    expect((await page(cookie, `/campaigns/${campaignId}`)).html).toContain('data-testid="campaign-edit"');
  });

  it('counts the self-inspection (本人自评, written from accounts, with no link) against the staff who owe one', async () => {
    type Group = { name: string; responses: number; expected: number };
    type Report = { participation: { roundId: string; title: string; schools: { schoolName: string; expected: number; groups: Group[] }[] }[] };
    const report = (await api('GET', `/api/v1/campaigns/${campaignId}/report`)) as Report;
    const round = report.participation.find((p) => p.title.includes('六查六看'))!;
    const completion = (await api('GET', `/api/v1/rounds/${round.roundId}/completion`)) as {
      forms: { kind: string; schools: { name: string; expected: number; answered: number }[] }[];
    };
    const self = completion.forms.find((f) => f.kind === 'self')!;
    const central = round.schools.find((s) => s.schoolName === '巷道中心小学')!;
    const group = central.groups.find((g) => g.name === '本人自评')!;
    const owed = self.schools.find((s) => s.name === '巷道中心小学')!;
    // the same figures as the round's completion page (the report used to show "5/0": no links, so nothing owed)
    expect(owed.expected).toBeGreaterThan(0);
    expect([group.responses, group.expected]).toEqual([owed.answered, owed.expected]);
    // and the school's total owes them too
    expect(central.expected).toBeGreaterThanOrEqual(owed.expected);
    // a report returned for rework (the demo has one) is still owed: the answers it had sent are not counted as received
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(round.schools.map((s) => s.groups.find((g) => g.name === '本人自评')!.responses))).toBe(sum(self.schools.map((s) => s.answered)));
  });

  it('a school admin reads their school only; the report is no page for a teacher', async () => {
    const cookie = await login(DEMO_SCHOOL_ADMIN);
    const mine = await page(cookie, `/campaigns/${campaignId}/report`);
    expect(mine.status).toBe(200);
    // (the page's message catalogue names schools in examples: the rows are what count)
    expect(mine.html).toContain('<td>巷道中心小学</td>');
    for (const other of ['槐山小学', '巷道初级中学']) expect(mine.html).not.toContain(`<td>${other}</td>`);
    expect(mine.html).not.toContain('aria-label="效能问责"');
    const denied = await page(await login(DEMO_TEACHER), `/campaigns/${campaignId}/report`);
    expect(denied.status).toBeGreaterThanOrEqual(300);
    expect(denied.location).toContain('/account?denied=1');
  });
});
