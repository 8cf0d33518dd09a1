/**
 * The demo's 效能风暴行动: the district's campaign (four phases around today, the schools' 整改方案
 * already due — one on time, one late, one missing — and each person's 书面总结 still to come, three
 * handed in), with the district's rounds; and a handful of 效能投诉 in every state of the hotline,
 * one of them overdue. The replied complaint has a fixed tracking code (DEMO_TRACKING_CODE) for
 * trying the public 回访 page. Three 整改台帐 items: one from that complaint, one overdue, one verified.
 */
import { eq, inArray } from 'drizzle-orm';
import { shanghaiDay } from '@/lib/campaigns/campaigns';
import type { Db } from '@/lib/db/client';
import {
  campaignDeliverables,
  campaignPhases,
  campaignRounds,
  campaigns,
  complaintEvents,
  complaints,
  deliverableSubmissions,
  ledgerItems,
  ledgerNotes,
  rounds,
  staff,
  units,
  type NewComplaint,
} from '@/lib/db/schema';
import { DEFAULT_STEP_DAYS, stepDue } from '@/lib/complaints/deadlines';
import { newTrackingCode, trackingHash } from '@/lib/complaints/public';
import { seedCommitments } from './commitments';

export const DEMO_TRACKING_CODE = 'XDTS-2345-6789';

const DAY = 86_400_000;

export async function seedCampaign(tx: Db, { schoolIds, now }: { schoolIds: string[]; now: Date }): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
  await seedDemoCampaign(tx, schoolIds, now);
  type Step = { status: NewComplaint['status'] & string; at: Date; note?: string; late?: boolean };
  const add = async (c: Omit<NewComplaint, 'trackingHash' | 'stepDueAt' | 'status' | 'createdAt'>, steps: Step[], code = newTrackingCode()) => {
    const last = steps.at(-1)!;
    const [row] = await tx
      .insert(complaints)
      .values({ ...c, trackingHash: trackingHash(code.replace(/-/g, '')), status: last.status, stepDueAt: stepDue(last.status!, last.at, DEFAULT_STEP_DAYS), createdAt: steps[0]!.at, updatedAt: last.at })
      .returning({ id: complaints.id });
    await tx.insert(complaintEvents).values(steps.map((s) => ({ complaintId: row!.id, status: s.status!, at: s.at, note: s.note ?? null, late: s.late ?? false })));
  };
  const [central, huaishan, middle] = schoolIds as [string, string, string];
  // just in: waiting for 受理
  await add({ unitId: central, category: 'attitude', body: '学校门卫对接送孩子的家长态度生硬，经常大声呵斥。', contact: '139****2211' }, [{ status: 'received', at: ago(0.2) }]);
  // in for a week and not accepted: overdue
  const old = ago(7);
  await add({ unitId: huaishan, category: 'fees', personName: '某班主任', body: '班主任要求每个学生交五十元资料费，没有开收据，也没有说明用途。' }, [{ status: 'received', at: old }]);
  // passed to the school, being handled
  await add({ unitId: middle, category: 'slack', body: '学校办公室上班时间经常没人，打电话也没人接，开证明要跑好几趟。', name: '赵家长', contact: '138****6677' }, [
    { status: 'received', at: ago(4) },
    { status: 'accepted', at: ago(3) },
    { status: 'assigned', at: ago(3), note: '巷道初级中学' },
  ]);
  // replied, waiting for the complainant's rating (try it with DEMO_TRACKING_CODE on /tousu/chaxun)
  await add(
    { unitId: central, handlingUnitId: central, category: 'other', body: '学校周边小摊贩售卖三无食品，学生放学后围着买，存在安全隐患。', reply: '已会同市场监管所对校门口摊点进行了清理，并在放学时段安排值周教师值守。' },
    [
      { status: 'received', at: ago(9) },
      { status: 'accepted', at: ago(8) },
      { status: 'assigned', at: ago(8), note: '巷道中心小学' },
      { status: 'replied', at: ago(2), note: '已会同市场监管所对校门口摊点进行了清理，并在放学时段安排值周教师值守。' },
    ],
    DEMO_TRACKING_CODE,
  );
  // the whole way to 办结, the complainant satisfied
  await add(
    { unitId: huaishan, handlingUnitId: huaishan, category: 'attitude', body: '家长会上老师当众批评成绩差的学生，孩子回家后不愿意上学。', reply: '学校已与该教师谈话，要求其改进教育方式，并由班主任上门与家长沟通。', rating: 'satisfied' },
    [
      { status: 'received', at: ago(20) },
      { status: 'accepted', at: ago(19) },
      { status: 'assigned', at: ago(19), note: '槐山小学' },
      { status: 'replied', at: ago(12) },
      { status: 'rated', at: ago(11) },
      { status: 'closed', at: ago(10) },
    ],
  );
  await seedLedger(tx, central, huaishan, now);
  await seedCommitments(tx, central, huaishan, now);
}

