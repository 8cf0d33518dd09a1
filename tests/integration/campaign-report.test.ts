/**
 * The campaign report (总结) on a real database: two rounds (the baseline and the 回头看 follow-up)
 * answered through the real submission code for three schools, paired per school and per item with
 * the change and its 95% interval; the ledger's on-time rate, the complaints' handling time, the
 * commitments and accountability measures counted; who may read what; the xlsx and the A4 PDF; and
 * editing the campaign (PATCH), which is also how the compared rounds are set.
 *
 * Both rounds: one rater group 家长 (100%), one form about the school with two items q1, q2 scored
 * 满意 100 / 基本满意 75 / 不满意 55, item score = plain mean, anonymity threshold 5.
 * Answers (满意 S, 基本满意 F, 不满意 U; each respondent answers q1 and q2):
 *
 * | school       | round     | n  | q1 S/F/U | q2 S/F/U | 满意率 (S+F over 2n) | score = mean(q1, q2) | variance of the 2n answers |
 * |--------------|-----------|----|----------|----------|----------------------|----------------------|----------------------------|
 * | 巷道中心小学 | baseline  | 10 | 3/2/5    | 2/3/5    | 10/20 = 0.5          | (72.5 + 70)/2 = 71.25  | 360.1974                 |
 * | 巷道中心小学 | follow-up | 10 | 8/2/0    | 6/3/1    | 19/20 = 0.95         | (95 + 88)/2 = 91.5    | 195                      |
 * | 槐山小学     | baseline  | 8  | 6/2/0    | 5/3/0    | 16/16 = 1            | (93.75+90.625)/2 = 92.1875 | 143.2292            |
 * | 槐山小学     | follow-up | 8  | 1/2/5    | 2/1/5    | 6/16 = 0.375         | (65.625+68.75)/2 = 67.1875 | 326.5625            |
 * | 巷道初级中学 | both      | 3  | 3/0/0    | 3/0/0    | suppressed (3 < 5)   | suppressed           |                            |
 *
 * Change of 满意率, Newcombe's hybrid score interval from the Wilson limits (l, u) of each share
 * (z = 1.96): d = p2 − p1, L = d − √((p2 − l2)² + (u1 − p1)²), U = d + √((u2 − p2)² + (p1 − l1)²).
 * - 中心小学: Wilson(0.5, 10) = [0.2366, 0.7634], Wilson(0.95, 10) = [0.6555, 0.9948];
 *   d = 0.45, L = 0.45 − √(0.2945² + 0.2634²) = 0.0549, U = 0.45 + √(0.0448² + 0.2634²) = 0.7172 → improved.
 * - 槐山小学: Wilson(1, 8) = [0.6756, 1], Wilson(0.375, 8) = [0.1368, 0.6943];
 *   d = −0.625, L = −0.8632, U = −0.1698 → declined.
 * Change of the score, Welch: se = √(v1/n1 + v2/n2), df Welch–Satterthwaite rounded down, t₀.₉₇₅(df):
 * - 中心小学: se = √(36.0197 + 19.5) = 7.4512, df = 16.54 → 16, t = 2.120; 20.25 ± 15.7965 = [4.4535, 36.0465].
 * - 槐山小学: se = √(17.9036 + 40.8203) = 7.6632, df = 12.15 → 12, t = 2.179; −25 ± 16.698 = [−41.6980, −8.3020].
 * Per item, pooled over the two schools shown (巷道初级中学's cells are suppressed, so they are in neither round):
 * - q1: before 9/4/5, after 9/4/5 (n = 18 each): 满意率 13/18 = 0.7222 both, change 0, CI ±0.2770;
 *   mean 81.9444 both, sd 19.9366, Welch df = 34, t = 2.032 → CI ±13.5049.
 * - q2: before 7/6/5 → 0.7222, mean 79.1667, sd 18.8843; after 8/4/6 → 0.6667, mean 79.4444, sd 20.3563;
 *   满意率 change −0.0555 (of the rounded shares), CI [−0.3310, 0.2316]; mean change 0.2777, CI [−13.0371, 13.5925] (df 33.81 → 33, t = 2.034).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignReportEndpoint, updateCampaignEndpoint } from '@/lib/api/endpoints-campaigns';
import type { Scope } from '@/lib/auth/scope';
import { createApiKey } from '@/lib/auth/users';
import { createCampaign, getCampaign } from '@/lib/campaigns/campaigns';
import { submitDeliverable } from '@/lib/campaigns/deliverables';
import { updateCampaign } from '@/lib/campaigns/edit';
import { campaignReport } from '@/lib/campaigns/report';
import { setAppDatabase, type DbHandle } from '@/lib/db/client';
import {
  accountabilityRecords,
  accountabilityTypes,
  auditLog,
  calendarDays,
  campaignComparisons,
  campaignDeliverables,
  commitments,
  complaintEvents,
  complaints,
  ledgerItems,
  staff,
  teachingAssignments,
  units,
} from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { resolveToken, submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { responseRates } from '@/lib/rounds/queries';
import { createTemplate } from '@/lib/surveys/templates';
import { freshDatabase } from '../helpers/db';
import { routeHandler } from '../helpers/routes';

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
const actor = { type: 'cli', label: 'test' } as const;
const SCHOOLS = ['巷道中心小学', '槐山小学', '巷道初级中学'] as const;
/** a fixed past year (not the demo's current one), so the weekdays below hold */
const NOW = new Date('2022-12-31T12:00:00+08:00');

