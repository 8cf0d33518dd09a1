import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { sha256 } from '@/lib/auth/secrets';
import { lockedMinutes, minutesLeft, recordFailure, sleep, type ThrottleRule } from '@/lib/auth/throttle';
import type { Db } from '@/lib/db/client';
import {
  ballotEntries,
  classes,
  linkTotals,
  links,
  raterGroups,
  responses,
  roundForms,
  rounds,
  staff,
  teachingAssignments,
  templateVersions,
  throttles,
  units,
  type Link,
  type Round,
} from '@/lib/db/schema';
import { DomainError, ValidationError, type FieldIssue } from '@/lib/errors';
import { cachedTokenSecret, CODE_ALPHABET, tokenHash } from '@/lib/rounds/tokens';
import { submitInput } from '@/lib/rounds/schemas';
import { effectiveStatus } from '@/lib/rounds/status';
import { factsFromAnswers, gradeQuestions } from '@/lib/surveys/annotations';
import { judgeBallot } from '@/lib/scoring/ballots';
import { readScoringConfig } from '@/lib/scoring/config';
import { writeResponse } from '@/lib/responses/store';
import { compiledVersion } from '@/lib/surveys/compile';
import { validateAnswers } from '@/lib/surveys/validate';
import { parseInput } from '@/lib/validation';

/**
 * Unknown codes are counted per address: past 30 in 10 minutes the address is locked for unknown
 * codes. A valid code is never refused because of it (a school's classrooms share one address, and
 * anyone there could fill the counter); while the lock lasts every lookup from the address, right
 * or wrong, waits TOKEN_SLOWDOWN_MS first, so guessing from it is slow without locking anyone out.
 */
export const TOKEN_RULE: ThrottleRule = { maxFailures: 30, windowMs: 10 * 60_000, lockMs: 10 * 60_000 };
export const TOKEN_SLOWDOWN_MS = 1_000;
const TOKEN_RE = new RegExp(`^[${CODE_ALPHABET}]{12}$`);

export interface Subject {
  key: string;
  type: 'staff' | 'unit';
  name: string;
  /** what a teacher teaches the class, for the student's page */
  detail?: string;
}

export interface ResolvedLink {
  link: Link;
  round: Round;
  form: typeof roundForms.$inferSelect;
  raterKind: string;
  definition: Record<string, unknown>;
  versionId: string;
  schoolName: string;
  className: string | null;
  subjects: Subject[];
}

/** The subjects of a form for one link, derived on the server (never taken from the client). */
async function subjectsFor(db: Db, r: Omit<ResolvedLink, 'subjects'>): Promise<Subject[]> {
  switch (r.form.subjectMode) {
    case 'school':
      return [{ key: r.link.schoolId, type: 'unit', name: r.schoolName }];
    case 'self': {
      if (!r.link.issuedToStaffId) return [];
      const [me] = await db.select().from(staff).where(eq(staff.id, r.link.issuedToStaffId));
      return me ? [{ key: me.id, type: 'staff', name: me.name }] : [];
    }
    case 'class_teachers': {
      if (!r.link.classId) return [];
      const rows = await db
        .select({ id: staff.id, name: staff.name, subject: teachingAssignments.subject })
        .from(teachingAssignments)
        .innerJoin(staff, eq(staff.id, teachingAssignments.staffId))
        .where(and(eq(teachingAssignments.classId, r.link.classId), eq(teachingAssignments.schoolYear, r.round.schoolYear), eq(staff.active, true)))
        .orderBy(asc(teachingAssignments.subject));
      const byStaff = new Map<string, Subject>();
      for (const row of rows) {
        const s = byStaff.get(row.id);
        if (s) s.detail = `${s.detail}、${row.subject}`;
        else byStaff.set(row.id, { key: row.id, type: 'staff', name: row.name, detail: row.subject });
      }
      return [...byStaff.values()];
    }
    case 'ballot': {
      const rows = await db
        .select({ staffId: ballotEntries.staffId, unitId: ballotEntries.unitId, staffName: staff.name, staffUnitId: staff.unitId, unitName: units.name })
        .from(ballotEntries)
        .leftJoin(staff, eq(staff.id, ballotEntries.staffId))
        .leftJoin(units, eq(units.id, ballotEntries.unitId))
        .where(eq(ballotEntries.formId, r.form.id))
        .orderBy(asc(ballotEntries.sortOrder));
      // a colleague never rates themselves: the holder of a personal or account place is left off;
      // from a staff login (an account place) one rates the colleagues of one's own school
      return rows
        .filter((b) => !b.staffId || b.staffId !== r.link.issuedToStaffId)
        .filter((b) => r.link.kind !== 'account' || b.staffUnitId === r.link.schoolId)
        .map((b) => (b.staffId ? { key: b.staffId, type: 'staff' as const, name: b.staffName! } : { key: b.unitId!, type: 'unit' as const, name: b.unitName! }));
    }
  }
}

