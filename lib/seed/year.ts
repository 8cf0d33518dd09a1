/**
 * The rest of the demo district's year, so an office user exploring it meets every capability:
 *
 * - a closed and released 民主评议 of the school leaders and the 学区办公室 (五查 + 等次), answered
 *   by the district's leading group and outside representatives (free-label personal links, not
 *   tied to a school) and by the colleagues of each school from their accounts;
 * - an open 六查六看 round: each staff member's self-inspection report (some submitted, one
 *   reviewed, one returned with a remark) and a colleague ballot on the head teachers;
 * - the annual assessment computed from the released rounds and 平时考核 entries, every grade
 *   signed, in its 公示 window.
 *
 * Everything goes through the functions the office, the answering page and /me use (createRound,
 * issueLinks, acceptSubmission, saveMyReport, reviewReport, createYear, computeYear, signGrades),
 * so the demo shows exactly what real use produces. Only closing the ballot round in the past is
 * written directly, as the past-round seed does: a real close would stamp today.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { assessments, assessmentYears, links, roundForms, rounds, staff, templateVersions, type Staff } from '@/lib/db/schema';
import { computeYear, createYear, signGrades, yearAction } from '@/lib/assessment/mutations';
import { recordEntries } from '@/lib/assessment/entries';
import { acceptSubmission, linkById, withSubjects } from '@/lib/responses/respond';
import { issueLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { submitInput } from '@/lib/rounds/schemas';
import { sealInTransaction } from '@/lib/rounds/seal';
import { reviewReport, saveMyReport } from '@/lib/workspace/reports';
import { ensurePlaces } from '@/lib/workspace/tasks';
import { parseInput } from '@/lib/validation';
import type { seededRandom } from './random';

type Rnd = ReturnType<typeof seededRandom>;

export interface YearInput {
  districtId: string;
  officeUnitName: string;
  schoolIds: string[];
  /** the office login (signs the grades) and the school admin of the first school (reviews reports) */
  office: Scope;
  schoolAdmin: Scope;
  /** the demo teacher: their tasks stay open so the demo login has something to do */
  teacherStaffId: string;
  /** the released student/parent round of last spring */
  pastRoundId: string;
  schoolYear: string;
  now: Date;
}

const DAY = 86_400_000;
const FIVE_ROWS = ['ideas', 'style', 'service', 'delivery', 'efficiency'];
const SIX_ROWS = ['spirit', 'execution', 'attitude', 'efficiency', 'law', 'quality'];
const BALLOT_COMMENTS = ['工作扎实，作风务实', '希望多深入课堂听课', '服务意识强，办事效率高', '建议减少不必要的检查和材料', '对青年教师关心帮助多', '会议可以再精简一些'];
const PROBLEMS = ['备课不够深入，作业批改有时不及时', '与家长沟通不够主动', '业务学习抓得不紧，信息化手段用得少', '对后进生关注不够', '工作有拖沓现象，个别任务临近期限才完成'];
const MEASURES = ['每周集体备课一次，作业当天批改当天反馈', '每月与每位家长至少联系一次', '每学期读两本专业书籍，每周上一节信息化示范课', '建立后进生辅导台帐，每周个别辅导两次', '任务列清单、定时限，当周事当周毕'];
const COMMITMENTS = ['不体罚和变相体罚学生，不有偿补课，不收受家长礼品', '按时到岗，认真上好每一节课', '热情接待每一位家长，及时回复家长问题', '本学期所教班级学业成绩稳步提高'];

async function templateVersionId(db: Db, versionId: string) {
  const [v] = await db.select({ templateId: templateVersions.templateId }).from(templateVersions).where(eq(templateVersions.id, versionId));
  return v!.templateId;
}

