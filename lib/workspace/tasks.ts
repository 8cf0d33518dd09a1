/**
 * The staff workspace: the open forms addressed to a logged-in staff member (their own 六查六看
 * self-inspection, and colleague ballots of their school), and answering a colleague ballot from
 * the account.
 *
 * A colleague ballot answered from an account is stored exactly like one answered through a
 * personal one-time link: the account has a *place* in the form (a `links` row of kind `account`,
 * issued to the staff member, capacity 1, with a random token hash that no token matches), and the
 * submission takes that place and writes the response in the one statement every submission uses
 * (lib/responses/respond.ts → lib/responses/store.ts). So "done" is the place's use count, the
 * response carries no user, staff or link id, and sealing (lib/rounds/seal.ts) rewrites places and
 * responses like any other links and responses when the round closes. A place issued as a personal
 * link to the same person is the same place: the slip and the account cannot both answer.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Scope } from '@/lib/auth/scope';
import { rawQuery, type Db } from '@/lib/db/client';
import { ballotEntries, links, raterGroups, roundForms, roundUnits, rounds, selfReports, staff, type Staff } from '@/lib/db/schema';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { acceptSubmission, linkById, withSubjects } from '@/lib/responses/respond';
import { submitInput } from '@/lib/rounds/schemas';
import { effectiveStatus } from '@/lib/rounds/status';
import { parseInput } from '@/lib/validation';

export type TaskKind = 'colleague' | 'self';

export interface Task {
  formId: string;
  roundId: string;
  roundTitle: string;
  formTitle: string;
  kind: TaskKind;
  closesAt: string;
  /** colleague ballot: answered from this account (or the person's personal link) */
  done: boolean;
  /** self-inspection: the report's status, null before it is started */
  reportStatus: 'draft' | 'submitted' | 'reviewed' | 'returned' | null;
  remark: string | null;
}

/** The staff record behind the caller's login; a login without one has no workspace. */
export async function myStaff(db: Db, scope: Scope): Promise<Staff> {
  if (!scope.staffId) throw new ForbiddenError('no_staff_record');
  const [me] = await db.select().from(staff).where(eq(staff.id, scope.staffId));
  if (!me || !me.active) throw new ForbiddenError('no_staff_record');
  return me;
}

/** Forms of rounds that cover the school and take answers now, for colleagues or for oneself. */
async function openForms(db: Db, schoolId: string, now = new Date()) {
  const rows = await db
    .select({ form: roundForms, round: rounds, raterKind: raterGroups.kind })
    .from(roundForms)
    .innerJoin(rounds, eq(rounds.id, roundForms.roundId))
    .innerJoin(roundUnits, and(eq(roundUnits.roundId, rounds.id), eq(roundUnits.unitId, schoolId)))
    .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
    .where(and(eq(rounds.status, 'open'), sql`${rounds.sealedAt} is null`))
    .orderBy(asc(rounds.closesAt), asc(roundForms.title));
  return rows.filter(
    (r) =>
      effectiveStatus(r.round, now) === 'open' &&
      ((r.raterKind === 'colleague' && r.form.subjectMode === 'ballot') || (r.raterKind === 'self' && r.form.subjectMode === 'self')),
  );
}

/**
 * Gives every active staff member of the school without one a place in the form, in one
 * statement: places are made for the whole school at once, so when a place was made says nothing
 * about who opened their tasks when.
 */
export async function ensurePlaces(db: Db, roundId: string, formId: string, schoolId: string): Promise<void> {
  await rawQuery(
    db,
    `insert into links (id, round_id, form_id, kind, token_hash, school_id, issued_to_staff_id, capacity)
     select gen_random_uuid(), $1::uuid, $2::uuid, 'account', 'account:' || gen_random_uuid()::text, $3::uuid, s.id, 1
     from staff s
     where s.unit_id = $3::uuid and s.active
       and not exists (select 1 from links l where l.form_id = $2::uuid and l.issued_to_staff_id = s.id and l.kind in ('personal', 'account') and not l.revoked)`,
    [roundId, formId, schoolId],
  );
}

