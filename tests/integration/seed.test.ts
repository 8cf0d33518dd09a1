import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@/lib/auth/secrets';
import type { DbHandle } from '@/lib/db/client';
import {
  answerFacts,
  assessments,
  assessmentYears,
  classes,
  links,
  raterGroups,
  responses,
  rounds,
  selfReports,
  staff,
  teachingAssignments,
  templates,
  units,
  users,
} from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { publicAnnouncement } from '@/lib/assessment/queries';
import type { Scope } from '@/lib/auth/scope';
import { subjectFigures } from '@/lib/scoring/queries';
import { DEMO_LOGIN, DEMO_OFFICE_UNIT, DEMO_TEACHER, seedDemo } from '@/lib/seed/demo';
import { myOverview } from '@/lib/workspace/overview';
import { listMyTasks } from '@/lib/workspace/tasks';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
beforeAll(async () => {
  handle = await freshDatabase();
});
afterAll(() => handle.close());

describe('demo district', () => {
  it('is seeded by the first start into an empty database', async () => {
    const { seeded } = await prepareDatabase(handle, { seed: true });
    expect(seeded).toMatchObject({ schools: 3, classes: 24 });
    expect(seeded!.staff).toBeGreaterThanOrEqual(35);
    expect(seeded!.responses).toBeGreaterThanOrEqual(200);
    const db = handle.db;
    const schools = await db.select().from(units).where(eq(units.kind, 'school'));
    expect(schools.map((s) => s.name).sort()).toEqual(['巷道中心小学', '巷道初级中学', '槐山小学'].sort());
    const [district] = await db.select().from(units).where(eq(units.kind, 'district'));
    expect(district!.name).toBe('巷道学区');
    expect(schools.every((s) => s.parentId === district!.id)).toBe(true);
  });

  it('gives every class exactly one head teacher and at least four subjects', async () => {
    const rows = await handle.db
      .select({
        classId: teachingAssignments.classId,
        heads: sql<number>`count(*) filter (where ${teachingAssignments.isHeadTeacher})::int`,
        subjects: sql<number>`count(distinct ${teachingAssignments.subject})::int`,
      })
      .from(teachingAssignments)
      .groupBy(teachingAssignments.classId);
    expect(rows).toHaveLength(24);
    for (const r of rows) {
      expect(Number(r.heads)).toBe(1);
      expect(Number(r.subjects)).toBeGreaterThanOrEqual(4);
    }
  });

  it('has one open parent round whose answers match the class links that admitted them', async () => {
    // open: the parent round (class links) and the 六查六看 round (answered from accounts)
    const open = (await handle.db.select().from(rounds).where(eq(rounds.status, 'open'))).filter((r) => r.title.includes('家长满意度'));
    expect(open).toHaveLength(1);
    const perClass = await handle.db
      .select({ classId: responses.classId, n: count() })
      .from(responses)
      .where(eq(responses.roundId, open[0]!.id))
      .groupBy(responses.classId);
    const classLinks = await handle.db.select().from(links).where(eq(links.roundId, open[0]!.id));
    expect(classLinks).toHaveLength(24);
    for (const link of classLinks) {
      const n = perClass.find((p) => p.classId === link.classId)?.n ?? 0;
      expect(n).toBe(link.usedCount);
      expect(link.usedCount).toBeLessThanOrEqual(link.capacity);
    }
    const [cls] = await handle.db.select().from(classes).where(eq(classes.id, classLinks[0]!.classId!));
    expect(classLinks[0]!.capacity).toBe(cls!.expectedParents);
    // every answer has at least the overall question and seven matrix rows as facts
    const [facts] = await handle.db.select({ n: count() }).from(answerFacts);
    const [resp] = await handle.db.select({ n: count() }).from(responses);
    expect(facts!.n).toBeGreaterThanOrEqual(resp!.n * 8);
  });

  it('has a released 民主评议 of the school leaders and the office, with figures for each of them', async () => {
    const db = handle.db;
    const [round] = await db.select().from(rounds).where(sql`${rounds.title} like '%民主评议'`);
    expect(round!.status).toBe('released');
    expect(round!.sealedAt).not.toBeNull();
    expect(round!.releasedToStaffAt!.getTime()).toBeLessThan(Date.now());
    const groups = await db.select().from(raterGroups).where(eq(raterGroups.roundId, round!.id));
    expect(groups.map((g) => `${g.kind}:${g.weight}`).sort()).toEqual(['colleague:40', 'leader:20', 'representative:40']);
    // outside representatives came in through free-label personal links: no staff record, no school
    const [district] = await db.select().from(units).where(eq(units.kind, 'district'));
    const reps = await db.select().from(links).where(eq(links.formId, sql`(select f.id from round_forms f where f.round_id = ${round!.id} and f.title like '%评议代表%')`));
    expect(reps.length).toBe(12);
    expect(reps.every((l) => l.kind === 'personal' && l.issuedToStaffId === null && l.schoolId === district!.id)).toBe(true);
    expect(reps.reduce((n, l) => n + l.usedCount, 0)).toBe(10);
    // colleagues answered from their accounts: places with a random hash that no token matches,
    // left so by the re-keying the first start runs after seeding
    const places = await db.select().from(links).where(and(eq(links.roundId, round!.id), eq(links.kind, 'account')));
    expect(places.length).toBeGreaterThan(30);
    expect(places.every((l) => l.tokenHash.startsWith('account:') && l.issuedToStaffId)).toBe(true);
    // every principal and the office have a score and 等次 votes from at least the anonymity threshold
    const office: Scope = { role: 'office', unitId: district!.id };
    const { subjects } = await subjectFigures(db, office, round!.id);
    const principals = await db.select().from(staff).where(sql`${staff.position} like '%校长'`);
    const [officeUnit] = await db.select().from(units).where(eq(units.name, DEMO_OFFICE_UNIT));
    expect(principals).toHaveLength(6);
    for (const key of [...principals.map((p) => p.id), officeUnit!.id]) {
      const s = subjects.get(key)!;
      expect(s.score).toBeGreaterThan(55);
      expect(s.respondents).toBeGreaterThanOrEqual(5);
      expect(s.suppressed).toBeFalsy();
    }
  });

  it('has an open 六查六看 round with reports submitted, reviewed, returned with a remark, and a draft', async () => {
    const reports = await handle.db.select().from(selfReports);
    const by = (status: string) => reports.filter((r) => r.status === status);
    expect(by('submitted').length).toBeGreaterThanOrEqual(3);
    expect(by('reviewed')).toHaveLength(3);
    expect(by('returned')).toHaveLength(1);
    expect(by('returned')[0]!.remark).toMatch(/重新提交/);
    expect(by('draft')).toHaveLength(1);
    // a submitted report's score is a response of the round's self group
    expect(reports.filter((r) => r.status !== 'draft').every((r) => r.responseId)).toBe(true);
  });

  it('has the annual assessment computed, every grade signed, in its 公示 window', async () => {
    const [year] = await handle.db.select().from(assessmentYears);
    expect(year!.status).toBe('announced');
    expect(year!.announcementEndsAt!.getTime()).toBeGreaterThan(Date.now());
    const rows = await handle.db.select().from(assessments).where(eq(assessments.yearId, year!.id));
    const [people] = await handle.db.select({ n: count() }).from(staff);
    expect(rows).toHaveLength(people!.n);
    expect(rows.every((r) => r.grade && r.signedAt && r.compositeScore !== null)).toBe(true);
    expect(rows.some((r) => r.grade === 'excellent')).toBe(true);
    const gongshi = await publicAnnouncement(handle.db, year!.id);
    expect(gongshi.open).toBe(true);
    expect(gongshi.list).toHaveLength(people!.n);
  });

  it('gives the demo teacher open tasks, released results and their assessment', async () => {
    const [teacher] = await handle.db.select().from(users).where(eq(users.username, DEMO_TEACHER.username));
    const scope: Scope = { role: 'staff', unitId: teacher!.unitId!, staffId: teacher!.staffId, userId: teacher!.id };
    const tasks = await listMyTasks(handle.db, scope);
    expect(tasks.map((t) => `${t.kind}:${t.done}:${t.reportStatus}`).sort()).toEqual(['colleague:false:null', 'self:false:null']);
    const overview = await myOverview(handle.db, scope);
    expect(overview.results.length).toBeGreaterThanOrEqual(1);
    expect(overview.assessments).toHaveLength(1);
    expect(overview.assessments[0]!.grade).not.toBeNull();
  });

  it('installs the built-in template and the demo office login', async () => {
    const t = await handle.db.select().from(templates);
    expect(t.map((x) => x.builtInKey)).toContain('parent-satisfaction');
    const [u] = await handle.db.select().from(users).where(eq(users.username, DEMO_LOGIN.username));
    expect(u!.role).toBe('office');
    expect(u!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(u!.passwordHash, DEMO_LOGIN.password)).toBe(true);
    expect(await verifyPassword(u!.passwordHash, 'wrong-password')).toBe(false);
  });

  it('is not seeded again by a second start, and seedDemo refuses a database with data', async () => {
    const [before] = await handle.db.select({ n: count() }).from(responses);
    const { seeded } = await prepareDatabase(handle, { seed: true });
    expect(seeded).toBeNull();
    const [after] = await handle.db.select({ n: count() }).from(responses);
    expect(after!.n).toBe(before!.n);
    await expect(seedDemo(handle.db, { type: 'system', label: 'test' })).rejects.toThrow(/already has data/);
    const [again] = await handle.db.select({ n: count() }).from(units);
    expect(again!.n).toBe(6); // county, district, office, three schools
  });
});
