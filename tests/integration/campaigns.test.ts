/**
 * Campaigns (效能风暴行动) on a real database: creating one with its phases, deliverables and rounds;
 * bad input refused with nothing written; who hands in what; and the overview per school.
 *
 * The campaign below: 整改方案 (one per school) due 2026-07-18 24:00, 书面总结 (one per person) due
 * 2026-12-05 24:00, looked at on 2026-07-20 (Asia/Shanghai):
 *
 * | school        | 整改方案 handed in        | state    | 书面总结 (n staff, 1 handed in) |
 * |---------------|---------------------------|----------|---------------------------------|
 * | 巷道中心小学  | 07-15                     | on time  | 1 on time, n−1 not yet due      |
 * | 槐山小学      | 07-19 (revised 07-20)     | late     | n not yet due                   |
 * | 巷道初级中学  | —                         | missing  | n not yet due                   |
 */
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, getCampaign, listCampaigns } from '@/lib/campaigns/campaigns';
import { campaignOverview, deliverableState, listSubmissions, myDeliverables, submitDeliverable } from '@/lib/campaigns/deliverables';
import type { DbHandle } from '@/lib/db/client';
import { auditLog, campaigns, rounds, staff, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
const cli = { type: 'cli', label: 'test' } as const;
let office: { role: 'office'; unitId: string };
let schools: Record<string, string>;
let teacher: { id: string; unitId: string };
let roundId: string;
const on = (d: string) => new Date(`${d}T10:00:00+08:00`);

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  const db = handle.db;
  const [home] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  office = { role: 'office', unitId: home!.id };
  schools = Object.fromEntries((await db.select().from(units).where(eq(units.kind, 'school'))).map((u) => [u.name, u.id]));
  [teacher] = await db.select({ id: staff.id, unitId: staff.unitId }).from(staff).where(eq(staff.unitId, schools['巷道中心小学']!)).limit(1) as [{ id: string; unitId: string }];
  roundId = (await db.select().from(rounds).where(eq(rounds.unitId, home!.id)))[0]!.id;
});
afterAll(() => handle.close());

const admin = (school: string) => ({ role: 'school_admin' as const, unitId: schools[school]! });
const CAMPAIGN = {
  title: '2026年效能风暴行动',
  startsOn: '2026-06-20',
  endsOn: '2026-12-31',
  phases: [
    { kind: 'mobilise' as const, startsOn: '2026-06-20', endsOn: '2026-06-30' },
    { kind: 'self_check' as const, startsOn: '2026-07-01', endsOn: '2026-07-15' },
    { kind: 'rectify' as const, startsOn: '2026-07-16', endsOn: '2026-10-31' },
    { kind: 'review' as const, startsOn: '2026-11-01', endsOn: '2026-12-31' },
  ],
  deliverables: [
    { scope: 'school' as const, title: '整改方案', dueAt: '2026-07-18T23:59:59+08:00' },
    { scope: 'person' as const, title: '个人书面总结', dueAt: '2026-12-05T23:59:59+08:00' },
  ],
};