/** Answers a ballot form through one place (a personal link or an account place), as the answering page does. */
async function answerBallot(db: Db, rnd: Rnd, linkId: string, skill: Map<string, number>, comments: boolean) {
  const row = (await linkById(db, linkId))!;
  const { subjects } = await withSubjects(db, row);
  if (!subjects.length) return false;
  const answers: Record<string, Record<string, unknown>> = {};
  for (const s of subjects) {
    const level = skill.get(s.key) ?? 75;
    const check = () => rnd.weighted({ satisfied: level, fair: 100 - level, unsatisfied: 6, unknown: 3 });
    const a: Record<string, unknown> = {
      five_checks: Object.fromEntries(FIVE_ROWS.map((r) => [r, check()])),
      grade: rnd.weighted({ excellent: Math.max(level - 45, 5), competent: 45, basic: 8, incompetent: 2 }),
    };
    if (comments && rnd.next() < 0.3) a.comments = rnd.pick(BALLOT_COMMENTS);
    answers[s.key] = a;
  }
  const idempotencyKey = `seed${Math.floor(rnd.next() * 2 ** 48).toString(36)}${Math.floor(rnd.next() * 2 ** 48).toString(36)}`.padEnd(16, '0');
  await acceptSubmission(db, row, parseInput(submitInput, { idempotencyKey, answers }));
  return true;
}

async function formsOf(db: Db, roundId: string) {
  return db.select().from(roundForms).where(eq(roundForms.roundId, roundId)).orderBy(asc(roundForms.title));
}

/** 民主评议: leaders and representatives rate every school leader and the office; colleagues their own leaders. */
async function seedAppraisalRound(tx: Db, rnd: Rnd, actor: Actor, input: YearInput, appraisalTemplateId: string, people: Staff[]): Promise<{ roundId: string; responses: number }> {
  const year = input.now.getUTCFullYear();
  const round = await createRound(tx, input.office, actor, {
    title: `${year}年度学校领导班子及学区办公室民主评议`,
    schoolYear: input.schoolYear,
    term: 1,
    opensAt: new Date(input.now.getTime() - 24 * DAY).toISOString(),
    // open for the answers below; closed in the past once they are in
    closesAt: new Date(input.now.getTime() + DAY).toISOString(),
    raterGroups: [
      { kind: 'leader', name: '学区领导小组', weight: 20 },
      { kind: 'colleague', name: '本校教职工', weight: 40 },
      { kind: 'representative', name: '评议代表', weight: 40 },
    ],
    forms: [
      { templateId: appraisalTemplateId, raterGroup: 0, subjectMode: 'ballot', title: '民主评议表（学区领导小组）', ballot: ['@principals', input.officeUnitName] },
      { templateId: appraisalTemplateId, raterGroup: 1, subjectMode: 'ballot', title: '民主评议表（本校教职工）', ballot: ['@principals'] },
      { templateId: appraisalTemplateId, raterGroup: 2, subjectMode: 'ballot', title: '民主评议表（评议代表）', ballot: ['@principals', input.officeUnitName] },
    ],
  });
  await roundAction(tx, input.office, actor, round.id, { action: 'open' });
  const forms = await formsOf(tx, round.id);
  const formOf = (suffix: string) => forms.find((f) => f.title.includes(suffix))!;
  const skill = new Map<string, number>(people.map((p) => [p.id, rnd.int(62, 92)]));

  let written = 0;
  // outside raters: personal one-time links with a free label (no staff record, no school)
  const panels: [string, string[]][] = [
    [formOf('领导小组').id, ['学区领导小组 组长', '学区领导小组 副组长', '学区领导小组 成员甲', '学区领导小组 成员乙', '学区领导小组 成员丙']],
    [formOf('评议代表').id, ['党代表 王建军', '党代表 李秀兰', '人大代表 赵国庆', '人大代表 陈玉梅', '政协委员 刘文斌', '家长代表 张海燕', '家长代表 孙红', '家长代表 周平', '群众代表 马云飞', '群众代表 郭丽', '群众代表 何强', '教师代表 胡静']],
  ];
  for (const [formId, labels] of panels) {
    await issueLinks(tx, input.office, actor, round.id, { kind: 'personal', formId, people: labels });
    const issued = await tx.select({ id: links.id }).from(links).where(eq(links.formId, formId)).orderBy(asc(links.label));
    // one or two never answer, as in life
    for (const [i, l] of issued.entries()) if (i < labels.length - (labels.length > 6 ? 2 : 0) && (await answerBallot(tx, rnd, l.id, skill, true))) written++;
  }
  // colleagues answer from their accounts (/me), each rating the leaders of their own school
  const colleagues = formOf('本校教职工');
  for (const schoolId of input.schoolIds) await ensurePlaces(tx, round.id, colleagues.id, schoolId);
  const places = await tx.select({ id: links.id }).from(links).where(and(eq(links.formId, colleagues.id), eq(links.kind, 'account')));
  for (const p of places) if (rnd.next() < 0.8 && (await answerBallot(tx, rnd, p.id, skill, false))) written++;

  // the round closed ten days ago and was released to schools, then to staff; sealed as at its close
  const closesAt = new Date(input.now.getTime() - 10 * DAY);
  await tx
    .update(rounds)
    .set({ status: 'released', closesAt, releasedToSchoolsAt: new Date(closesAt.getTime() + 2 * DAY), releasedToStaffAt: new Date(closesAt.getTime() + 4 * DAY) })
    .where(eq(rounds.id, round.id));
  await sealInTransaction(tx, round.id, input.now);
  return { roundId: round.id, responses: written };
}

