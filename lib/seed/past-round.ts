/**
 * The demo district's previous round: last school year's spring term, closed and released to
 * schools and staff, with students rating each teacher of their class and parents rating the
 * school. It gives the results pages, the trends and the teacher login something real to show.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { sealInTransaction } from '@/lib/rounds/seal';
import { links, raterGroups, roundForms, roundUnits, rounds, templateVersions, type TemplateVersion } from '@/lib/db/schema';
import { writeResponse, type SubjectFacts } from '@/lib/responses/store';
import { linkToken, tokenHash } from '@/lib/rounds/tokens';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import type { seededRandom } from './random';

export interface PastRoundInput {
  districtId: string;
  schoolIds: string[];
  classes: { id: string; schoolId: string; expectedParents: number }[];
  /** teaching assignments: who teaches which class */
  teachers: { staffId: string; classId: string }[];
  studentVersion: TemplateVersion;
  parentVersion: TemplateVersion;
  secret: string;
  schoolYear: string;
  now: Date;
}

const DAY = 86_400_000;
/** Students answering per class: a sample, so the seed stays fast in every test's fresh database. */
const STUDENTS_PER_CLASS: [number, number] = [5, 8];
const PARENTS_PER_CLASS: [number, number] = [3, 5];

function previousYear(schoolYear: string): string {
  const start = Number(schoolYear.slice(0, 4));
  return `${start - 1}-${start}`;
}

