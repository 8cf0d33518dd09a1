import { randomUUID } from 'node:crypto';
import { and, asc, count, eq, ilike, inArray, max, ne, or, sql } from 'drizzle-orm';
import { likePattern, offsetOf } from '@/lib/paging';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { classes, links, linkTotals, raterGroups, roundForms, roundUnits, staff, units, type NewLink } from '@/lib/db/schema';
import { NotFoundError, ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { managedRound } from './mutations';
import { sealIfClosed } from './seal';
import { issueLinksInput } from './schemas';
import { linkToken, tokenHash, tokenSecret } from './tokens';

/**
 * Issues ways in for one form of a round: a class link per class (capacity = the class's expected
 * parents or students; issuing again skips classes that already have one), a batch of one-time
 * codes for slips, or one-time personal links. Tokens are derived from the server secret and the
 * link id, and only their hash is stored.
 */
export async function issueLinks(db: Db, scope: Scope, actor: Actor, roundId: string, raw: z.input<typeof issueLinksInput>) {
  const input = parseInput(issueLinksInput, raw);
  const round = await managedRound(db, scope, roundId);
  const [form] = await db
    .select({ form: roundForms, kind: raterGroups.kind })
    .from(roundForms)
    .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
    .where(and(eq(roundForms.id, input.formId), eq(roundForms.roundId, roundId)));
  if (!form) throw new ValidationError({ formId: [{ key: 'invalid' }] });
  const schools = (await db.select({ id: roundUnits.unitId }).from(roundUnits).where(eq(roundUnits.roundId, roundId))).map((r) => r.id);
  if (input.schoolId && !schools.includes(input.schoolId)) throw new ValidationError({ schoolId: [{ key: 'invalid' }] });
  const targetSchools = input.schoolId ? [input.schoolId] : schools;
  const classRows = targetSchools.length
    ? await db
        .select()
        .from(classes)
        .where(and(inArray(classes.schoolId, targetSchools), eq(classes.active, true), input.classId ? eq(classes.id, input.classId) : undefined))
        .orderBy(asc(classes.grade), asc(classes.name))
    : [];
  if (input.classId && !classRows.length) throw new ValidationError({ classId: [{ key: 'invalid' }] });
  const [{ batch } = { batch: 0 }] = await db.select({ batch: max(links.batch) }).from(links).where(eq(links.roundId, roundId));
  const nextBatch = (batch ?? 0) + 1;
  const secret = await tokenSecret(db);
  const values: NewLink[] = [];
  const make = (v: Omit<NewLink, 'id' | 'tokenHash' | 'roundId' | 'formId' | 'kind'>) => {
    const id = randomUUID();
    values.push({ ...v, id, roundId, formId: input.formId, kind: input.kind, tokenHash: tokenHash(secret, linkToken(secret, id)) });
  };
  if (input.kind === 'class') {
    const existing = new Set(
      (await db.select({ classId: links.classId }).from(links).where(and(eq(links.formId, input.formId), eq(links.kind, 'class')))).map((l) => l.classId),
    );
    for (const c of classRows) {
      if (existing.has(c.id)) continue;
      const capacity = form.kind === 'student' ? c.expectedStudents : c.expectedParents;
      make({ schoolId: c.schoolId, classId: c.id, capacity: Math.max(capacity, 1), label: input.label ?? c.name });
    }
  } else if (input.kind === 'code') {
    const count = input.count ?? 1;
    if (input.classId || form.kind === 'student' || form.kind === 'parent') {
      for (const c of classRows) for (let i = 0; i < count; i++) make({ schoolId: c.schoolId, classId: c.id, capacity: 1, batch: nextBatch, label: input.label ?? c.name });
    } else {
      for (const s of targetSchools) for (let i = 0; i < count; i++) make({ schoolId: s, capacity: 1, batch: nextBatch, label: input.label ?? '' });
    }
  } else {
    if (!input.people?.length) throw new ValidationError({ people: [{ key: 'required' }] });
    for (const person of input.people) {
      const [member] = await db.select().from(staff).where(eq(staff.staffNo, person));
      make({
        schoolId: member && schools.includes(member.unitId) ? member.unitId : round.unitId,
        issuedToStaffId: member?.id ?? null,
        capacity: 1,
        batch: nextBatch,
        label: member ? `${member.name}（${member.staffNo}）` : person,
      });
    }
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < values.length; i += 1000) await tx.insert(links).values(values.slice(i, i + 1000));
    await recordAudit(tx, actor, { action: `links.issue_${input.kind}`, entityType: 'round', entityId: roundId, unitId: round.unitId, summary: { count: values.length, formId: input.formId } });
  });
  return values.length;
}

export interface LinkGroup {
  /** respondents of the link's group (school × rater group) so far, over all its links */
  used: number;
  /** places in the group: class capacities plus one per code or personal link */
  expected: number;
}

/**
 * How many of each group (school × rater group) have answered, over the round's live links. A
 * one-time code or personal link shows its own use only once its group has reached the round's
 * anonymity threshold: before that, watching which link turns from 0 to 1 between two polls would
 * tell the office whose answers just arrived.
 */
