/**
 * /me besides the tasks, on the demo district: the demo teacher's released results (last school
 * year's round, released to staff) and their annual assessment once announced, with the 公示 window.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEntries } from '@/lib/assessment/entries';
import { createYear, signGrades, yearAction } from '@/lib/assessment/mutations';
import { listAssessments } from '@/lib/assessment/queries';
import type { DbHandle } from '@/lib/db/client';
import { staff, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DEMO_TEACHER } from '@/lib/seed/demo';
import { myOverview } from '@/lib/workspace/overview';
import { freshDatabase } from '../helpers/db';

let handle: DbHandle;
beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
});
afterAll(() => handle.close());

describe('my results and my assessment', () => {
  it('lists the released round with the teacher’s own page, and the announced year with grade, components and window', async () => {
    const db = handle.db;
    const [teacher] = await db.select().from(users).where(eq(users.username, DEMO_TEACHER.username));
    const scope = { role: 'staff' as const, unitId: teacher!.unitId, staffId: teacher!.staffId, userId: teacher!.id };
    const before = await myOverview(db, scope);
    expect(before.results.map((r) => r.title)).toEqual([expect.stringMatching(/春季学期学生评教与家长满意度测评$/)]);
    // the demo district's own year (this calendar year) is seeded in its 公示 window
    expect(before.assessments.map((a) => [a.status, a.grade !== null])).toEqual([['announced', true]]);

    // the office computes, signs and announces another year (平时考核 only): the teacher's line appears
    const [district] = await db.select().from(units).where(eq(units.name, '巷道学区'));
    const office = { role: 'office' as const, unitId: district!.id };
    const cli = { type: 'cli', label: 'test' } as const;
    const lastYear = new Date().getUTCFullYear() - 1;
    const { id } = await createYear(db, office, cli, { unit: '巷道学区', year: lastYear, title: `${lastYear}年度考核`, components: [{ key: 'regular', kind: 'regular', name: '平时考核', weight: 100, source: 'entries' }] });
    const [me] = await db.select().from(staff).where(eq(staff.id, teacher!.staffId!));
    await recordEntries(db, office, cli, id, { entries: [{ staff: me!.staffNo, period: '全年', score: 92 }] });
    await yearAction(db, office, cli, id, { action: 'compute' });
    const { rows } = await listAssessments(db, office, id);
    await signGrades(db, office, cli, id, { items: rows.map((r) => ({ staffId: r.a.staffId, grade: r.a.proposedGrade ?? 'qualified', reason: '测试' })) }, 'test');
    // still a draft: nothing for the teacher
    expect((await myOverview(db, scope)).assessments.map((a) => a.yearId)).not.toContain(id);
    await yearAction(db, office, cli, id, { action: 'announce' });
    const mine = (await myOverview(db, scope)).assessments.find((a) => a.yearId === id);
    // 92 is above the 优秀 line, but the school's 优秀 quota holds no place here (the default 20%,
    // floored), so the proposal, signed as proposed, is 合格
    expect(mine).toMatchObject({ yearId: id, title: `${lastYear}年度考核`, status: 'announced', grade: 'qualified', compositeScore: 92 });
    expect(mine!.components.map((c) => [c.key, c.value])).toEqual([['regular', 92]]);
    expect(mine!.endsAt!.getTime()).toBeGreaterThan(mine!.announcedAt!.getTime());
  });
});