/** The caller's place in a form: a personal link issued to them, else their account place. */
async function myPlace(db: Db, formId: string, staffId: string) {
  const rows = await db
    .select({ id: links.id, kind: links.kind, usedCount: links.usedCount, capacity: links.capacity })
    .from(links)
    .where(and(eq(links.formId, formId), eq(links.issuedToStaffId, staffId), inArray(links.kind, ['personal', 'account']), eq(links.revoked, false)))
    .orderBy(asc(links.kind));
  // one answer per person: used if any of their places is used
  return { place: rows.find((r) => r.kind === 'personal') ?? rows[0], used: rows.some((r) => r.usedCount >= r.capacity) };
}

/** Every open form addressed to the caller, with what is done. */
export async function listMyTasks(db: Db, scope: Scope): Promise<Task[]> {
  // a login or key without a staff record has nothing addressed to it
  if (!scope.staffId) return [];
  const me = await myStaff(db, scope);
  const forms = await openForms(db, me.unitId);
  const tasks: Task[] = [];
  for (const { form, round, raterKind } of forms) {
    const base = { formId: form.id, roundId: round.id, roundTitle: round.title, formTitle: form.title, closesAt: round.closesAt.toISOString() };
    if (raterKind === 'colleague') {
      // a task only where the ballot lists colleagues of one's own school other than oneself
      const others = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(ballotEntries)
        .innerJoin(staff, eq(staff.id, ballotEntries.staffId))
        .where(and(eq(ballotEntries.formId, form.id), eq(staff.unitId, me.unitId), sql`${staff.id} <> ${me.id}`));
      if (!Number(others[0]?.n)) continue;
      await ensurePlaces(db, round.id, form.id, me.unitId);
      const { used } = await myPlace(db, form.id, me.id);
      tasks.push({ ...base, kind: 'colleague', done: used, reportStatus: null, remark: null });
    } else {
      const [report] = await db
        .select({ status: selfReports.status, remark: selfReports.remark })
        .from(selfReports)
        .where(and(eq(selfReports.formId, form.id), eq(selfReports.staffId, me.id)));
      tasks.push({ ...base, kind: 'self', done: report?.status === 'submitted' || report?.status === 'reviewed', reportStatus: report?.status ?? null, remark: report?.remark ?? null });
    }
  }
  return tasks;
}

/** An open form addressed to the caller, of the given kind (otherwise unknown: 404). */
export async function myOpenForm(db: Db, scope: Scope, formId: string, kind: TaskKind) {
  const me = await myStaff(db, scope);
  const hit = (await openForms(db, me.unitId)).find((f) => f.form.id === formId && (f.raterKind === 'colleague') === (kind === 'colleague'));
  if (!hit) throw new NotFoundError('resource');
  return { me, ...hit };
}

/** The colleague ballot as the caller will answer it: definition and the colleagues on it (never oneself). */
export async function getColleagueBallot(db: Db, scope: Scope, formId: string) {
  const { me, round } = await myOpenForm(db, scope, formId, 'colleague');
  await ensurePlaces(db, round.id, formId, me.unitId);
  const { place, used } = await myPlace(db, formId, me.id);
  if (!place) throw new NotFoundError('resource');
  const row = (await linkById(db, place.id))!;
  const resolved = await withSubjects(db, row);
  if (!resolved.subjects.length) throw new NotFoundError('resource');
  return { round: { id: round.id, title: round.title, closesAt: round.closesAt.toISOString() }, formTitle: row.form.title, school: row.schoolName, done: used, subjects: resolved.subjects, definition: resolved.definition };
}

/**
 * Answers a colleague ballot from the account: the same validation and the same single statement
 * as a one-time link, through the caller's place. A second attempt is refused (409
 * already_answered); a retry with the same idempotency key gets its receipt.
 */
export async function submitColleagueBallot(db: Db, scope: Scope, formId: string, raw: z.input<typeof submitInput>) {
  const input = parseInput(submitInput, raw);
  const { me, round } = await myOpenForm(db, scope, formId, 'colleague');
  await ensurePlaces(db, round.id, formId, me.unitId);
  const { place, used } = await myPlace(db, formId, me.id);
  if (!place) throw new NotFoundError('resource');
  const row = (await linkById(db, place.id))!;
  if (!(await withSubjects(db, row)).subjects.length) throw new NotFoundError('resource');
  try {
    const result = await acceptSubmission(db, row, input);
    return result;
  } catch (err) {
    // a personal link's "code used" reads, from the account, as "you have already answered"
    if (err instanceof DomainError && err.code === 'conflict' && (err.params.reason === 'code_used' || used)) {
      throw new DomainError('conflict', { reason: 'already_answered' });
    }
    throw err;
  }
}