/** Writes the round and returns it with how many responses it holds. */
export async function seedPastRound(tx: Db, rnd: ReturnType<typeof seededRandom>, input: PastRoundInput): Promise<{ roundId: string; responses: number }> {
  const schoolYear = previousYear(input.schoolYear);
  const closesAt = new Date(input.now.getTime() - 120 * DAY);
  const [round] = await tx
    .insert(rounds)
    .values({
      unitId: input.districtId,
      title: `${schoolYear.slice(5)}年春季学期学生评教与家长满意度测评`,
      schoolYear,
      term: 2,
      status: 'released',
      opensAt: new Date(closesAt.getTime() - 14 * DAY),
      closesAt,
      releasedToSchoolsAt: new Date(closesAt.getTime() + 7 * DAY),
      releasedToStaffAt: new Date(closesAt.getTime() + 14 * DAY),
    })
    .returning();
  const roundId = round!.id;
  await tx.insert(roundUnits).values(input.schoolIds.map((unitId) => ({ roundId, unitId })));
  const [students, parents] = await tx
    .insert(raterGroups)
    .values([
      { roundId, kind: 'student', name: '学生', weight: 60 },
      { roundId, kind: 'parent', name: '家长', weight: 40 },
    ])
    .returning();
  const [studentForm, parentForm] = await tx
    .insert(roundForms)
    .values([
      { roundId, templateVersionId: input.studentVersion.id, raterGroupId: students!.id, subjectMode: 'class_teachers', title: '学生评教表' },
      { roundId, templateVersionId: input.parentVersion.id, raterGroupId: parents!.id, subjectMode: 'school', title: '家长满意度问卷' },
    ])
    .returning();
  await tx.update(templateVersions).set({ lockedAt: input.now }).where(eq(templateVersions.id, input.studentVersion.id));

  const studentQuestions = scoredQuestions(input.studentVersion.definition);
  const parentQuestions = scoredQuestions(input.parentVersion.definition);
  const studentRows = studentQuestions.find((q) => q.name === 'items')!.rows!.map((r) => r.value);
  const parentRows = parentQuestions.find((q) => q.name === 'items')!.rows!.map((r) => r.value);

  // each teacher has a character of their own; two newly arrived ones per school are rated by only
  // three students, below the anonymity threshold, so the pages show "样本不足" for them. Two, so
  // they hide each other: one alone would take a colleague with it (complementary suppression)
  const teacherIds = [...new Set(input.teachers.map((t) => t.staffId))];
  const skill = new Map(teacherIds.map((id) => [id, rnd.int(55, 92)]));
  const schoolOf = new Map(input.classes.map((c) => [c.id, c.schoolId]));
  const bySchool = new Map<string, string[]>();
  for (const t of input.teachers) {
    const list = bySchool.get(schoolOf.get(t.classId) ?? '') ?? [];
    if (!list.includes(t.staffId)) list.push(t.staffId);
    bySchool.set(schoolOf.get(t.classId) ?? '', list);
  }
  const capped = new Set([...bySchool.values()].flatMap((ids) => (ids.length >= 10 ? [ids[7]!, ids[8]!] : [])));
  const rated = new Map<string, number>();
  const teachersOf = new Map<string, string[]>();
  for (const t of input.teachers) teachersOf.set(t.classId, [...(teachersOf.get(t.classId) ?? []), t.staffId]);

  let written = 0;
  const link = async (formId: string, c: PastRoundInput['classes'][number], capacity: number, used: number) => {
    const id = randomUUID();
    await tx.insert(links).values({
      id, roundId, formId, kind: 'class', tokenHash: tokenHash(input.secret, linkToken(input.secret, id)),
      schoolId: c.schoolId, classId: c.id, capacity, usedCount: used, label: `班级链接 ${c.id.slice(0, 4)}`,
    });
  };

  for (const c of input.classes) {
    const mine = [...new Set(teachersOf.get(c.id) ?? [])];
    const studentCount = rnd.int(...STUDENTS_PER_CLASS);
    await link(studentForm!.id, c, c.expectedParents, studentCount);
    for (let s = 0; s < studentCount; s++) {
      const subjects: SubjectFacts[] = [];
      const data: Record<string, unknown> = {};
      for (const staffId of mine) {
        if (capped.has(staffId) && (rated.get(staffId) ?? 0) >= 3) continue;
        rated.set(staffId, (rated.get(staffId) ?? 0) + 1);
        const level = skill.get(staffId)!;
        const grade = () => rnd.weighted({ '5': level, '4': 100 - level, '3': 18, '2': 5, '1': 2 });
        const answers: Record<string, unknown> = {
          items: Object.fromEntries(studentRows.map((row) => [row, grade()])),
          no_punishment: rnd.weighted({ no: 96, unknown: 3, yes: 1 }),
          overall: Number(grade()),
        };
        if (rnd.next() < 0.12) answers.comments = rnd.pick(['讲课很有趣', '希望作业少一点', '老师很耐心', '上课声音可以大一些', '谢谢老师的帮助']);
        data[staffId] = answers;
        subjects.push({ subject: { type: 'staff', key: staffId }, facts: factsFromAnswers(studentQuestions, answers) });
      }
      if (!subjects.length) continue;
      await writeResponse(tx, { roundId, formId: studentForm!.id, raterGroupId: students!.id, schoolId: c.schoolId, classId: c.id, idempotencyKey: randomUUID(), data }, subjects);
      written++;
    }

    const parentCount = rnd.int(...PARENTS_PER_CLASS);
    await link(parentForm!.id, c, c.expectedParents, parentCount);
    // last year the schools stood a little lower than this term: the trend lines rise
    const mood = [64, 55, 46][input.schoolIds.indexOf(c.schoolId)]! + rnd.int(-8, 8);
    for (let p = 0; p < parentCount; p++) {
      const answer = () => rnd.weighted({ satisfied: mood, fair: 85 - mood, unsatisfied: 10, unknown: 5 });
      const answers: Record<string, unknown> = {
        overall: answer(),
        items: Object.fromEntries(parentRows.map((row) => [row, answer()])),
        gifts: 'no',
        paid_tutoring: rnd.weighted({ no: 95, unknown: 5 }),
        corporal_punishment: 'no',
      };
      await writeResponse(
        tx,
        { roundId, formId: parentForm!.id, raterGroupId: parents!.id, schoolId: c.schoolId, classId: c.id, idempotencyKey: randomUUID(), data: { [c.schoolId]: answers } },
        [{ subject: { type: 'unit', key: c.schoolId }, facts: factsFromAnswers(parentQuestions, answers) }],
      );
      written++;
    }
  }
  // the round is over: sealed as a real one is at its close
  await sealInTransaction(tx, roundId, input.now);
  return { roundId, responses: written };
}
