import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { sha256 } from '@/lib/auth/secrets';
import { lockedMinutes, recordFailure, type ThrottleRule } from '@/lib/auth/throttle';
import type { Db } from '@/lib/db/client';
import {
  ballotEntries,
  classes,
  links,
  raterGroups,
  responses,
  roundForms,
  rounds,
  staff,
  teachingAssignments,
  templateVersions,
  units,
  type Link,
  type Round,
} from '@/lib/db/schema';
import { DomainError, ValidationError, type FieldIssue } from '@/lib/errors';
import { CODE_ALPHABET, tokenHash } from '@/lib/rounds/tokens';
import { submitInput } from '@/lib/rounds/schemas';
import { effectiveStatus } from '@/lib/rounds/status';
import { factsFromAnswers, scoredQuestions } from '@/lib/surveys/annotations';
import { compiledVersion } from '@/lib/surveys/compile';
import { validateAnswers } from '@/lib/surveys/validate';
import { parseInput } from '@/lib/validation';
import { insertFacts } from './store';

/** Only failures count: a whole classroom behind one school address can still answer. */
export const TOKEN_RULE: ThrottleRule = { maxFailures: 30, windowMs: 10 * 60_000, lockMs: 10 * 60_000 };
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
        .select({ staffId: ballotEntries.staffId, unitId: ballotEntries.unitId, staffName: staff.name, unitName: units.name })
        .from(ballotEntries)
        .leftJoin(staff, eq(staff.id, ballotEntries.staffId))
        .leftJoin(units, eq(units.id, ballotEntries.unitId))
        .where(eq(ballotEntries.formId, r.form.id))
        .orderBy(asc(ballotEntries.sortOrder));
      return rows.map((b) => (b.staffId ? { key: b.staffId, type: 'staff' as const, name: b.staffName! } : { key: b.unitId!, type: 'unit' as const, name: b.unitName! }));
    }
  }
}

/** Finds the link of a token; unknown tokens count as a failure for the address. */
async function findLink(db: Db, token: string, address: string) {
  const key = `token:addr:${address}`;
  const normal = token.trim().toUpperCase();
  // the lock check and the lookup run side by side: one round trip on the hot path
  const [wait, [row]] = await Promise.all([
    lockedMinutes(db, key),
    TOKEN_RE.test(normal)
    ? db
        .select({ link: links, round: rounds, form: roundForms, raterKind: raterGroups.kind, definition: templateVersions.definition, schoolName: units.name, className: classes.name })
        .from(links)
        .innerJoin(rounds, eq(rounds.id, links.roundId))
        .innerJoin(roundForms, eq(roundForms.id, links.formId))
        .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
        .innerJoin(templateVersions, eq(templateVersions.id, roundForms.templateVersionId))
        .innerJoin(units, eq(units.id, links.schoolId))
        .leftJoin(classes, eq(classes.id, links.classId))
        .where(eq(links.tokenHash, tokenHash(normal)))
    : Promise.resolve([]),
  ]);
  if (wait > 0) throw new DomainError('rate_limited', { minutes: wait });
  if (!row || row.link.revoked) {
    await recordFailure(db, key, TOKEN_RULE);
    throw new DomainError('not_found', { reason: 'unknown_code' });
  }
  return row;
}