let handle: DbHandle;
let office: Scope;
let schoolIds: Record<string, string>;
let campaignId: string;
let baselineId: string;
let followUpId: string;
let officeKey: string;
let adminKey: string;
let teacherKey: string;
let keyN = 0;

type Counts = [number, number, number];
const answersOf = ([s, f, u]: Counts) => [...Array(s).fill('satisfied'), ...Array(f).fill('fair'), ...Array(u).fill('unsatisfied')] as string[];
const PLAN: Record<string, { baseline: [Counts, Counts]; followUp: [Counts, Counts] }> = {
  巷道中心小学: { baseline: [[3, 2, 5], [2, 3, 5]], followUp: [[8, 2, 0], [6, 3, 1]] },
  槐山小学: { baseline: [[6, 2, 0], [5, 3, 0]], followUp: [[1, 2, 5], [2, 1, 5]] },
  巷道初级中学: { baseline: [[3, 0, 0], [3, 0, 0]], followUp: [[3, 0, 0], [3, 0, 0]] },
};

const SCALE = [
  { value: 'satisfied', text: '满意' },
  { value: 'fair', text: '基本满意' },
  { value: 'unsatisfied', text: '不满意' },
];
const scored = (name: string, title: string) => ({ type: 'radiogroup', name, title, isRequired: true, choices: SCALE, pingyiScores: { satisfied: 100, fair: 75, unsatisfied: 55 } });

/** A round about the schools, 12 one-time codes per school, answered as PLAN says, closed and released to schools. */
async function answeredRound(templateId: string, schoolYear: string, title: string, which: 'baseline' | 'followUp') {
  const db = handle.db;
  const round = await createRound(db, office, actor, {
    title,
    schoolYear,
    term: 1,
    units: [...SCHOOLS],
    opensAt: new Date(Date.now() - 3_600_000).toISOString(),
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    scoring: { itemScore: 'mean' },
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId, raterGroup: 0, subjectMode: 'school' }],
  });
  await roundAction(db, office, actor, round.id, { action: 'open' });
  const [form] = await db.query.roundForms.findMany({ where: (f, { eq: is }) => is(f.roundId, round.id) });
  for (const s of SCHOOLS) await issueLinks(db, office, actor, round.id, { kind: 'code', formId: form!.id, count: 12, schoolId: schoolIds[s]! });
  const codes = await listLinks(db, office, { type: 'system', label: 'test' }, round.id, { kind: 'code', via: 'api' });
  for (const s of SCHOOLS) {
    const [q1, q2] = PLAN[s]![which].map(answersOf);
    const mine = codes.filter((c) => c.schoolId === schoolIds[s]);
    for (let i = 0; i < q1!.length; i++) {
      const token = mine[i]!.token;
      const got = await resolveToken(db, token, '10.0.0.9');
      await submitResponse(db, token, '10.0.0.9', { idempotencyKey: `campaign-report-${String(++keyN).padStart(8, '0')}`, answers: { [got.subjects[0]!.key]: { q1: q1![i], q2: q2![i] } } });
    }
  }
  await roundAction(db, office, actor, round.id, { action: 'close' });
  return round.id;
}

