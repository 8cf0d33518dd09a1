import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { hashPassword } from '@/lib/auth/secrets';
import type { Db } from '@/lib/db/client';
import {
  classes,
  links,
  raterGroups,
  roundForms,
  roundUnits,
  rounds,
  staff,
  teachingAssignments,
  templateVersions,
  units,
  users,
  type NewClass,
  type NewStaff,
  type NewTeachingAssignment,
} from '@/lib/db/schema';
import { writeResponse } from '@/lib/responses/store';
import { linkToken, tokenHash, tokenSecret } from '@/lib/rounds/tokens';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import { builtInVersion, installLibrary } from '@/lib/surveys/library';
import { seedCampaign } from './campaign';
import { seedPastRound } from './past-round';
import { seededRandom } from './random';
import { seedYear } from './year';

/** The demo office login, printed at start-up and written in the README. Change it after the first login. */
export const DEMO_LOGIN = { username: 'xiangdao', password: 'pingyi-demo-2026' } as const;
export const DEMO_DISTRICT = '巷道学区';
export const DEMO_OFFICE_UNIT = '巷道学区办公室';
/** Demo logins below the office (same password): a principal and a teacher of 巷道中心小学. */
export const DEMO_SCHOOL_ADMIN = { username: 'xd_principal', password: DEMO_LOGIN.password } as const;
export const DEMO_TEACHER = { username: 'xd_teacher', password: DEMO_LOGIN.password } as const;

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘邢姜武'.split('');
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰红梅玲琴云飞鹏辉建国文斌海燕雪晶'.split('');

const SCHOOLS = [
  { name: '巷道中心小学', code: 'XD01', grades: [1, 2, 3, 4, 5, 6], perGrade: 2 },
  { name: '槐山小学', code: 'XD02', grades: [1, 2, 3, 4, 5, 6], perGrade: 1 },
  { name: '巷道初级中学', code: 'XD03', grades: [7, 8, 9], perGrade: 2 },
];

const GRADE_NAMES = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

function subjectsFor(grade: number): string[] {
  if (grade <= 2) return ['语文', '数学', '体育', '音乐'];
  if (grade <= 6) return ['语文', '数学', '英语', '科学', '体育'];
  return ['语文', '数学', '英语', '物理', '历史', '体育'];
}

export function currentSchoolYear(now = new Date()): string {
  const y = now.getUTCFullYear();
  return now.getUTCMonth() >= 7 ? `${y}-${y + 1}` : `${y - 1}-${y}`;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(units);
  return (row?.n ?? 0) === 0;
}

export interface SeedSummary {
  schools: number;
  classes: number;
  staff: number;
  assignments: number;
  responses: number;
  /** 六查六看 reports by state */
  selfReports?: { submitted: number; reviewed: number; returned: number; draft: number };
  /** staff with an annual assessment (signed, in 公示) */
  assessed?: number;
}

/**
 * Seeds the demo district 巷道学区 (高台县): 3 schools, 24 classes, about 40 staff with teaching
 * assignments, the built-in templates, and one open parent-satisfaction round with a few hundred
 * generated answers. Deterministic for a given seed. Refuses a database that already has units.
 */