/** 六查六看, open: self-inspection reports in every state, and a colleague ballot on the head teachers. */
async function seedSelfInspectionRound(tx: Db, rnd: Rnd, actor: Actor, input: YearInput, templates: { self: string; appraisal: string }, people: Staff[]) {
  const headTeachers = people.filter((p) => p.position === '班主任');
  const round = await createRound(tx, input.office, actor, {
    title: `${input.schoolYear.slice(0, 4)}年秋季学期“六查六看”自查自纠与同事互评`,
    schoolYear: input.schoolYear,
    term: 1,
    opensAt: new Date(input.now.getTime() - 6 * DAY).toISOString(),
    closesAt: new Date(input.now.getTime() + 18 * DAY).toISOString(),
    raterGroups: [
      { kind: 'colleague', name: '同事互评', weight: 80 },
      { kind: 'self', name: '本人自评', weight: 20 },
    ],
    forms: [
      { templateId: templates.appraisal, raterGroup: 0, subjectMode: 'ballot', title: '班主任工作同事互评', ballot: headTeachers.map((p) => p.staffNo) },
      { templateId: templates.self, raterGroup: 1, subjectMode: 'self', title: '教职工“六查六看”自评表' },
    ],
  });
  await roundAction(tx, input.office, actor, round.id, { action: 'open' });
  const forms = await formsOf(tx, round.id);
  const ballot = forms.find((f) => f.title.includes('同事互评'))!;
  const selfForm = forms.find((f) => f.title.includes('六查六看'))!;

  // about half of each school has answered the colleague ballot so far (not the demo teacher)
  const skill = new Map<string, number>(headTeachers.map((p) => [p.id, rnd.int(65, 92)]));
  for (const schoolId of input.schoolIds) await ensurePlaces(tx, round.id, ballot.id, schoolId);
  const places = await tx
    .select({ id: links.id, staffId: links.issuedToStaffId })
    .from(links)
    .where(and(eq(links.formId, ballot.id), eq(links.kind, 'account')))
    .orderBy(asc(links.issuedToStaffId));
  let written = 0;
  for (const p of places) if (p.staffId !== input.teacherStaffId && rnd.next() < 0.5 && (await answerBallot(tx, rnd, p.id, skill, false))) written++;

  // reports: per school a few submitted, one reviewed; in the first school one returned and one draft
  const reports = { submitted: 0, reviewed: 0, returned: 0, draft: 0 };
  for (const [s, schoolId] of input.schoolIds.entries()) {
    const mine = people.filter((p) => p.unitId === schoolId && p.id !== input.teacherStaffId && p.position !== '校长');
    const writers = mine.slice(0, s === 0 ? 6 : 3);
    for (const [i, p] of writers.entries()) {
      const scope: Scope = { role: 'staff', unitId: schoolId, staffId: p.id };
      const draft = s === 0 && i === writers.length - 1;
      const answers = {
        six_checks: Object.fromEntries(SIX_ROWS.map((r) => [r, rnd.weighted({ good: 50, fairly_good: 40, average: 10 })])),
        problems: rnd.pick(PROBLEMS),
        measures: rnd.pick(MEASURES),
      };
      const saved = await saveMyReport(tx, scope, actor, selfForm.id, { answers, commitments: rnd.pick(COMMITMENTS), submit: !draft });
      if (draft) {
        reports.draft++;
        continue;
      }
      reports.submitted++;
      const reviewer = s === 0 ? input.schoolAdmin : input.office;
      if (i === 0) {
        await reviewReport(tx, reviewer, actor, saved.id, { action: 'review', remark: '自查认真，整改措施具体，请抓好落实。' });
        reports.reviewed++;
      } else if (s === 0 && i === 1) {
        await reviewReport(tx, reviewer, actor, saved.id, { action: 'return', remark: '公开承诺过于笼统，请写明具体措施和完成时限后重新提交。' });
        reports.returned++;
      }
    }
  }
  return { roundId: round.id, responses: written + reports.submitted, reports };
}