/** Three 整改台帐 items: one from the replied complaint (in progress), one overdue, one verified (销号). */
async function seedLedger(tx: Db, central: string, huaishan: string, now: Date) {
  const day = (d: number) => shanghaiDay(new Date(now.getTime() + d * DAY));
  const at = (d: number) => new Date(now.getTime() + d * DAY);
  const [school] = await tx.select({ parentId: units.parentId }).from(units).where(eq(units.id, central));
  const [campaign] = await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.unitId, school!.parentId!));
  const [complaint] = await tx.select({ id: complaints.id }).from(complaints).where(eq(complaints.trackingHash, trackingHash(DEMO_TRACKING_CODE.replace(/-/g, ''))));
  const [person] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.unitId, central)).limit(1);
  const [other] = await tx.select({ id: staff.id }).from(staff).where(eq(staff.unitId, huaishan)).limit(1);
  const items = await tx
    .insert(ledgerItems)
    .values([
      { unitId: central, seq: 1, campaignId: campaign?.id ?? null, complaintId: complaint?.id ?? null, source: 'complaint', sourceDetail: '效能投诉：校门口摊贩', problem: '学校周边小摊贩售卖三无食品，放学时段秩序混乱', measure: '会同市场监管所清理摊点；放学时段安排值周教师值守', target: '校门口无流动摊贩，家长无同类投诉', dueOn: day(20), responsibleStaffId: person?.id ?? null, status: 'in_progress', createdAt: at(-2), updatedAt: at(-1) },
      { unitId: central, seq: 2, campaignId: campaign?.id ?? null, source: 'round', sourceDetail: '家长满意度测评：作业负担得分偏低', problem: '部分班级课后作业量偏大', measure: '年级组统筹作业总量，每周公示', target: '家长对作业负担的满意率达到 90%', dueOn: day(-5), responsibleStaffId: person?.id ?? null, status: 'open', createdAt: at(-30), updatedAt: at(-30) },
      { unitId: huaishan, seq: 1, campaignId: campaign?.id ?? null, source: 'supervision', sourceDetail: '效能监督岗明察暗访', problem: '食堂账目未按月公开', measure: '成立膳食委员会，每月公开食堂账目', target: '每月 5 日前公开上月账目', dueOn: day(-10), responsibleStaffId: other?.id ?? null, status: 'verified', effect: '监督岗复查：连续两个月按时公开，家长代表认可', doneAt: at(-15), verifiedAt: at(-8), createdAt: at(-40), updatedAt: at(-8) },
    ])
    .returning({ id: ledgerItems.id, status: ledgerItems.status });
  const [fromComplaint, overdue, verified] = items as unknown as [{ id: string }, { id: string }, { id: string }];
  await tx.insert(ledgerNotes).values([
    { itemId: fromComplaint.id, at: at(-2), status: 'open' },
    { itemId: fromComplaint.id, at: at(-1), status: 'in_progress', body: '已与市场监管所联系，约定本周联合清理。' },
    { itemId: overdue.id, at: at(-30), status: 'open' },
    { itemId: verified.id, at: at(-40), status: 'open' },
    { itemId: verified.id, at: at(-35), status: 'in_progress', body: '膳食委员会已成立。' },
    { itemId: verified.id, at: at(-15), status: 'done', body: '已公开两个月账目。' },
    { itemId: verified.id, at: at(-8), status: 'verified', body: '监督岗复查：连续两个月按时公开，家长代表认可' },
  ]);
}

async function seedDemoCampaign(tx: Db, schoolIds: string[], now: Date) {
  const [school] = await tx.select({ parentId: units.parentId }).from(units).where(eq(units.id, schoolIds[0]!));
  const districtId = school!.parentId!;
  const dayOf = (offset: number) => shanghaiDay(new Date(now.getTime() + offset * DAY));
  const [campaign] = await tx
    .insert(campaigns)
    .values({ unitId: districtId, title: `${now.getUTCFullYear()}年效能风暴行动`, startsOn: dayOf(-60), endsOn: dayOf(60) })
    .returning();
  await tx.insert(campaignPhases).values([
    { campaignId: campaign!.id, kind: 'mobilise', startsOn: dayOf(-60), endsOn: dayOf(-46), sortOrder: 0 },
    { campaignId: campaign!.id, kind: 'self_check', startsOn: dayOf(-45), endsOn: dayOf(-11), sortOrder: 1 },
    { campaignId: campaign!.id, kind: 'rectify', startsOn: dayOf(-10), endsOn: dayOf(35), sortOrder: 2 },
    { campaignId: campaign!.id, kind: 'review', startsOn: dayOf(36), endsOn: dayOf(60), sortOrder: 3 },
  ]);
  const [plan, summary] = await tx
    .insert(campaignDeliverables)
    .values([
      { campaignId: campaign!.id, scope: 'school', title: '整改方案', dueAt: new Date(now.getTime() - 10 * DAY), sortOrder: 0 },
      { campaignId: campaign!.id, scope: 'person', title: '个人书面总结', dueAt: new Date(now.getTime() + 30 * DAY), sortOrder: 1 },
    ])
    .returning();
  const districtRounds = await tx.select({ id: rounds.id }).from(rounds).where(eq(rounds.unitId, districtId));
  if (districtRounds.length) await tx.insert(campaignRounds).values(districtRounds.map((r) => ({ campaignId: campaign!.id, roundId: r.id })));
  const [central, huaishan] = schoolIds as [string, string];
  await tx.insert(deliverableSubmissions).values([
    { deliverableId: plan!.id, unitId: central, body: '一、整改任务：规范作业布置，杜绝有偿家教。二、整改措施：建立作业公示制度，签订师德承诺书。三、整改时限：本学期末。四、责任人：校长。', submittedAt: new Date(now.getTime() - 12 * DAY) },
    { deliverableId: plan!.id, unitId: huaishan, body: '针对家长满意度测评中反映的食堂问题，成立膳食委员会，每月公开食堂账目，责任人为分管副校长。', submittedAt: new Date(now.getTime() - 6 * DAY) },
  ]);
  const people = await tx.select({ id: staff.id, unitId: staff.unitId }).from(staff).where(inArray(staff.unitId, [central])).limit(3);
  if (people.length)
    await tx.insert(deliverableSubmissions).values(
      people.map((p) => ({ deliverableId: summary!.id, unitId: p.unitId, staffId: p.id, body: '本人对照六查六看认真自查，在工作效率方面存在不足，今后将严格落实首问责任制，按时完成各项工作。', submittedAt: new Date(now.getTime() - 2 * DAY) })),
    );
}
