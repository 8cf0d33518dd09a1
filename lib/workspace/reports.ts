/**
 * 六查六看 self-inspection as a named report: saved as a draft, submitted for review, reviewed or
 * returned with a remark by the school admin or the office, resubmitted. Editable while the round
 * is open (a reviewed report is final).
 *
 * On each submission the scored answers are also written as a response of the round's self rater
 * group (the ordinary single statement, without a link), replacing (voiding) the previous one, so
 * the self score enters the round's results like any other group: in the composite where the round
 * gives the self group a weight, beside it (weight 0) where it does not. A returned report keeps its
 * last submitted score until it is resubmitted.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { MANAGERS, requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { rawQuery, type Db } from '@/lib/db/client';
import { raterGroups, responses, roundForms, roundUnits, rounds, selfReports, staff, templateVersions, units, type SelfReport } from '@/lib/db/schema';
import { DomainError, ForbiddenError, NotFoundError, ValidationError, type FieldIssue } from '@/lib/errors';
import { writeResponse } from '@/lib/responses/store';
import { voidResponses } from '@/lib/scoring/counters';
import { factsFromAnswers } from '@/lib/surveys/annotations';
import { compiledVersion } from '@/lib/surveys/compile';
import { validateAnswers } from '@/lib/surveys/validate';
import { parseInput } from '@/lib/validation';
import { myOpenForm, myStaff } from './tasks';
import { listReportsQuery, reviewReportInput, saveReportInput } from './schemas';

const textOf = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

async function definitionOf(db: Db, versionId: string) {
  const [v] = await db.select({ definition: templateVersions.definition }).from(templateVersions).where(eq(templateVersions.id, versionId));
  return v!.definition;
}

function present(r: SelfReport) {
  return {
    id: r.id,
    roundId: r.roundId,
    formId: r.formId,
    staffId: r.staffId,
    answers: r.answers,
    problems: r.problems,
    measures: r.measures,
    commitments: r.commitments,
    status: r.status,
    remark: r.remark,
    submittedAt: r.submittedAt?.toISOString() ?? null,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
  };
}
export type ReportView = ReturnType<typeof present>;

/** The caller's report on an open self-inspection form (null before it is started), with the form. */
export async function getMyReport(db: Db, scope: Scope, formId: string) {
  const { me, round, form } = await myOpenForm(db, scope, formId, 'self');
  const [report] = await db.select().from(selfReports).where(and(eq(selfReports.formId, formId), eq(selfReports.staffId, me.id)));
  return {
    round: { id: round.id, title: round.title, closesAt: round.closesAt.toISOString() },
    formTitle: form.title,
    staff: { id: me.id, name: me.name },
    definition: await definitionOf(db, form.templateVersionId),
    report: report ? present(report) : null,
    editable: report?.status !== 'reviewed',
  };
}

/** Every report of the caller, newest round first: statuses and remarks also after the round closed. */
export async function listMyReports(db: Db, scope: Scope) {
  if (!scope.staffId) return [];
  const me = await myStaff(db, scope);
  const rows = await db
    .select({ report: selfReports, roundTitle: rounds.title, formTitle: roundForms.title })
    .from(selfReports)
    .innerJoin(rounds, eq(rounds.id, selfReports.roundId))
    .innerJoin(roundForms, eq(roundForms.id, selfReports.formId))
    .where(eq(selfReports.staffId, me.id))
    .orderBy(desc(rounds.closesAt));
  return rows.map((r) => ({ ...present(r.report), roundTitle: r.roundTitle, formTitle: r.formTitle }));
}

/**
 * Saves the caller's report as a draft, or submits it: then every required answer and the public
 * commitments are checked, and the scored answers replace the previous submission's in the round.
 */