async function call(endpoint: typeof campaignReportEndpoint | typeof updateCampaignEndpoint, key: string, path: string, body?: unknown) {
  const init: RequestInit = { method: endpoint.method.toUpperCase(), headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) } };
  if (body) init.body = JSON.stringify(body);
  return (await routeHandler(endpoint))(new Request(`http://localhost${path}`, init), { params: Promise.resolve({ campaignId }) });
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  setAppDatabase(handle);
  const db = handle.db;
  const [district] = await db.select().from(units).where(eq(units.name, '巷道学区'));
  office = { role: 'office', unitId: district!.id };
  schoolIds = Object.fromEntries((await db.select().from(units).where(inArray(units.name, [...SCHOOLS]))).map((u) => [u.name, u.id]));
  const schoolYear = (await db.select().from(teachingAssignments).limit(1))[0]!.schoolYear;
  const { template } = await createTemplate(db, office, actor, {
    kind: 'satisfaction',
    name: '学校满意度（总结报告测试）',
    definition: { pingyiSubject: 'school', elements: [scored('q1', '教育教学'), scored('q2', '服务态度')] },
  });
  baselineId = await answeredRound(template.id, schoolYear, '行动前满意度测评', 'baseline');
  followUpId = await answeredRound(template.id, schoolYear, '回头看满意度测评', 'followUp');
  ({ id: campaignId } = await createCampaign(db, office, actor, {
    title: '2022年效能风暴行动',
    startsOn: '2022-03-01',
    endsOn: '2022-12-31',
    phases: [{ kind: 'rectify', startsOn: '2022-07-16', endsOn: '2022-10-31' }],
    deliverables: [
      { scope: 'school', title: '整改方案', dueAt: '2022-07-18T23:59:59+08:00' },
      { scope: 'school', title: '自查报告', dueAt: '2022-07-10T23:59:59+08:00' },
    ],
    roundIds: [baselineId],
  }));
  officeKey = (await createApiKey(db, actor, { name: 'report office', role: 'office', unit: '巷道学区' })).key;
  adminKey = (await createApiKey(db, actor, { name: 'report admin', role: 'school_admin', unit: '巷道中心小学' })).key;
  teacherKey = (await createApiKey(db, actor, { name: 'report teacher', role: 'staff', unit: '巷道中心小学' })).key;
}, 600_000);
afterAll(() => handle.close());

