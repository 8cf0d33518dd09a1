import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '@/lib/auth/secrets';
import type { DbHandle } from '@/lib/db/client';
import { answerFacts, classes, links, responses, rounds, teachingAssignments, templates, units, users } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { DEMO_LOGIN, seedDemo } from '@/lib/seed/demo';
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

  it('has one open round whose answers match the class links that admitted them', async () => {
    const open = await handle.db.select().from(rounds).where(eq(rounds.status, 'open'));
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