export async function saveMyReport(db: Db, scope: Scope, actor: Actor, formId: string, raw: z.input<typeof saveReportInput>) {
  const input = parseInput(saveReportInput, raw);
  const { me, round, form } = await myOpenForm(db, scope, formId, 'self');
  const [existing] = await db.select().from(selfReports).where(and(eq(selfReports.formId, formId), eq(selfReports.staffId, me.id)));
  if (existing?.status === 'reviewed') throw new DomainError('conflict', { reason: 'report_reviewed' });
  const compiled = compiledVersion(form.templateVersionId, await definitionOf(db, form.templateVersionId));
  if (input.submit) {
    const fields: Record<string, FieldIssue[]> = {};
    for (const [path, issues] of Object.entries(validateAnswers(compiled, input.answers))) fields[`answers.${path}`] = issues;
    if (!input.commitments) fields.commitments = [{ key: 'required' }];
    if (Object.keys(fields).length) throw new ValidationError(fields);
  }
  const values = {
    answers: input.answers,
    problems: textOf(input.answers.problems),
    measures: textOf(input.answers.measures),
    commitments: input.commitments,
    updatedAt: new Date(),
  };
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // the round must still take answers: sealing holds this row's lock while it rewrites the round
    const [open] = await rawQuery<{ sealed: boolean }>(tx, `select sealed_at is not null as sealed from rounds where id = $1::uuid for key share`, [round.id]);
    if (!open || open.sealed) throw new DomainError('gone', { reason: 'round_closed' });
    let responseId = existing?.responseId ?? null;
    if (input.submit) {
      if (responseId) await voidResponses(tx, round.id, [responseId], 'resubmitted');
      const key = `self:${randomUUID()}`;
      await writeResponse(
        tx,
        { roundId: round.id, formId, raterGroupId: form.raterGroupId, schoolId: me.unitId, idempotencyKey: key, data: { [me.id]: input.answers } },
        [{ subject: { type: 'staff', key: me.id }, facts: factsFromAnswers(compiled.scored, input.answers) }],
      );
      const [written] = await tx.select({ id: responses.id }).from(responses).where(and(eq(responses.roundId, round.id), eq(responses.idempotencyKey, key)));
      responseId = written!.id;
    }
    // saving without submitting keeps a submitted or returned report's status (and its last submitted score)
    const submitted: Partial<SelfReport> = input.submit ? { status: 'submitted', submittedAt: new Date(), responseId } : { status: existing?.status ?? 'draft' };
    const [saved] = existing
      ? await tx.update(selfReports).set({ ...values, ...submitted }).where(eq(selfReports.id, existing.id)).returning()
      : await tx.insert(selfReports).values({ roundId: round.id, formId, staffId: me.id, unitId: me.unitId, ...values, ...submitted }).returning();
    await recordAudit(tx, actor, {
      action: input.submit ? 'self_report.submit' : 'self_report.save',
      entityType: 'self_report',
      entityId: saved!.id,
      unitId: me.unitId,
      summary: { roundId: round.id, status: saved!.status },
    });
    return present(saved!);
  });
}

/** Reports of staff in the caller's units. */
async function reportsInScope(db: Db, scope: Scope, filter: { roundId?: string; status?: SelfReport['status']; reportId?: string }) {
  const inScope = await unitIdsInScope(db, scope);
  return db
    .select({ report: selfReports, staffName: staff.name, staffNo: staff.staffNo, unitName: units.name, roundTitle: rounds.title })
    .from(selfReports)
    .innerJoin(staff, eq(staff.id, selfReports.staffId))
    .innerJoin(units, eq(units.id, selfReports.unitId))
    .innerJoin(rounds, eq(rounds.id, selfReports.roundId))
    .where(
      and(
        inArray(selfReports.unitId, inScope),
        filter.roundId ? eq(selfReports.roundId, filter.roundId) : undefined,
        filter.status ? eq(selfReports.status, filter.status) : undefined,
        filter.reportId ? eq(selfReports.id, filter.reportId) : undefined,
      ),
    )
    .orderBy(asc(units.sortOrder), asc(staff.staffNo));
}

/** Reports of the caller's scope (school admin: their school; office: its units); drafts are the author's own. */
export async function listReports(db: Db, scope: Scope, raw: z.input<typeof listReportsQuery>) {
  requireRole(scope, MANAGERS);
  const filter = parseInput(listReportsQuery, raw);
  const rows = await reportsInScope(db, scope, filter);
  return rows
    .filter((r) => r.report.status !== 'draft')
    .map((r) => ({ ...present(r.report), staffName: r.staffName, staffNo: r.staffNo, unitName: r.unitName, roundTitle: r.roundTitle }));
}

/** Marks a submitted report reviewed, or returns it with a remark (audited). */
export async function reviewReport(db: Db, scope: Scope, actor: Actor, reportId: string, raw: z.input<typeof reviewReportInput>) {
  requireRole(scope, MANAGERS);
  const input = parseInput(reviewReportInput, raw);
  const [row] = await reportsInScope(db, scope, { reportId });
  if (!row || row.report.status === 'draft') throw new NotFoundError('resource');
  // a principal's own report is reviewed by the office, not by themselves
  if (scope.staffId && row.report.staffId === scope.staffId) throw new ForbiddenError('own_report');
  if (row.report.status !== 'submitted' && !(input.action === 'return' && row.report.status === 'reviewed')) {
    throw new DomainError('conflict', { reason: 'report_not_submitted' });
  }
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [saved] = await tx
      .update(selfReports)
      .set({ status: input.action === 'review' ? 'reviewed' : 'returned', remark: input.remark ?? null, reviewedAt: new Date(), reviewedBy: scope.userId ?? null })
      .where(eq(selfReports.id, reportId))
      .returning();
    await recordAudit(tx, actor, {
      action: `self_report.${input.action}`,
      entityType: 'self_report',
      entityId: reportId,
      unitId: row.report.unitId,
      summary: { before: row.report.status, after: saved!.status, remark: input.remark ?? null },
    });
    return present(saved!);
  });
}