async function groupUse(db: Db, roundId: string) {
  const rows = await db
    .select({
      schoolId: linkTotals.schoolId,
      raterGroupId: roundForms.raterGroupId,
      used: sql<number>`sum(${linkTotals.used})::int`,
      expected: sql<number>`sum(${linkTotals.places})::int`,
    })
    .from(linkTotals)
    .innerJoin(roundForms, eq(roundForms.id, linkTotals.formId))
    .where(eq(linkTotals.roundId, roundId))
    .groupBy(linkTotals.schoolId, roundForms.raterGroupId);
  return new Map(rows.map((r) => [`${r.schoolId}:${r.raterGroupId}`, { used: Number(r.used), expected: Number(r.expected) }]));
}

/**
 * The links of a round with their tokens (derived again, for reprinting) and use counts (not the
 * staff logins' own places, which have no token and whose use is never listed one by one); a
 * single-use link's own use is null until its group reaches the threshold (see groupUse). Listing
 * the links of a round whose window has ended seals it first (lib/rounds/seal.ts). Whoever holds a
 * token can answer in someone's place, so every listing is audited: who, which round, how many
 * tokens, through what (`via`).
 */
/** The batches of one-time codes and personal links a round has, for the slip printing links. */
export async function linkBatches(db: Db, roundId: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ batch: links.batch })
    .from(links)
    .where(and(eq(links.roundId, roundId), sql`${links.kind} <> 'class'`))
    .orderBy(asc(links.batch));
  return rows.map((r) => r.batch);
}

export async function listLinks(
  db: Db,
  scope: Scope,
  actor: Actor,
  roundId: string,
  filter: { kind?: 'class' | 'code' | 'personal'; batch?: number; classId?: string; via: 'api' | 'csv' | 'page' | 'slips' | 'pdf'; q?: string; page?: { page: number; limit: number } },
) {
  const round = await managedRound(db, scope, roundId);
  await sealIfClosed(db, round);
  const secret = await tokenSecret(db);
  const groups = await groupUse(db, roundId);
  const where = and(
    eq(links.roundId, roundId),
    // an account place (a staff login's place in a colleague form) has no token to list
    filter.kind ? eq(links.kind, filter.kind) : ne(links.kind, 'account'),
    filter.batch ? eq(links.batch, filter.batch) : undefined,
    filter.classId ? eq(links.classId, filter.classId) : undefined,
    // a search finds a school, a class or a label (a person's name on a personal link)
    filter.q ? or(ilike(units.name, likePattern(filter.q)), ilike(classes.name, likePattern(filter.q)), ilike(links.label, likePattern(filter.q))) : undefined,
  );
  const query = db
    .select({ link: links, raterGroupId: roundForms.raterGroupId, schoolName: units.name, className: classes.name })
    .from(links)
    .innerJoin(roundForms, eq(roundForms.id, links.formId))
    .innerJoin(units, eq(units.id, links.schoolId))
    .leftJoin(classes, eq(classes.id, links.classId))
    .where(where)
    // links.id last: a stable order, so pages neither repeat nor skip a row
    .orderBy(asc(units.sortOrder), asc(classes.grade), asc(classes.name), asc(links.label), asc(links.id));
  const rows = filter.page ? await query.limit(filter.page.limit).offset(offsetOf(filter.page)) : await query;
  const total = filter.page
    ? Number(
        (
          await db
            .select({ n: count() })
            .from(links)
            .innerJoin(units, eq(units.id, links.schoolId))
            .leftJoin(classes, eq(classes.id, links.classId))
            .where(where)
        )[0]!.n,
      )
    : rows.length;
  if (!total && (filter.batch || filter.classId)) throw new NotFoundError('resource');
  await recordAudit(db, actor, {
    action: 'links.list_tokens',
    entityType: 'round',
    entityId: roundId,
    unitId: round.unitId,
    summary: { tokens: rows.length, via: filter.via, ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.batch ? { batch: filter.batch } : {}), ...(filter.classId ? { classId: filter.classId } : {}) },
  });
  const page = rows.map((r) => {
    const group: LinkGroup = groups.get(`${r.link.schoolId}:${r.raterGroupId}`) ?? { used: 0, expected: 0 };
    const own = r.link.capacity > 1 || group.used >= round.anonymityThreshold;
    return {
      ...r.link,
      usedCount: own ? r.link.usedCount : null,
      group,
      token: linkToken(secret, r.link.id),
      schoolName: r.schoolName,
      className: r.className,
    };
  });
  return Object.assign(page, { total });
}

/**
 * The piles of one batch (or of all a round's slips): per school and class (or label) how many
 * one-time codes and personal links there are, without their tokens, so the slips page can offer a
 * PDF per class and stay small whatever the size of the batch. The caller has checked the round.
 */
export async function slipPiles(db: Db, roundId: string, batch?: number) {
  // personal links pile by school (each has a person's name as its label), codes by class or label
  const label = sql<string>`case when ${links.kind} = 'personal' then '' else ${links.label} end`;
  const rows = await db
    .select({ schoolName: units.name, classId: links.classId, className: classes.name, label, n: count() })
    .from(links)
    .innerJoin(units, eq(units.id, links.schoolId))
    .leftJoin(classes, eq(classes.id, links.classId))
    .where(and(eq(links.roundId, roundId), inArray(links.kind, ['code', 'personal']), batch ? eq(links.batch, batch) : undefined))
    .groupBy(units.sortOrder, units.name, links.classId, classes.grade, classes.name, label)
    .orderBy(asc(units.sortOrder), asc(classes.grade), asc(classes.name), asc(label));
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}