function assertAdmits(link: Link, round: Round, now = new Date()) {
  const status = effectiveStatus(round, now);
  if (status === 'draft' || status === 'scheduled') {
    throw new DomainError('forbidden', { reason: 'not_open', opensAt: round.opensAt.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' }) });
  }
  if (status !== 'open') throw new DomainError('gone', { reason: 'round_closed' });
  if (link.usedCount >= link.capacity) throw new DomainError('conflict', { reason: link.kind === 'class' ? 'class_full' : 'code_used' });
}

/** What the answering page needs: the round, school, class, form and the subjects to rate. */
export async function resolveToken(db: Db, token: string, address: string): Promise<ResolvedLink> {
  const row = await findLink(db, token, address);
  assertAdmits(row.link, row.round);
  return withSubjects(db, row);
}

async function withSubjects(db: Db, row: Awaited<ReturnType<typeof findLink>>): Promise<ResolvedLink> {
  const base = {
    link: row.link,
    round: row.round,
    form: row.form,
    raterKind: row.raterKind,
    definition: row.definition,
    versionId: row.form.templateVersionId,
    schoolName: row.schoolName,
    className: row.className,
  };
  return { ...base, subjects: await subjectsFor(db, base) };
}

export const receiptOf = (idempotencyKey: string) => sha256(`receipt:${idempotencyKey}`).slice(0, 10).toUpperCase();

/**
 * Accepts one submission: the subjects are re-derived on the server and must match exactly, every
 * answer is validated, and the response, its facts and the link's use count are written in one
 * transaction before the receipt is returned. A retried or double submission (same idempotency
 * key) is accepted once and gets the same receipt.
 */
export async function submitResponse(db: Db, token: string, address: string, raw: z.input<typeof submitInput>) {
  const input = parseInput(submitInput, raw);
  const row = await findLink(db, token, address);
  const receipt = receiptOf(input.idempotencyKey);
  try {
    assertAdmits(row.link, row.round);
  } catch (err) {
    // a retry of a submission that was accepted (and may have used the last place) gets its receipt
    const [done] = await db
      .select({ id: responses.id })
      .from(responses)
      .where(and(eq(responses.roundId, row.round.id), eq(responses.idempotencyKey, input.idempotencyKey)));
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

  const questions = scoredQuestions(resolved.definition);
  const response = {
    roundId: row.round.id,
    formId: row.form.id,
    raterGroupId: row.form.raterGroupId,
    schoolId: row.link.schoolId,
    classId: row.link.classId,
    idempotencyKey: input.idempotencyKey,
    data: input.answers,
  };
  return db.transaction(async (tx) => {
    // the unique (round, idempotency key) index makes a concurrent twin wait here, then do nothing
    const [inserted] = await tx
      .insert(responses)
      .values(response)
      .onConflictDoNothing({ target: [responses.roundId, responses.idempotencyKey] })
      .returning({ id: responses.id });
    if (!inserted) return { receipt, duplicate: true }; // a concurrent twin committed first
    await insertFacts(
      tx,
      inserted.id,
      response,
      resolved.subjects.map((s) => ({
        subject: s.type === 'staff' ? { type: 'staff' as const, staffId: s.key } : { type: 'unit' as const, unitId: s.key },
        facts: factsFromAnswers(questions, input.answers[s.key]!),
      })),
    );
    // the place is taken last, so the link's row is locked only for the commit: every submission
    // through one class link goes through this row. A full class or a used code rolls it all back.
    const [taken] = await tx
      .update(links)
      .set({ usedCount: sql`${links.usedCount} + 1` })
      .where(and(eq(links.id, row.link.id), sql`${links.usedCount} < ${links.capacity}`, eq(links.revoked, false)))
      .returning({ id: links.id });
    if (!taken) throw new DomainError('conflict', { reason: row.link.kind === 'class' ? 'class_full' : 'code_used' });
    return { receipt, duplicate: false };
  });
}

/** Response counts per class of a round: received against expected, for the progress view. */
export async function classProgress(db: Db, roundId: string, schoolIds: string[]) {
  if (!schoolIds.length) return [];
  return db
    .select({
      schoolId: links.schoolId,
      classId: links.classId,
      received: sql<number>`sum(${links.usedCount})::int`,
      expected: sql<number>`sum(${links.capacity})::int`,
    })
    .from(links)
    .where(and(eq(links.roundId, roundId), inArray(links.schoolId, schoolIds), eq(links.revoked, false)))
    .groupBy(links.schoolId, links.classId);
}