/**
 * The link of a token hash with everything the answering page needs, and the address's throttle
 * lock in the same round trip. Built once per database: Drizzle's query building is a large part
 * of a submission's CPU time.
 */
const LINK_ROW = {
  link: links,
  round: rounds,
  form: roundForms,
  raterKind: raterGroups.kind,
  schoolName: units.name,
  className: classes.name,
};

function buildFindLink(db: Db) {
  return db
    .select({
      ...LINK_ROW,
      lockedUntil: sql`(select ${throttles.lockedUntil} from ${throttles} where ${throttles.key} = ${sql.placeholder('key')})`.mapWith(throttles.lockedUntil),
    })
    .from(links)
    .innerJoin(rounds, eq(rounds.id, links.roundId))
    .innerJoin(roundForms, eq(roundForms.id, links.formId))
    .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
    .innerJoin(templateVersions, eq(templateVersions.id, roundForms.templateVersionId))
    .innerJoin(units, eq(units.id, links.schoolId))
    .leftJoin(classes, eq(classes.id, links.classId))
    .where(eq(links.tokenHash, sql.placeholder('hash')))
    .prepare('find_link');
}
const findLinkQueries = new WeakMap<Db, ReturnType<typeof buildFindLink>>();

/**
 * The definition of a template version, read once per process: a version is immutable once a round
 * has opened with it, and only open rounds take answers (a draft's version may still change, so
 * only locked versions are cached).
 */
const definitions = new Map<string, Record<string, unknown>>();
async function versionDefinition(db: Db, versionId: string): Promise<Record<string, unknown>> {
  const hit = definitions.get(versionId);
  if (hit) return hit;
  const [v] = await db
    .select({ definition: templateVersions.definition, lockedAt: templateVersions.lockedAt })
    .from(templateVersions)
    .where(eq(templateVersions.id, versionId));
  if (v!.lockedAt) {
    if (definitions.size >= 500) definitions.delete(definitions.keys().next().value!);
    definitions.set(versionId, v!.definition);
  }
  return v!.definition;
}

/** A link found by its token, or a staff login's own place (lib/workspace/ballots.ts). */
export type FoundLink = Pick<Awaited<ReturnType<ReturnType<typeof buildFindLink>['execute']>>[number], keyof typeof LINK_ROW>;

/** The link with the given id and everything a submission through it needs (no token involved). */
export async function linkById(db: Db, linkId: string): Promise<FoundLink | undefined> {
  const [row] = await db
    .select(LINK_ROW)
    .from(links)
    .innerJoin(rounds, eq(rounds.id, links.roundId))
    .innerJoin(roundForms, eq(roundForms.id, links.formId))
    .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
    .innerJoin(units, eq(units.id, links.schoolId))
    .leftJoin(classes, eq(classes.id, links.classId))
    .where(eq(links.id, linkId));
  return row;
}

/** Finds the link of a token; unknown tokens count as a failure for the address. */
async function findLink(db: Db, token: string, address: string) {
  const key = `token:addr:${address}`;
  const normal = token.trim().toUpperCase();
  let query = findLinkQueries.get(db);
  if (!query) findLinkQueries.set(db, (query = buildFindLink(db)));
  const [row] = TOKEN_RE.test(normal) ? await query.execute({ hash: tokenHash(await cachedTokenSecret(db), normal), key }) : [];
  // a found link brings the address's lock with it: one round trip on the hot path
  const wait = row ? minutesLeft(row.lockedUntil) : await lockedMinutes(db, key);
  // a locked address is slowed down, right and wrong codes alike (no timing tells them apart)
  if (wait > 0) await sleep(TOKEN_SLOWDOWN_MS);
  if (row && !row.link.revoked) return row;
  if (wait > 0) throw new DomainError('rate_limited', { minutes: wait });
  await recordFailure(db, key, TOKEN_RULE);
  throw new DomainError('not_found', { reason: 'unknown_code' });
}

const usedReason = (link: Pick<Link, 'kind'>) => (link.kind === 'class' ? 'class_full' : link.kind === 'account' ? 'already_answered' : 'code_used');

export function assertAdmits(link: Link, round: Round, now = new Date()) {
  const status = effectiveStatus(round, now);
  if (status === 'draft' || status === 'scheduled') {
    throw new DomainError('forbidden', { reason: 'not_open', opensAt: round.opensAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) });
  }
  if (status !== 'open') throw new DomainError('gone', { reason: 'round_closed' });
  if (link.usedCount >= link.capacity) throw new DomainError('conflict', { reason: usedReason(link) });
}

/** What the answering page needs: the round, school, class, form and the subjects to rate. */
export async function resolveToken(db: Db, token: string, address: string): Promise<ResolvedLink> {
  const row = await findLink(db, token, address);
  assertAdmits(row.link, row.round);
  return withSubjects(db, row);
}

export async function withSubjects(db: Db, row: FoundLink): Promise<ResolvedLink> {
  const base = {
    link: row.link,
    round: row.round,
    form: row.form,
    raterKind: row.raterKind,
    definition: await versionDefinition(db, row.form.templateVersionId),
    versionId: row.form.templateVersionId,
    schoolName: row.schoolName,
    className: row.className,
  };
  return { ...base, subjects: await subjectsFor(db, base) };
}

