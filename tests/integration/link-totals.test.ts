/**
 * 回收率 reads `link_totals`, a few rows per school and class kept by triggers on `links`
 * (drizzle/0016_link_totals_triggers.sql), instead of summing every code issued. These tests
 * write links every way the app does (the demo seed, issuing class links and codes, answering,
 * a test-mode wipe, sealing, deleting a round) and check after each that the totals equal the
 * sums over the links themselves, and that the progress figures read from them are those sums.
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '@/lib/auth/scope';
import type { DbHandle } from '@/lib/db/client';
import { classes, links, linkTotals, roundForms, rounds, teachingAssignments, templates, units } from '@/lib/db/schema';
import { prepareDatabase } from '@/lib/db/setup';
import { classProgress, submitResponse } from '@/lib/responses/respond';
import { issueLinks, listLinks } from '@/lib/rounds/links';
import { createRound, roundAction } from '@/lib/rounds/mutations';
import { responseRates } from '@/lib/rounds/queries';
import { freshDatabase } from '../helpers/db';
import { linkTotalsDrift } from '../helpers/link-totals';

const actor = { type: 'cli', label: 'test' } as const;
const PARENT = {
  overall: 'satisfied',
  items: { ethics: 'satisfied', teaching: 'fair', head_teacher: 'satisfied', communication: 'fair', homework: 'unknown', safety: 'satisfied', canteen: 'fair' },
  gifts: 'no',
  paid_tutoring: 'no',
  corporal_punishment: 'no',
};

let handle: DbHandle;
let office: Scope;
let schoolId: string;
let classId: string;
let roundId: string;
let formId: string;
let keyN = 0;

/** The round's live links summed per school and class, straight from `links`. */
async function rawProgress() {
  const rows = await handle.db
    .select({ classId: links.classId, used: sql<number>`sum(${links.usedCount})::int`, places: sql<number>`sum(${links.capacity})::int` })
    .from(links)
    .where(and(eq(links.roundId, roundId), eq(links.schoolId, schoolId), eq(links.revoked, false)))
    .groupBy(links.classId);
  return new Map(rows.map((r) => [r.classId, { received: Number(r.used), expected: Number(r.places) }]));
}

async function progressOf(forClass: string) {
  const rows = await classProgress(handle.db, roundId, [schoolId]);
  const row = rows.find((r) => r.classId === forClass);
  return { received: Number(row?.received ?? 0), expected: Number(row?.expected ?? 0) };
}

async function answer(token: string) {
  return submitResponse(handle.db, token, '10.9.0.1', { idempotencyKey: `totals-${String(++keyN).padStart(10, '0')}`, answers: { [schoolId]: PARENT } });
}

async function codes() {
  return (await listLinks(handle.db, office, actor, roundId, { kind: 'code', via: 'api' })).filter((l) => l.classId === classId);
}

beforeAll(async () => {
  handle = await freshDatabase();
  await prepareDatabase(handle, { seed: true });
  const [district] = await handle.db.select().from(units).where(eq(units.name, '巷道学区'));
  const [school] = await handle.db.select().from(units).where(eq(units.name, '巷道中心小学'));
  schoolId = school!.id;
  const [cls] = await handle.db.select().from(classes).where(and(eq(classes.schoolId, schoolId), eq(classes.name, '五年级(1)班')));
  classId = cls!.id;
  office = { role: 'office', unitId: district!.id };
  const [tpl] = await handle.db.select().from(templates).where(eq(templates.builtInKey, 'parent-satisfaction'));
  const now = Date.now();
  const round = await createRound(handle.db, office, actor, {
    title: '回收率测试',
    schoolYear: (await handle.db.select().from(teachingAssignments).limit(1))[0]!.schoolYear,
    term: 1,
    units: ['巷道中心小学'],
    opensAt: new Date(now - 3_600_000).toISOString(),
    closesAt: new Date(now + 86_400_000).toISOString(),
    testMode: true,
    raterGroups: [{ kind: 'parent', name: '家长', weight: 100 }],
    forms: [{ templateId: tpl!.id, raterGroup: 0, subjectMode: 'school' }],
  });
  roundId = round.id;
  formId = (await handle.db.select().from(roundForms).where(eq(roundForms.roundId, roundId)))[0]!.id;
  await roundAction(handle.db, office, actor, roundId, { action: 'open' });
}, 300_000);
afterAll(() => handle?.close());

describe('link totals', () => {
  it('total the demo seed’s links as they were written (places and the places already used)', async () => {
    expect(await linkTotalsDrift(handle)).toEqual([]);
    const [all] = await handle.db.select({ used: sql<number>`sum(${linkTotals.used})::int` }).from(linkTotals);
    expect(Number(all!.used)).toBeGreaterThan(500); // the demo's answered places
  });

  it('follow issuing, answering through codes and a class link, and read 回收率 from them', async () => {
    await issueLinks(handle.db, office, actor, roundId, { kind: 'class', formId });
    await issueLinks(handle.db, office, actor, roundId, { kind: 'code', formId, classId, count: 24 });
    expect(await linkTotalsDrift(handle)).toEqual([]);
    const [cls] = await handle.db.select().from(classes).where(eq(classes.id, classId));
    // one class link sized to the class's parents (at least 1) and 24 codes of one place each
    const places = Math.max(cls!.expectedParents, 1) + 24;
    expect(await progressOf(classId)).toEqual({ received: 0, expected: places });

    // 20 parents answer at once through their own codes of the same class, one through the class link
    const mine = await codes();
    await Promise.all(mine.slice(0, 20).map((c) => answer(c.token)));
    const [classLink] = (await listLinks(handle.db, office, actor, roundId, { kind: 'class', via: 'api' })).filter((l) => l.classId === classId);
    await answer(classLink!.token);
    expect(await linkTotalsDrift(handle)).toEqual([]);
    expect(await progressOf(classId)).toEqual({ received: 21, expected: places });
    expect(await progressOf(classId)).toEqual((await rawProgress()).get(classId));

    // the school's 回收率: received from the count tables, expected from the totals = the links' own sums
    const [rate] = await responseRates(handle.db, [roundId], [schoolId]);
    const raw = [...(await rawProgress()).values()].reduce((s, r) => s + r.expected, 0);
    expect(rate).toMatchObject({ schoolId, responses: 21, expected: raw });
    // a used code cannot be used again, and the refused attempt changes no total
    await expect(answer(mine[0]!.token)).rejects.toMatchObject({ code: 'conflict' });
    expect(await progressOf(classId)).toEqual({ received: 21, expected: places });
  });

  it('follow a test-mode wipe and the seal at closing (which rewrites every link)', async () => {
    await roundAction(handle.db, office, actor, roundId, { action: 'wipe_test_answers' });
    expect(await linkTotalsDrift(handle)).toEqual([]);
    expect((await progressOf(classId)).received).toBe(0);
    // the wipe gave every code its place back: the first one answers again
    await answer((await codes())[0]!.token);
    await roundAction(handle.db, office, actor, roundId, { action: 'close' });
    const [after] = await handle.db.select({ sealedAt: rounds.sealedAt }).from(rounds).where(eq(rounds.id, roundId));
    expect(after!.sealedAt).not.toBeNull();
    expect(await linkTotalsDrift(handle)).toEqual([]);
    expect((await progressOf(classId)).received).toBe(1);
  });

  it('leave with a deleted round', async () => {
    await handle.db.delete(rounds).where(eq(rounds.id, roundId));
    expect(await handle.db.select().from(linkTotals).where(eq(linkTotals.roundId, roundId))).toEqual([]);
    expect(await linkTotalsDrift(handle)).toEqual([]);
  });
});