/**
 * Completion of a round's forms addressed to staff, per school in the caller's scope: colleague
 * ballots as counts only (who answered is never listed), self-inspection reports submitted, and by
 * name the staff who have not submitted one (the self-inspection is named by nature).
 */
export async function roundCompletion(db: Db, scope: Scope, roundId: string) {
  requireRole(scope, MANAGERS);
  const inScope = await unitIdsInScope(db, scope);
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId));
  if (!round) throw new NotFoundError('round');
  const schools = (await db.select({ id: roundUnits.unitId, name: units.name }).from(roundUnits).innerJoin(units, eq(units.id, roundUnits.unitId)).where(eq(roundUnits.roundId, roundId)))
    .filter((s) => inScope.includes(s.id));
  // a round outside the caller's units and covering none of them is unknown
  if (!schools.length && !inScope.includes(round.unitId)) throw new NotFoundError('round');
  const schoolIds = schools.map((s) => s.id);
  const forms = await db
    .select({ id: roundForms.id, title: roundForms.title, subjectMode: roundForms.subjectMode, raterKind: raterGroups.kind })
    .from(roundForms)
    .innerJoin(raterGroups, eq(raterGroups.id, roundForms.raterGroupId))
    .where(eq(roundForms.roundId, roundId));
  const staffForms = forms.filter((f) => (f.raterKind === 'colleague' && f.subjectMode === 'ballot') || (f.raterKind === 'self' && f.subjectMode === 'self'));
  const expected = schoolIds.length
    ? await db
        .select({ schoolId: staff.unitId, n: sql<number>`count(*)::int` })
        .from(staff)
        .where(and(inArray(staff.unitId, schoolIds), eq(staff.active, true)))
        .groupBy(staff.unitId)
    : [];
  const expectedOf = new Map(expected.map((e) => [e.schoolId, Number(e.n)]));
  const result = [];
  for (const f of staffForms) {
    let answered = new Map<string, number>();
    const missing: { staffId: string; name: string; staffNo: string; unitName: string; status: SelfReport['status'] | null; remark: string | null }[] = [];
    if (schoolIds.length && f.raterKind === 'colleague') {
      // places (account or personal links) used, summed per school: a count, never a name
      const rows = await rawQuery<{ schoolId: string; n: number }>(
        db,
        `select l.school_id as "schoolId", sum(l.used_count)::int as n from links l
         where l.form_id = $1::uuid and l.kind in ('personal', 'account') and l.issued_to_staff_id is not null and not l.revoked
           and l.school_id = any($2::uuid[]) group by l.school_id`,
        [f.id, `{${schoolIds.join(',')}}`],
      );
      answered = new Map(rows.map((r) => [r.schoolId, Number(r.n)]));
    } else if (schoolIds.length) {
      const rows = await db
        .select({ staffId: staff.id, name: staff.name, staffNo: staff.staffNo, unitId: staff.unitId, unitName: units.name, status: selfReports.status, remark: selfReports.remark })
        .from(staff)
        .innerJoin(units, eq(units.id, staff.unitId))
        .leftJoin(selfReports, and(eq(selfReports.staffId, staff.id), eq(selfReports.formId, f.id)))
        .where(and(inArray(staff.unitId, schoolIds), eq(staff.active, true)))
        .orderBy(asc(units.sortOrder), asc(staff.staffNo));
      for (const r of rows) {
        if (r.status === 'submitted' || r.status === 'reviewed') answered.set(r.unitId, (answered.get(r.unitId) ?? 0) + 1);
        else missing.push({ staffId: r.staffId, name: r.name, staffNo: r.staffNo, unitName: r.unitName, status: r.status, remark: r.remark });
      }
    }
    result.push({
      formId: f.id,
      title: f.title,
      kind: f.raterKind === 'colleague' ? ('colleague' as const) : ('self' as const),
      schools: schools.map((s) => ({ schoolId: s.id, name: s.name, expected: expectedOf.get(s.id) ?? 0, answered: answered.get(s.id) ?? 0 })),
      missing: f.raterKind === 'self' ? missing : null,
    });
  }
  return { round: { id: round.id, title: round.title }, forms: result };
}