export async function seedDemo(db: Db, actor: Actor, opts: { seed?: number; now?: Date } = {}): Promise<SeedSummary> {
  const rnd = seededRandom(opts.seed ?? 2012);
  const now = opts.now ?? new Date();
  const schoolYear = currentSchoolYear(now);
  await installLibrary(db);
  const version = await builtInVersion(db, 'parent-satisfaction');
  const studentVersion = await builtInVersion(db, 'student-evaluation');
  const appraisalVersion = await builtInVersion(db, 'democratic-appraisal');
  const selfVersion = await builtInVersion(db, 'self-inspection');
  if (!version || !studentVersion || !appraisalVersion || !selfVersion) throw new Error('built-in questionnaires missing');
  const secret = await tokenSecret(db);
  const usedNames = new Set<string>();
  const personName = () => {
    for (;;) {
      const n = rnd.pick(SURNAMES) + rnd.pick(GIVEN) + (rnd.next() < 0.6 ? rnd.pick(GIVEN) : '');
      if (!usedNames.has(n)) return usedNames.add(n), n;
    }
  };

  return db.transaction(async (tx) => {
    if (!(await isEmpty(tx))) throw new Error('the database already has data; the demo district is only seeded into an empty one');
    const [county] = await tx.insert(units).values({ kind: 'county', name: '高台县教育体育局', code: 'GT' }).returning();
    const [district] = await tx
      .insert(units)
      .values({ kind: 'district', name: DEMO_DISTRICT, code: 'XD', parentId: county!.id })
      .returning();
    await tx.insert(units).values({ kind: 'office', name: DEMO_OFFICE_UNIT, code: 'XD00', parentId: district!.id });

    let staffNo = 1;
    const summary: SeedSummary = { schools: 0, classes: 0, staff: 0, assignments: 0, responses: 0 };
    const classRows: { id: string; schoolId: string; expectedParents: number }[] = [];
    const schoolIds: string[] = [];
    const taught: { staffId: string; classId: string }[] = [];

    for (const [i, s] of SCHOOLS.entries()) {
      const [school] = await tx
        .insert(units)
        .values({ kind: 'school', name: s.name, code: s.code, parentId: district!.id, sortOrder: i })
        .returning();
      schoolIds.push(school!.id);
      summary.schools++;
      const newClasses: NewClass[] = s.grades.flatMap((g) =>
        Array.from({ length: s.perGrade }, (_, k) => {
          const size = rnd.int(32, 48);
          return {
            schoolId: school!.id,
            grade: g,
            name: `${GRADE_NAMES[g]}年级(${k + 1})班`,
            expectedStudents: size,
            expectedParents: size,
          };
        }),
      );
      const insertedClasses = await tx.insert(classes).values(newClasses).returning();
      classRows.push(...insertedClasses.map((c) => ({ id: c.id, schoolId: school!.id, expectedParents: c.expectedParents })));
      summary.classes += insertedClasses.length;

      // A subject teacher takes the same subject in up to three classes of the school.
      const leaders: NewStaff[] = [
        { unitId: school!.id, staffNo: `XD${String(staffNo++).padStart(4, '0')}`, name: personName(), position: '校长', subjects: [] },
        { unitId: school!.id, staffNo: `XD${String(staffNo++).padStart(4, '0')}`, name: personName(), position: '副校长', subjects: [] },
      ];
      await tx.insert(staff).values(leaders);
      summary.staff += leaders.length;
      const assignments: NewTeachingAssignment[] = [];
      const bySubject = new Map<string, typeof insertedClasses>();
      for (const c of insertedClasses) for (const subj of subjectsFor(c.grade)) bySubject.set(subj, [...(bySubject.get(subj) ?? []), c]);
      for (const [subject, list] of bySubject) {
        const perTeacher = subject === '语文' || subject === '数学' ? 2 : 4;
        for (let k = 0; k < list.length; k += perTeacher) {
          const [teacher] = await tx
            .insert(staff)
            .values({
              unitId: school!.id,
              staffNo: `XD${String(staffNo++).padStart(4, '0')}`,
              name: personName(),
              position: subject === '语文' ? '班主任' : '教师',
              subjects: [subject],
            })
            .returning();
          summary.staff++;
          for (const c of list.slice(k, k + perTeacher)) {
            assignments.push({ staffId: teacher!.id, classId: c.id, subject, schoolYear, isHeadTeacher: subject === '语文' });
          }
        }
      }
      // one head teacher per class: the first Chinese teacher listed for it
      const seenHead = new Set<string>();
      for (const a of assignments) {
        if (a.isHeadTeacher && seenHead.has(a.classId)) a.isHeadTeacher = false;
        if (a.isHeadTeacher) seenHead.add(a.classId);
      }
      await tx.insert(teachingAssignments).values(assignments);
      summary.assignments += assignments.length;
      taught.push(...assignments.map((a) => ({ staffId: a.staffId, classId: a.classId })));
    }

    // one hash for the three demo logins (same password): argon2id is deliberately slow
    const passwordHash = await hashPassword(DEMO_LOGIN.password);
    const teacher = taught.find((t) => classRows.find((c) => c.id === t.classId)?.schoolId === schoolIds[0])!;
    const [officeUser, principalUser] = await tx
      .insert(users)
      .values([
        { username: DEMO_LOGIN.username, displayName: '巷道学区办公室', passwordHash, role: 'office', unitId: district!.id },
        { username: DEMO_SCHOOL_ADMIN.username, displayName: '巷道中心小学校长', passwordHash, role: 'school_admin', unitId: schoolIds[0]! },
        { username: DEMO_TEACHER.username, displayName: '巷道中心小学教师', passwordHash, role: 'staff', unitId: schoolIds[0]!, staffId: teacher.staffId },
      ])
      .returning();

    // One open round: parents rate their school, through one link per class.
    const [round] = await tx
      .insert(rounds)
      .values({
        unitId: district!.id,
        title: `${schoolYear.slice(0, 4)}年秋季学期家长满意度测评`,
        schoolYear,
        term: 1,
        status: 'open',
        opensAt: new Date(now.getTime() - 3 * 86_400_000),
        closesAt: new Date(now.getTime() + 11 * 86_400_000),
      })
      .returning();
    await tx.insert(roundUnits).values(schoolIds.map((unitId) => ({ roundId: round!.id, unitId })));
    const [group] = await tx.insert(raterGroups).values({ roundId: round!.id, kind: 'parent', name: '家长', weight: 100 }).returning();
    const [form] = await tx
      .insert(roundForms)
      .values({ roundId: round!.id, templateVersionId: version.id, raterGroupId: group!.id, subjectMode: 'school', title: '家长满意度问卷' })
      .returning();
    await tx.update(templateVersions).set({ lockedAt: now }).where(eq(templateVersions.id, version.id));

    const questions = scoredQuestions(version.definition);
    const rowNames = questions.find((q) => q.name === 'items')!.rows!.map((r) => r.value);
    for (const [ci, c] of classRows.entries()) {
      const linkId = randomUUID();
      // schools differ a little so the charts have something to show
      const mood = [72, 60, 50][schoolIds.indexOf(c.schoolId)]! + rnd.int(-8, 8);
      const answered = Math.round(c.expectedParents * (0.25 + rnd.next() * 0.5));
      await tx.insert(links).values({
        id: linkId,
        roundId: round!.id,
        formId: form!.id,
        kind: 'class',
        tokenHash: tokenHash(secret, linkToken(secret, linkId)),
        schoolId: c.schoolId,
        classId: c.id,
        capacity: c.expectedParents,
        usedCount: answered,
        label: `班级链接 ${ci + 1}`,
      });
      for (let r = 0; r < answered; r++) {
        const answer = () => rnd.weighted({ satisfied: mood, fair: 85 - mood, unsatisfied: 8, unknown: 5 });
        const data: Record<string, unknown> = {
          overall: answer(),
          items: Object.fromEntries(rowNames.map((row) => [row, answer()])),
          gifts: rnd.weighted({ no: 95, yes: 1, unknown: 4 }),
          paid_tutoring: rnd.weighted({ no: 93, yes: 2, unknown: 5 }),
          corporal_punishment: rnd.weighted({ no: 96, yes: 1, unknown: 3 }),
        };
        if (rnd.next() < 0.15) data.comments = rnd.pick(['希望减少作业量', '老师很负责，孩子进步很大', '建议加强校门口交通安全', '食堂饭菜可以再丰富一些', '希望多组织课外活动']);
        await writeResponse(
          tx,
          { roundId: round!.id, formId: form!.id, raterGroupId: group!.id, schoolId: c.schoolId, classId: c.id, idempotencyKey: randomUUID(), data: { [c.schoolId]: data } },
          [{ subject: { type: 'unit', key: c.schoolId }, facts: factsFromAnswers(questions, data) }],
        );
        summary.responses++;
      }
    }
    const past = await seedPastRound(tx, rnd, {
      districtId: district!.id, schoolIds, classes: classRows, teachers: taught, studentVersion, parentVersion: version, secret, schoolYear, now,
    });
    summary.responses += past.responses;
    // the rest of the year: 民主评议 (released), 六查六看 (open), the annual assessment in 公示
    const year = await seedYear(
      tx,
      rnd,
      actor,
      {
        districtId: district!.id,
        officeUnitName: DEMO_OFFICE_UNIT,
        schoolIds,
        office: { role: 'office', unitId: district!.id, userId: officeUser!.id },
        schoolAdmin: { role: 'school_admin', unitId: schoolIds[0]!, userId: principalUser!.id },
        teacherStaffId: teacher.staffId,
        pastRoundId: past.roundId,
        schoolYear,
        now,
      },
      { appraisal: appraisalVersion.id, self: selfVersion.id },
    );
    summary.responses += year.responses;
    summary.selfReports = year.reports;
    summary.assessed = year.assessed;
    await seedCampaign(tx, { schoolIds, now });
    await recordAudit(tx, actor, { action: 'demo.seed', entityType: 'unit', entityId: district!.id, unitId: district!.id, summary: { ...summary } });
    return summary;
  });
}
