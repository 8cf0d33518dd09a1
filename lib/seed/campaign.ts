/**
 * The demo's 效能风暴行动 material: a handful of 效能投诉 in every state of the hotline, dated so
 * that one of them is overdue, so the complaint pages have something real to show. The replied
 * complaint has a fixed tracking code (DEMO_TRACKING_CODE) for trying the public 回访 page.
 */
import type { Db } from '@/lib/db/client';
import { complaintEvents, complaints, type NewComplaint } from '@/lib/db/schema';
import { DEFAULT_STEP_DAYS, stepDue } from '@/lib/complaints/deadlines';
import { newTrackingCode, trackingHash } from '@/lib/complaints/public';

export const DEMO_TRACKING_CODE = 'XDTS-2345-6789';

const DAY = 86_400_000;

export async function seedCampaign(tx: Db, { schoolIds, now }: { schoolIds: string[]; now: Date }): Promise<void> {
  const ago = (days: number) => new Date(now.getTime() - days * DAY);
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
}