describe('campaigns', () => {
  let id: string;
  let plan: string;
  let summary: string;

  it('refuses a campaign with a phase outside its dates, a repeated phase, or a school as owner; nothing is written', async () => {
    const db = handle.db;
    const before = (await db.select({ n: count() }).from(campaigns))[0]!.n;
    const bad = [
      { ...CAMPAIGN, phases: [{ kind: 'review' as const, startsOn: '2027-01-01', endsOn: '2027-01-10' }] },
      { ...CAMPAIGN, phases: [CAMPAIGN.phases[0]!, CAMPAIGN.phases[0]!] },
      { ...CAMPAIGN, endsOn: '2026-01-01' },
      { ...CAMPAIGN, unit: '巷道中心小学' },
    ];
    for (const input of bad) await expect(createCampaign(db, office, cli, input)).rejects.toMatchObject({ code: 'validation' });
    await expect(createCampaign(db, admin('巷道中心小学'), cli, CAMPAIGN)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await db.select({ n: count() }).from(campaigns))[0]!.n).toBe(before);
  });

  it('creates one with phases, deliverables and a round; the current phase is marked; everyone in the district sees it', async () => {
    const db = handle.db;
    ({ id } = await createCampaign(db, office, cli, { ...CAMPAIGN, roundIds: [roundId] }));
    const c = await getCampaign(db, office, id, on('2026-07-20'));
    expect(c.phases.map((p) => [p.kind, p.current])).toEqual([['mobilise', false], ['self_check', false], ['rectify', true], ['review', false]]);
    expect(c.rounds.map((r) => r.id)).toEqual([roundId]);
    plan = c.deliverables.find((d) => d.scope === 'school')!.id;
    summary = c.deliverables.find((d) => d.scope === 'person')!.id;
    expect((await listCampaigns(db, { role: 'staff', unitId: teacher.unitId, staffId: teacher.id })).map((x) => x.id)).toContain(id);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'campaign'), eq(auditLog.entityId, id)));
    expect(audit!.action).toBe('campaign.create');
  });

  it('a school admin hands in their school’s plan, a person their summary; nobody hands in for another', async () => {
    const db = handle.db;
    await submitDeliverable(db, admin('巷道中心小学'), cli, id, plan, { body: '一、整改任务：规范收费行为。二、措施：收费公示。三、时限：9月底。' }, on('2026-07-15'));
    expect((await submitDeliverable(db, admin('槐山小学'), cli, id, plan, { body: '整改方案初稿：加强食堂管理，每月公开账目。' }, on('2026-07-19'))).state).toBe('late');
    // a revision keeps the first submission's time (still late) and the newest text
    await submitDeliverable(db, admin('槐山小学'), cli, id, plan, { body: '整改方案定稿：成立膳食委员会，每月公开食堂账目。' }, on('2026-07-20'));
    const staffScope = { role: 'staff' as const, unitId: teacher.unitId, staffId: teacher.id };
    expect((await submitDeliverable(db, staffScope, cli, id, summary, { body: '本人对照六查六看进行了自查，今后改进工作作风。' }, on('2026-07-20'))).state).toBe('submitted');
    await expect(submitDeliverable(db, staffScope, cli, id, plan, { body: '教师不能代交学校的整改方案。' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(submitDeliverable(db, admin('巷道中心小学'), cli, id, summary, { body: '没有教职工档案的账号不能交个人总结。' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(submitDeliverable(db, office, cli, id, plan, { body: '学区办公室不代交学校材料。' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(submitDeliverable(db, admin('巷道中心小学'), cli, id, plan, { body: '短' })).rejects.toMatchObject({ code: 'validation' });
    const mine = await myDeliverables(db, staffScope, id, on('2026-07-20'));
    expect(mine.map((d) => [d.title, d.state])).toEqual([['个人书面总结', 'submitted']]);
  });

  it('the overview shows on time / late / missing per school, as in the table above', async () => {
    const db = handle.db;
    const o = await campaignOverview(db, office, id, on('2026-07-20'));
    const row = (name: string) => o.schools.find((s) => s.schoolName === name)!;
    const planOf = (name: string) => row(name).deliverables.find((d) => d.deliverableId === plan)!.state;
    expect([planOf('巷道中心小学'), planOf('槐山小学'), planOf('巷道初级中学')]).toEqual(['submitted', 'late', 'missing']);
    expect(o.deliverables.find((d) => d.id === plan)!.totals).toEqual({ submitted: 1, late: 1, missing: 1, pending: 0 });
    const n = (await db.select({ n: count() }).from(staff).where(and(eq(staff.unitId, schools['巷道中心小学']!), eq(staff.active, true))))[0]!.n;
    expect(row('巷道中心小学').deliverables.find((d) => d.deliverableId === summary)!.counts).toEqual({ expected: n, submitted: 1, late: 0, missing: 0, pending: n - 1 });
    // after the summary's deadline the rest are missing
    const later = await campaignOverview(db, office, id, on('2026-12-07'));
    expect(later.schools.find((s) => s.schoolName === '巷道中心小学')!.deliverables.find((d) => d.deliverableId === summary)!.counts).toMatchObject({ missing: n - 1, pending: 0 });
    // a school admin sees only their school; the office reads the texts, the school admin only theirs
    expect((await campaignOverview(db, admin('槐山小学'), id, on('2026-07-20'))).schools.map((s) => s.schoolName)).toEqual(['槐山小学']);
    const all = await listSubmissions(db, office, id, plan, on('2026-07-20'));
    expect(all.submissions.map((s) => [s.unitName, s.state]).sort()).toEqual([['巷道中心小学', 'submitted'], ['槐山小学', 'late']].sort());
    expect(all.submissions.find((s) => s.unitName === '槐山小学')!.body).toContain('定稿');
    expect((await listSubmissions(db, admin('槐山小学'), id, plan)).submissions.map((s) => s.unitName)).toEqual(['槐山小学']);
    await expect(campaignOverview(db, { role: 'staff', unitId: teacher.unitId }, id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('states are pure: on time at the deadline, late a second after, missing only once due', () => {
    const due = new Date('2026-07-18T16:00:00Z');
    expect(deliverableState(due, due, due)).toBe('submitted');
    expect(deliverableState(due, new Date(due.getTime() + 1000), due)).toBe('late');
    expect(deliverableState(due, null, due)).toBe('pending');
    expect(deliverableState(due, null, new Date(due.getTime() + 1))).toBe('missing');
  });

  it('the demo campaign shows its plans on time, late and missing', async () => {
    const db = handle.db;
    const demo = (await listCampaigns(db, office)).find((c) => c.id !== id)!;
    const o = await campaignOverview(db, office, demo.id);
    const planId = o.deliverables.find((d) => d.scope === 'school')!.id;
    expect(o.schools.map((s) => s.deliverables.find((d) => d.deliverableId === planId)!.state)).toEqual(['submitted', 'late', 'missing']);
    expect(o.schools.reduce((n, s) => n + s.complaints.total, 0)).toBe(5);
  });
});
