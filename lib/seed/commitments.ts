/**
 * The demo's 公开承诺: at 巷道中心小学 the school's own and its teachers' commitments in every
 * state (pending, returned, published, published and overdue, reported, fulfilled, not fulfilled),
 * and 槐山小学's fulfilled one, so that /gongkai/{school} shows some and the office has some to act on.
 */
import { asc, eq } from 'drizzle-orm';
import { shanghaiDay } from '@/lib/campaigns/campaigns';
import type { Db } from '@/lib/db/client';
import { campaigns, commitments, staff, units, type Commitment } from '@/lib/db/schema';

const DAY = 86_400_000;

export async function seedCommitments(tx: Db, central: string, huaishan: string, now: Date): Promise<void> {
  const day = (d: number) => shanghaiDay(new Date(now.getTime() + d * DAY));
  const at = (d: number) => new Date(now.getTime() + d * DAY);
  const [school] = await tx.select({ parentId: units.parentId }).from(units).where(eq(units.id, central));
  const [campaign] = await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.unitId, school!.parentId!));
  const people = await tx.select({ id: staff.id }).from(staff).where(eq(staff.unitId, central)).orderBy(asc(staff.staffNo)).limit(7);
  const campaignId = campaign?.id ?? null;
  type Row = Omit<typeof commitments.$inferInsert, 'campaignId'> & { status: Commitment['status'] };
  const person = (i: number) => people[i % Math.max(people.length, 1)]?.id ?? null;
  const rows: Row[] = [
    { unitId: central, staffId: null, body: '校门口每天有值周教师迎送学生，放学时段校门口无流动摊贩', dueOn: day(20), status: 'approved', approvedAt: at(-3), createdAt: at(-5) },
    { unitId: central, staffId: person(0), body: '课后作业当天批改，每周对每位学生面批一次', dueOn: day(30), status: 'approved', approvedAt: at(-6), createdAt: at(-8) },
    { unitId: central, staffId: person(1), body: '不搞有偿家教，不向学生推销教辅资料', dueOn: day(-5), status: 'fulfilled', approvedAt: at(-40), reportedAt: at(-6), confirmedAt: at(-2), fulfilment: '本学期未参与任何有偿家教，未推荐教辅资料，家长问卷无相关反映。', createdAt: at(-42) },
    { unitId: central, staffId: person(2), body: '本学期家访覆盖全班学生', dueOn: day(-1), status: 'reported', approvedAt: at(-30), reportedAt: at(-1), fulfilment: '已家访 41 户，全班 43 人中 2 户在外务工，已电话家访。', createdAt: at(-31) },
    { unitId: central, staffId: person(3), body: '上课时间不接打手机、不做与教学无关的事', dueOn: day(-20), status: 'unfulfilled', approvedAt: at(-50), reportedAt: at(-19), confirmedAt: at(-15), fulfilment: '基本做到。', remark: '效能监督岗暗访两次发现上课使用手机，认定未履诺。', createdAt: at(-52) },
    { unitId: central, staffId: person(4), body: '每周一次向家长反馈学生在校表现', dueOn: day(-3), status: 'approved', approvedAt: at(-25), createdAt: at(-26) },
    { unitId: central, staffId: person(5), body: '每天提前十分钟到岗，按时上下班', dueOn: day(60), status: 'pending', createdAt: at(-1) },
    { unitId: central, staffId: person(6), body: '努力工作，争取更好成绩', dueOn: day(45), status: 'rejected', remark: '承诺过于笼统，请写明可检查的具体事项和时限。', createdAt: at(-4) },
    { unitId: huaishan, staffId: null, body: '每月 5 日前公开上月食堂账目', dueOn: day(-10), status: 'fulfilled', approvedAt: at(-45), reportedAt: at(-12), confirmedAt: at(-8), fulfilment: '已连续两个月按时公开，膳食委员会签字确认。', createdAt: at(-46) },
  ];
  await tx.insert(commitments).values(rows.map((r) => ({ ...r, campaignId, updatedAt: r.confirmedAt ?? r.reportedAt ?? r.approvedAt ?? r.createdAt })));
}