describe('editing a campaign (PATCH /api/v1/campaigns/{id})', () => {
  it('refuses bad input with field errors and changes nothing', async () => {
    const db = handle.db;
    const same = await call(updateCampaignEndpoint, officeKey, `/api/v1/campaigns/${campaignId}`, { comparison: { baselineRoundId: baselineId, followUpRoundId: baselineId } });
    expect(same.status).toBe(400);
    expect(JSON.stringify(await same.json())).toContain('comparison.followUpRoundId');
    const outside = await call(updateCampaignEndpoint, officeKey, `/api/v1/campaigns/${campaignId}`, { endsOn: '2022-08-31' });
    expect(outside.status).toBe(400);
    expect(JSON.stringify(await outside.json())).toContain('startsOn');
    const foreign = await updateCampaign(db, office, actor, campaignId, { roundIds: ['00000000-0000-4000-8000-000000000000'] }).catch((e) => e);
    expect(foreign).toMatchObject({ code: 'validation', fields: { 'roundIds.0': [{ key: 'invalid' }] } });
    const c = await getCampaign(db, office, campaignId);
    expect([c.endsOn, c.rounds.map((r) => r.id)]).toEqual(['2022-12-31', [baselineId]]);
    expect(await db.select().from(campaignComparisons)).toEqual([]);
  });

  it('a deliverable with a submission cannot be removed (409); one without can; the title, rounds and comparison change; audited', async () => {
    const db = handle.db;
    const before = await getCampaign(db, office, campaignId);
    const plan = before.deliverables.find((d) => d.title === '整改方案')!;
    const self = before.deliverables.find((d) => d.title === '自查报告')!;
    await submitDeliverable(db, { role: 'school_admin', unitId: schoolIds['巷道中心小学']! }, actor, campaignId, plan.id, { body: '整改方案：规范收费，每月公示。' }, new Date('2022-07-15T10:00:00+08:00'));
    const refused = await call(updateCampaignEndpoint, officeKey, `/api/v1/campaigns/${campaignId}`, { title: '不应保存', deliverables: [{ id: self.id, scope: 'school', title: '自查报告', dueAt: self.dueAt }] });
    expect(refused.status).toBe(409);
    expect((await getCampaign(db, office, campaignId)).title).toBe('2022年效能风暴行动');
    const ok = await call(updateCampaignEndpoint, officeKey, `/api/v1/campaigns/${campaignId}`, {
      title: '2022年效能风暴行动（修订）',
      deliverables: [
        { id: plan.id, scope: 'school', title: '整改方案（定稿）', dueAt: plan.dueAt },
        { scope: 'person', title: '个人书面总结', dueAt: '2022-12-05T23:59:59+08:00' },
      ],
      roundIds: [baselineId, followUpId],
      comparison: { baselineRoundId: baselineId, followUpRoundId: followUpId },
    });
    expect(ok.status).toBe(200);
    const after = await getCampaign(db, office, campaignId);
    expect(after.title).toBe('2022年效能风暴行动（修订）');
    expect(after.deliverables.map((d) => d.title).sort()).toEqual(['个人书面总结', '整改方案（定稿）']);
    expect(after.rounds.map((r) => r.id).sort()).toEqual([baselineId, followUpId].sort());
    expect(await db.select().from(campaignDeliverables).where(eq(campaignDeliverables.id, self.id))).toEqual([]);
    const [cmp] = await db.select().from(campaignComparisons).where(eq(campaignComparisons.campaignId, campaignId));
    expect(cmp).toMatchObject({ baselineRoundId: baselineId, followUpRoundId: followUpId });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityType, 'campaign'), eq(auditLog.entityId, campaignId), eq(auditLog.action, 'campaign.update')));
    expect(audits).toHaveLength(1);
    // a school admin or a teacher cannot edit
    expect((await call(updateCampaignEndpoint, adminKey, `/api/v1/campaigns/${campaignId}`, { title: '学校改的' })).status).toBe(403);
  });
});