/** What the respondent is shown: a hash of the idempotency key their device chose (and forgets). */
export const receiptOf = (idempotencyKey: string) => sha256(`receipt:${idempotencyKey}`).slice(0, 10).toUpperCase();
/**
 * What the database keeps of an idempotency key: a different hash of it, enough to accept a retry
 * once. Neither the key nor the receipt can be matched to it without the key, which only the
 * respondent's browser held, until the submission was acknowledged.
 */
export const storedIdempotencyKey = (idempotencyKey: string) => sha256(`idempotency:${idempotencyKey}`);

/**
 * Accepts one submission: the subjects are re-derived on the server and must match exactly, every
 * answer is validated, and the response, its facts and the link's use count are written in one
 * transaction before the receipt is returned. A retried or double submission (same idempotency
 * key) is accepted once and gets the same receipt.
 */
export async function submitResponse(db: Db, token: string, address: string, raw: z.input<typeof submitInput>) {
  const input = parseInput(submitInput, raw);
  return acceptSubmission(db, await findLink(db, token, address), input);
}

/**
 * The submission through a link once the link is known (by its token, or a staff login's own
 * place): the same checks and the same single statement for both, so an answer from an account is
 * stored exactly like one from a one-time code.
 */
export async function acceptSubmission(db: Db, row: FoundLink, input: z.output<typeof submitInput>) {
  const receipt = receiptOf(input.idempotencyKey);
  const storedKey = storedIdempotencyKey(input.idempotencyKey);
  try {
    assertAdmits(row.link, row.round);
  } catch (err) {
    // a retry of a submission that was accepted (and may have used the last place) gets its receipt
    const [done] = await db
      .select({ id: responses.id })
      .from(responses)
      .where(and(eq(responses.roundId, row.round.id), eq(responses.idempotencyKey, storedKey)));
    if (done) return { receipt, duplicate: true };
    throw err;
  }
  const resolved = await withSubjects(db, row);
  const expected = new Map(resolved.subjects.map((s) => [s.key, s]));
  const fields: Record<string, FieldIssue[]> = {};
  for (const key of Object.keys(input.answers)) if (!expected.has(key)) (fields[`answers.${key}`] ??= []).push({ key: 'unknown_subject' });
  for (const key of expected.keys()) if (!input.answers[key]) (fields[`answers.${key}`] ??= []).push({ key: 'answer_required' });
  const form = compiledVersion(resolved.versionId, resolved.definition);
  for (const [key, data] of Object.entries(input.answers)) {
    if (!expected.has(key)) continue;
    for (const [path, issues] of Object.entries(validateAnswers(form, data))) fields[`answers.${key}.${path}`] = issues;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);

  const subjects = resolved.subjects.map((s) => ({ subject: s, facts: factsFromAnswers(form.scored, input.answers[s.key]!) }));
  const verdict = judgeBallot(subjects, gradeQuestions(form.scored), readScoringConfig(row.round.scoring));
  try {
    const written = await writeResponse(
      db,
      {
        roundId: row.round.id,
        formId: row.form.id,
        raterGroupId: row.form.raterGroupId,
        schoolId: row.link.schoolId,
        classId: row.link.classId,
        idempotencyKey: storedKey,
        data: input.answers,
        status: verdict.void ? 'void' : 'valid',
        flag: verdict.flag,
      },
      subjects,
      row.link.id,
    );
    if (!written) {
      // nothing written: the place was taken meanwhile, or the round was closed and sealed
      const [now] = await db.select({ sealedAt: rounds.sealedAt }).from(rounds).where(eq(rounds.id, row.round.id));
      if (now?.sealedAt) throw new DomainError('gone', { reason: 'round_closed' });
      throw new DomainError('conflict', { reason: usedReason(row.link) });
    }
  } catch (err) {
    // unique (round, idempotency key): a twin committed first (a concurrent twin waits on the
    // link's row, then fails here), and the failed statement took nothing
    if ((err as { code?: string }).code === '23505') return { receipt, duplicate: true };
    throw err;
  }
  return { receipt, duplicate: false };
}

/** Response counts per class of a round: received against expected, for the progress view. */
export async function classProgress(db: Db, roundId: string, schoolIds: string[]) {
  if (!schoolIds.length) return [];
  // from the link totals: a few rows per class, however many codes were issued
  return db
    .select({
      schoolId: linkTotals.schoolId,
      classId: linkTotals.classId,
      received: sql<number>`sum(${linkTotals.used})::int`,
      expected: sql<number>`sum(${linkTotals.places})::int`,
    })
    .from(linkTotals)
    .where(and(eq(linkTotals.roundId, roundId), inArray(linkTotals.schoolId, schoolIds)))
    .groupBy(linkTotals.schoolId, linkTotals.classId)
    .having(sql`sum(${linkTotals.links}) > 0`);
}