/** 年度考核: democratic appraisal, student evaluation, the school's parent satisfaction and 平时考核; signed and announced. */
async function seedAssessment(tx: Db, rnd: Rnd, actor: Actor, input: YearInput, appraisalRoundId: string, people: Staff[]) {
  const year = input.now.getUTCFullYear();
  const created = await createYear(tx, input.office, actor, {
    unit: input.districtId,
    year,
    title: `${year}年度教职工年度考核`,
    components: [
      { key: 'democratic', kind: 'democratic', name: '民主评议', weight: 30, source: 'round_score', roundIds: [appraisalRoundId] },
      { key: 'student', kind: 'student', name: '学生评教', weight: 30, source: 'round_score', roundIds: [input.pastRoundId] },
      { key: 'parent', kind: 'parent', name: '家长满意度', weight: 10, source: 'school_score', roundIds: [input.pastRoundId] },
      { key: 'regular', kind: 'regular', name: '平时考核', weight: 30, source: 'entries', roundIds: [] },
    ],
    rules: { excellentQuotaPercent: 20 },
  });
  await recordEntries(tx, input.office, actor, created.id, {
    entries: people.flatMap((p) => [
      { staff: p.staffNo, period: '第一学期', score: rnd.int(78, 98) },
      { staff: p.staffNo, period: '第二学期', score: rnd.int(78, 98) },
    ]),
  });
  const [row] = await tx.select().from(assessmentYears).where(eq(assessmentYears.id, created.id));
  await computeYear(tx, input.office, actor, row!);
  const proposals = await tx.select().from(assessments).where(eq(assessments.yearId, created.id));
  await signGrades(
    tx,
    input.office,
    actor,
    created.id,
    {
      items: proposals.map((a) =>
        a.proposedGrade ? { staffId: a.staffId, grade: a.proposedGrade } : { staffId: a.staffId, grade: 'qualified' as const, reason: '无测评数据，按平时表现评定' },
      ),
    },
    '巷道学区办公室',
  );
  const announced = await yearAction(tx, input.office, actor, created.id, { action: 'announce', workingDays: 5 });
  return { yearId: created.id, assessed: proposals.length, endsAt: announced.endsAt };
}

export async function seedYear(tx: Db, rnd: Rnd, actor: Actor, input: YearInput, versions: { appraisal: string; self: string }) {
  const people = await tx.select().from(staff).where(and(inArray(staff.unitId, input.schoolIds), eq(staff.active, true))).orderBy(asc(staff.staffNo));
  const templates = { appraisal: await templateVersionId(tx, versions.appraisal), self: await templateVersionId(tx, versions.self) };
  const appraisal = await seedAppraisalRound(tx, rnd, actor, input, templates.appraisal, people);
  const inspection = await seedSelfInspectionRound(tx, rnd, actor, input, templates, people);
  const assessment = await seedAssessment(tx, rnd, actor, input, appraisal.roundId, people);
  return { responses: appraisal.responses + inspection.responses, appraisalRoundId: appraisal.roundId, inspectionRoundId: inspection.roundId, reports: inspection.reports, ...assessment };
}