describe('the campaign report', () => {
  beforeAll(async () => {
    const db = handle.db;
    const [district] = await db.select().from(units).where(eq(units.name, '巷道学区'));
    const a = schoolIds['巷道中心小学']!;
    const b = schoolIds['槐山小学']!;
    // ledger, seen on 2022-12-31: due 4, on time 1 (verified, done 07-30 by 07-31) → 1/4 = 0.25
    let seq = 9000;
    const item = (unitId: string, status: (typeof ledgerItems.$inferInsert)['status'], dueOn: string, doneAt: string | null) => ({
      unitId, campaignId, seq: ++seq, problem: `问题${seq}`, source: 'spot_check' as const, measure: '措施', target: '目标', dueOn, status,
      doneAt: doneAt ? new Date(`${doneAt}T10:00:00+08:00`) : null, verifiedAt: status === 'verified' ? new Date('2022-08-05T10:00:00+08:00') : null,
    });
    await db.insert(ledgerItems).values([
      item(a, 'verified', '2022-07-31', '2022-07-30'), // on time
      item(a, 'done', '2022-07-31', '2022-08-02'), // late
      item(b, 'in_progress', '2022-08-31', null), // due, not done
      item(b, 'reopened', '2022-08-31', '2022-08-20'), // reopened: not done
      item(a, 'open', '2023-06-30', null), // not yet due
    ]);
    // complaints within the campaign's dates; handling time in working days after filing up to 办结:
    // 05-09 (Mon) → 05-13 (Fri): 4; 05-13 (Fri) → 05-18 (Wed): 3;
    // 05-24 (Tue) → 05-31 (Tue) with 05-26 (Thu) a holiday and 05-28 (Sat) worked: Wed Fri Sat Mon Tue = 5; median 4
    await db.insert(calendarDays).values([
      { unitId: district!.id, day: '2022-05-26', working: false, name: '假日' },
      { unitId: district!.id, day: '2022-05-28', working: true, name: '调休上班' },
    ]);
    const complaint = async (n: number, unitId: string, category: (typeof complaints.$inferInsert)['category'], filed: string, closed: string | null) => {
      const [row] = await db
        .insert(complaints)
        .values({ trackingHash: `campaign-report-${n}`, unitId, category, body: '投诉内容', status: closed ? 'closed' : 'assigned', createdAt: new Date(`${filed}T09:00:00+08:00`) })
        .returning();
      await db.insert(complaintEvents).values({ complaintId: row!.id, status: 'received', at: new Date(`${filed}T09:00:00+08:00`) });
      if (closed) await db.insert(complaintEvents).values({ complaintId: row!.id, status: 'closed', at: new Date(`${closed}T16:00:00+08:00`) });
    };
    await complaint(1, a, 'slack', '2022-05-09', '2022-05-13');
    await complaint(2, b, 'slack', '2022-05-13', '2022-05-18');
    await complaint(3, a, 'attitude', '2022-05-24', '2022-05-31');
    await complaint(4, b, 'fees', '2022-06-01', null);
    await complaint(5, a, 'corporal', '2021-12-01', '2021-12-03'); // before the campaign: not counted
    // commitments of the campaign: 巷道中心小学 fulfilled ×2, approved, unfulfilled; 槐山小学 pending; one of no campaign
    const commitment = (unitId: string, status: (typeof commitments.$inferInsert)['status'], of: string | null = campaignId) => ({ unitId, campaignId: of, body: '承诺事项', dueOn: '2022-11-30', status });
    await db.insert(commitments).values([commitment(a, 'fulfilled'), commitment(a, 'fulfilled'), commitment(a, 'approved'), commitment(a, 'unfulfilled'), commitment(b, 'pending'), commitment(a, 'fulfilled', null)]);
    // accountability: 告诫 ×2 counted (a third revoked), 诫勉谈话 ×1 (decided within the dates, no campaign), one decided before the campaign
    const [warn, talk] = await db
      .insert(accountabilityTypes)
      .values([{ unitId: district!.id, name: '测试·效能告诫', sortOrder: 1 }, { unitId: district!.id, name: '测试·诫勉谈话', sortOrder: 2 }])
      .returning();
    const [person] = await db.select().from(staff).where(eq(staff.unitId, a)).limit(1);
    const measure = (typeId: string, decidedOn: string, extra: Partial<typeof accountabilityRecords.$inferInsert> = {}) => ({ staffId: person!.id, unitId: a, typeId, reason: '工作拖沓', decidedOn, ...extra });
    await db.insert(accountabilityRecords).values([
      measure(warn!.id, '2022-06-01', { campaignId }),
      measure(warn!.id, '2022-06-02', { campaignId }),
      measure(warn!.id, '2022-06-03', { campaignId, revokedAt: new Date('2022-06-10T00:00:00Z'), revokedReason: '撤销' }),
      measure(talk!.id, '2022-09-01'),
      measure(talk!.id, '2021-09-01'),
    ]);
  });

  it('pairs the two rounds per school and per item as in the table above', async () => {
    const r = await campaignReport(handle.db, office, campaignId, NOW);
    const c = r.comparison!;
    expect([c.baseline!.id, c.followUp!.id, c.threshold]).toEqual([baselineId, followUpId, 5]);
    const school = (name: string) => c.schools.find((s) => s.schoolName === name)!;
    const a = school('巷道中心小学');
    expect([a.before, a.after]).toEqual([
      { n: 10, suppressed: false, satisfaction: 0.5, score: 71.25 },
      { n: 10, suppressed: false, satisfaction: 0.95, score: 91.5 },
    ]);
    expect(a.satisfaction!.diff).toBeCloseTo(0.45, 4);
    expect(a.satisfaction!.ci95[0]).toBeCloseTo(0.0549, 3);
    expect(a.satisfaction!.ci95[1]).toBeCloseTo(0.7172, 3);
    expect(a.score!.diff).toBeCloseTo(20.25, 4);
    expect(a.score!.ci95[0]).toBeCloseTo(4.4535, 3);
    expect(a.score!.ci95[1]).toBeCloseTo(36.0465, 3);
    expect(a.direction).toBe('improved');
    const b = school('槐山小学');
    expect([b.before!.satisfaction, b.after!.satisfaction, b.before!.score, b.after!.score]).toEqual([1, 0.375, 92.1875, 67.1875]);
    expect(b.satisfaction!.diff).toBeCloseTo(-0.625, 4);
    expect(b.satisfaction!.ci95[0]).toBeCloseTo(-0.8632, 3);
    expect(b.satisfaction!.ci95[1]).toBeCloseTo(-0.1698, 3);
    expect(b.score!.ci95[0]).toBeCloseTo(-41.698, 3);
    expect(b.score!.ci95[1]).toBeCloseTo(-8.302, 3);
    expect(b.direction).toBe('declined');
    // three respondents: below the threshold, no figures, no change (the office included: the report is handed round)
    const small = school('巷道初级中学');
    expect([small.before, small.after, small.satisfaction, small.score, small.direction]).toEqual([
      { n: null, suppressed: true, satisfaction: null, score: null },
      { n: null, suppressed: true, satisfaction: null, score: null },
      null, null, null,
    ]);
    expect([c.improved, c.declined]).toEqual([['巷道中心小学'], ['槐山小学']]);

    const item = (q: string) => c.items.find((i) => i.question === q)!;
    expect(c.items.map((i) => [i.group, i.question, i.title])).toEqual([['家长', 'q1', '教育教学'], ['家长', 'q2', '服务态度']]);
    const q1 = item('q1');
    expect([q1.before, q1.after]).toEqual([
      { n: 18, suppressed: false, satisfaction: 0.7222, score: 81.9444 },
      { n: 18, suppressed: false, satisfaction: 0.7222, score: 81.9444 },
    ]);
    expect(q1.satisfaction!.diff).toBe(0);
    expect(q1.satisfaction!.ci95[1]).toBeCloseTo(0.277, 3);
    expect(q1.score!.ci95[1]).toBeCloseTo(13.5049, 3);
    expect(q1.direction).toBe('unchanged');
    const q2 = item('q2');
    expect([q2.before!.satisfaction, q2.after!.satisfaction, q2.before!.score, q2.after!.score]).toEqual([0.7222, 0.6667, 79.1667, 79.4444]);
    expect(q2.satisfaction!.diff).toBeCloseTo(-0.0555, 4);
    expect(q2.satisfaction!.ci95[0]).toBeCloseTo(-0.331, 3);
    expect(q2.satisfaction!.ci95[1]).toBeCloseTo(0.2316, 3);
    expect(q2.score!.diff).toBeCloseTo(0.2777, 3);
    expect(q2.score!.ci95[0]).toBeCloseTo(-13.0371, 2);
    expect(q2.score!.ci95[1]).toBeCloseTo(13.5925, 2);
  });

  it('counts participation as the round progress does, per school and rater group', async () => {
    const r = await campaignReport(handle.db, office, campaignId, NOW);
    const base = r.participation.find((p) => p.roundId === baselineId)!;
    // answered 10, 8, 3; expected as the round's progress counts it (one-time codes: 12 per class, or
    // 12 for a school without classes), the rate to four decimals
    const rates = await responseRates(handle.db, [baselineId], Object.values(schoolIds));
    const expected = (name: string) => rates.find((x) => x.schoolId === schoolIds[name])!.expected;
    const shown = (name: string) => base.schools.find((s) => s.schoolName === name)!;
    for (const [name, n] of [['巷道中心小学', 10], ['槐山小学', 8], ['巷道初级中学', 3]] as const) {
      expect([shown(name).responses, shown(name).expected, shown(name).rate]).toEqual([n, expected(name), Math.round((n / expected(name)) * 10000) / 10000]);
      expect(expected(name) % 12).toBe(0);
    }
    const all = SCHOOLS.reduce((n, name) => n + expected(name), 0);
    expect([base.responses, base.expected, base.rate]).toEqual([21, all, Math.round((21 / all) * 10000) / 10000]);
    expect(shown('槐山小学').groups.map((g) => [g.name, g.responses, g.expected])).toEqual([['家长', 8, expected('槐山小学')]]);
    for (const s of base.schools) expect(s.responses).toBe(rates.find((x) => x.schoolId === s.schoolId)!.responses);
  });

  it('counts the ledger, complaints, commitments and accountability measures as set up', async () => {
    const r = await campaignReport(handle.db, office, campaignId, NOW);
    expect(r.ledger).toEqual({ total: 5, byStatus: { open: 1, in_progress: 1, done: 1, verified: 1, reopened: 1 }, due: 4, onTime: 1, onTimeRate: 0.25 });
    expect(r.complaints).toEqual({ total: 4, byCategory: { slack: 2, fees: 1, corporal: 0, attitude: 1, other: 0 }, closed: 3, medianWorkingDays: 4 });
    expect(r.commitments).toEqual({ total: 5, byStatus: { pending: 1, approved: 1, rejected: 0, reported: 0, fulfilled: 2, unfulfilled: 1 }, fulfilled: 2 });
    expect(r.accountability!.byType.map((t) => [t.name, t.count])).toEqual([['测试·效能告诫', 2], ['测试·诫勉谈话', 1]]);
    expect(r.accountability!.total).toBe(3);
  });

  it('a school admin reads their school only (after release), without accountability; a teacher is refused', async () => {
    const admin: Scope = { role: 'school_admin', unitId: schoolIds['巷道中心小学']! };
    // not yet released to schools: the comparison is withheld, saying why
    const early = await campaignReport(handle.db, admin, campaignId, NOW);
    expect(early.comparison).toMatchObject({ withheld: 'not_released', schools: [], items: [] });
    for (const id of [baselineId, followUpId]) await roundAction(handle.db, office, actor, id, { action: 'release_schools' });
    const r = await campaignReport(handle.db, admin, campaignId, NOW);
    expect(r.viewer).toBe('school');
    expect(r.schools.map((s) => s.name)).toEqual(['巷道中心小学']);
    expect(r.comparison!.schools.map((s) => s.schoolName)).toEqual(['巷道中心小学']);
    expect(r.comparison!.schools[0]!.satisfaction!.ci95[0]).toBeCloseTo(0.0549, 3);
    // the items are this school's alone: q1 before 3/2/5 → 5 of 10 满意 or 基本满意, mean (300 + 150 + 275)/10 = 72.5
    expect(r.comparison!.items.find((i) => i.question === 'q1')!.before).toEqual({ n: 10, suppressed: false, satisfaction: 0.5, score: 72.5 });
    expect(r.participation.flatMap((p) => p.schools.map((s) => s.schoolName))).toEqual(['巷道中心小学', '巷道中心小学']);
    expect(r.ledger.total).toBe(3);
    expect(r.complaints.total).toBe(2);
    expect(r.commitments.total).toBe(4);
    expect(r.accountability).toBeNull();
    await expect(campaignReport(handle.db, { role: 'staff', unitId: admin.unitId }, campaignId, NOW)).rejects.toMatchObject({ code: 'forbidden' });
    const res = await call(campaignReportEndpoint, teacherKey, `/api/v1/campaigns/${campaignId}/report`);
    expect(res.status).toBe(403);
    const other = await call(campaignReportEndpoint, adminKey, `/api/v1/campaigns/${campaignId}/report`);
    expect(((await other.json()) as { schools: { name: string }[] }).schools.map((s) => s.name)).toEqual(['巷道中心小学']);
  });

  it('the JSON, the xlsx and the A4 PDF carry the same figures', async () => {
    const json = await call(campaignReportEndpoint, officeKey, `/api/v1/campaigns/${campaignId}/report`);
    expect(json.status).toBe(200);
    const body = (await json.json()) as { comparison: { improved: string[] } };
    expect(body.comparison.improved).toEqual(['巷道中心小学']);

    const xlsx = await call(campaignReportEndpoint, officeKey, `/api/v1/campaigns/${campaignId}/report?format=xlsx`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const rows = (name: string) => {
      const ws = wb.worksheets.find((w) => w.name.startsWith(name))!;
      const out: string[][] = [];
      ws.eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      return out;
    };
    const perSchool = rows('满意度前后对比（各校）');
    expect(perSchool.find((r) => r[0] === '巷道中心小学')).toEqual(['巷道中心小学', '10', '50.0%', '10', '95.0%', '45', '[5.5, 71.7]', '20.25', '[4.45, 36.05]', '提升']);
    expect(perSchool.find((r) => r[0] === '槐山小学')).toEqual(['槐山小学', '8', '100.0%', '8', '37.5%', '-62.5', '[-86.3, -17.0]', '-25', '[-41.70, -8.30]', '下降']);
    expect(perSchool.find((r) => r[0] === '巷道初级中学')!.slice(1, 5)).toEqual(['样本不足', '样本不足', '样本不足', '样本不足']);
    // the API reads today, by which the fifth item (due 2023-06-30) is due too: 1 of 5 on time
    expect(rows('整改台帐').find((r) => r[0] === '按期完成率')).toEqual(['按期完成率', '20.0%']);
    expect(rows('效能投诉').find((r) => r[0] === '办结用时中位数（工作日）')).toEqual(['办结用时中位数（工作日）', '4']);
    expect(rows('效能问责').find((r) => r[0] === '合计')).toEqual(['合计', '3']);

    const pdf = await call(campaignReportEndpoint, officeKey, `/api/v1/campaigns/${campaignId}/report?format=pdf`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const doc = await getDocument({ data: new Uint8Array(await pdf.arrayBuffer()), isEvalSupported: false, standardFontDataUrl: STANDARD_FONTS }).promise;
    const page = await doc.getPage(1);
    const [, , w, h] = page.view;
    // A4: 595.28 × 841.89 points
    expect([Math.round(w!), Math.round(h!)]).toEqual([595, 842]);
    const lines: string[] = [];
    for (let i = 1; i <= doc.numPages; i++) lines.push(...(await (await doc.getPage(i)).getTextContent()).items.map((it) => ('str' in it ? it.str : '')));
    for (const text of ['2022年效能风暴行动（修订） 总结报告', '巷道中心小学', '+45.0', '[5.5, 71.7]', '[-86.3, -17.0]', '20.0%', '测试·效能告诫', '样本不足']) expect(lines, text).toContain(text);

    const bad = await call(campaignReportEndpoint, officeKey, `/api/v1/campaigns/${campaignId}/report?format=doc`);
    expect(bad.status).toBe(400);
  });
});
