/**
 * Changing annual assessments: years and their components, the computed proposal, the human
 * sign-off (a reason for every change from the proposal), the 公示 announcement and answers to
 * objections. Every change is audited in its own transaction; a locked year refuses all of them.
 */
import { and, eq, inArray, or } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import {
  assessmentComponents,
  assessmentObjections,
  assessments,
  assessmentYears,
  units,
  type AssessmentYear,
  type ComponentValue,
} from '@/lib/db/schema';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '@/lib/errors';
import { weightedComposite } from '@/lib/scoring/stats';
import { parseInput } from '@/lib/validation';
import { accountabilityCaps } from '@/lib/accountability/caps';
import { calendarFor } from '@/lib/calendar/calendar';
import { addWorkingDays } from './calendar';
import { componentValues, entryFacts, unitComponentValues } from './components';
import { managedYear, openObjectionCount, staffOfYear, unitsOfYear, yearComponents } from './queries';
import { propose, readRules } from './rules';
import { answerObjectionInput, createYearInput, signInput, updateYearInput, yearActionInput } from './schemas';
import type { EffectiveYearStatus } from './status';

/** Draft only: components, rules, entries and the computation. */
export function assertDraft(status: EffectiveYearStatus) {
  if (status === 'locked') throw new ConflictError('assessment_locked');
  if (status !== 'draft') throw new ConflictError('assessment_announced');
}

export function assertNotLocked(status: EffectiveYearStatus) {
  if (status === 'locked') throw new ConflictError('assessment_locked');
}

function componentRows(yearId: string, list: z.output<typeof createYearInput>['components']) {
  return list.map((c, i) => ({ yearId, key: c.key, kind: c.kind, name: c.name, weight: c.weight, source: c.source, roundIds: c.roundIds, appliesTo: c.appliesTo, sortOrder: i }));
}

export async function createYear(db: Db, scope: Scope, actor: Actor, raw: z.input<typeof createYearInput>) {
  requireRole(scope, ['office']);
  const input = parseInput(createYearInput, raw);
  const inScope = await unitIdsInScope(db, scope);
  const candidates = await db.select().from(units).where(inArray(units.id, inScope));
  const unit = candidates.find((u) => u.id === input.unit || u.name === input.unit);
  if (!unit) throw new ValidationError({ unit: [{ key: 'import_unknown_unit', params: { value: input.unit } }] });
  return db.transaction(async (tx) => {
    const [clash] = await tx.select().from(assessmentYears).where(and(eq(assessmentYears.unitId, unit.id), eq(assessmentYears.year, input.year)));
    if (clash) throw new ConflictError('already_exists');
    const [year] = await tx.insert(assessmentYears).values({ unitId: unit.id, year: input.year, title: input.title, rules: input.rules }).returning();
    await tx.insert(assessmentComponents).values(componentRows(year!.id, input.components));
    await recordAudit(tx, actor, { action: 'assessment_year.create', entityType: 'assessment_year', entityId: year!.id, unitId: unit.id, summary: { year: input.year, title: input.title, components: input.components.map((c) => `${c.key}:${c.weight}`) } });
    return year!;
  });
}

export async function updateYear(db: Db, scope: Scope, actor: Actor, yearId: string, raw: z.input<typeof updateYearInput>) {
  const { year, status } = await managedYear(db, scope, yearId);
  assertDraft(status);
  const input = parseInput(updateYearInput, raw);
  await db.transaction(async (tx) => {
    if (input.title || input.rules) await tx.update(assessmentYears).set({ ...(input.title ? { title: input.title } : {}), ...(input.rules ? { rules: input.rules } : {}) }).where(eq(assessmentYears.id, yearId));
    if (input.components) {
      // entries belong to a component: keep the rows whose key stays, so their entries stay too
      const existing = await yearComponents(tx, yearId);
      const keep = new Map(existing.map((c) => [c.key, c]));
      const rows = componentRows(yearId, input.components);
      for (const row of rows) {
        const old = keep.get(row.key);
        if (old) await tx.update(assessmentComponents).set(row).where(eq(assessmentComponents.id, old.id));
        else await tx.insert(assessmentComponents).values(row);
      }
      const dropped = existing.filter((c) => !rows.some((r) => r.key === c.key)).map((c) => c.id);
      if (dropped.length) await tx.delete(assessmentComponents).where(inArray(assessmentComponents.id, dropped));
    }
    await recordAudit(tx, actor, { action: 'assessment_year.update', entityType: 'assessment_year', entityId: yearId, unitId: year.unitId, summary: { fields: Object.keys(input) } });
  });
  return { id: yearId };
}

/** One graded subject of a year: a staff member, or a unit (学校目标责任制考核). */
interface Subject {
  key: string;
  staffId: string | null;
  subjectUnitId: string | null;
  name: string;
  /** the 优秀 quota is shared within it: a person's unit, or the year's unit for graded units */
  quotaUnitId: string;
  values: ComponentValue[];
}

/**
 * Computes every staff member's and every graded unit's components, composite and proposed grade
 * (one machinery: the same composite, thresholds, caps and quota; units share the quota of the
 * year's unit). A signed grade stays signed while its proposal and score are unchanged; otherwise
 * the sign-off is cleared, since the person signed a different proposal.
 */
export async function computeYear(db: Db, scope: Scope, actor: Actor, year: AssessmentYear) {
  const all = await yearComponents(db, year.id);
  const staffComponents = all.filter((c) => c.appliesTo === 'staff');
  const unitComponents = all.filter((c) => c.appliesTo === 'unit');
  const facts = await entryFacts(db, year.id);
  const subjects: Subject[] = [];
  if (staffComponents.length) {
    const people = await staffOfYear(db, year);
    const values = await componentValues(db, scope, staffComponents, people, facts);
    for (const p of people) subjects.push({ key: p.id, staffId: p.id, subjectUnitId: null, name: p.name, quotaUnitId: p.unitId, values: values.get(p.id)! });
  }
  if (unitComponents.length) {
    const graded = await unitsOfYear(db, year);
    const values = await unitComponentValues(db, scope, unitComponents, graded, facts);
    for (const u of graded) subjects.push({ key: u.id, staffId: null, subjectUnitId: u.id, name: u.name, quotaUnitId: year.unitId, values: values.get(u.id)! });
  }
  const rules = readRules(year.rules);
  const measures = await accountabilityCaps(db, year.year, subjects.filter((p) => p.staffId).map((p) => p.key));
  const composite = new Map(subjects.map((p) => [p.key, weightedComposite(p.values.map((c) => ({ name: c.key, weight: c.weight, score: c.value })))]));
  const proposals = propose(
    subjects.map((p) => ({ staffId: p.key, name: p.name, unitId: p.quotaUnitId, score: composite.get(p.key)!.score, components: p.values, sanctions: facts.sanctions.get(p.key) ?? [], measureCaps: measures.get(p.key) })),
    rules,
  );
  const now = new Date();
  let cleared = 0;
  await db.transaction(async (tx) => {
    const before = new Map((await tx.select().from(assessments).where(eq(assessments.yearId, year.id))).map((a) => [(a.staffId ?? a.subjectUnitId)!, a]));
    for (const p of subjects) {
      const proposal = proposals.get(p.key)!;
      const c = composite.get(p.key)!;
      const old = before.get(p.key);
      const keepSign = old?.grade && old.proposedGrade === proposal.grade && old.compositeScore === c.score;
      if (old?.grade && !keepSign) cleared++;
      const row = {
        unitId: p.quotaUnitId,
        components: p.values,
        compositeScore: c.score,
        renormalised: c.missing,
        rank: proposal.rank,
        proposedGrade: proposal.grade,
        notes: proposal.notes,
        computedAt: now,
        ...(keepSign ? {} : { grade: null, reason: null, signedBy: null, signedByLabel: null, signedAt: null }),
      };
      if (old) await tx.update(assessments).set(row).where(eq(assessments.id, old.id));
      else await tx.insert(assessments).values({ yearId: year.id, staffId: p.staffId, subjectUnitId: p.subjectUnitId, ...row });
    }
    await tx.update(assessmentYears).set({ computedAt: now }).where(eq(assessmentYears.id, year.id));
    const units = subjects.filter((p) => p.subjectUnitId).length;
    await recordAudit(tx, actor, {
      action: 'assessment_year.compute',
      entityType: 'assessment_year',
      entityId: year.id,
      unitId: year.unitId,
      summary: { staff: subjects.length - units, units, signOffsCleared: cleared },
    });
  });
  return { computed: subjects.length, signOffsCleared: cleared };
}

export async function yearAction(db: Db, scope: Scope, actor: Actor, yearId: string, raw: z.input<typeof yearActionInput>) {
  const { year, status } = await managedYear(db, scope, yearId);
  const input = parseInput(yearActionInput, raw);
  assertDraft(status);
  if (input.action === 'compute') return { status: 'draft' as const, ...(await computeYear(db, scope, actor, year)) };
  const rows = await db.select({ grade: assessments.grade }).from(assessments).where(eq(assessments.yearId, yearId));
  if (!rows.length || rows.some((r) => !r.grade)) throw new ConflictError('unsigned_grades');
  const now = new Date();
  const endsAt = input.endsAt ? new Date(input.endsAt) : addWorkingDays(now, input.workingDays, await calendarFor(db, year.unitId, now));
  if (endsAt <= now) throw new ValidationError({ endsAt: [{ key: 'closes_before_opens' }] });
  await db.transaction(async (tx) => {
    await tx.update(assessmentYears).set({ status: 'announced', announcedAt: now, announcementEndsAt: endsAt }).where(eq(assessmentYears.id, yearId));
    await recordAudit(tx, actor, { action: 'assessment_year.announce', entityType: 'assessment_year', entityId: yearId, unitId: year.unitId, summary: { endsAt: endsAt.toISOString(), staff: rows.length } });
  });
  return { status: 'announced' as const, computed: 0, signOffsCleared: 0, endsAt: endsAt.toISOString() };
}

/**
 * The human decision (PIPL art. 24): an office user signs each grade; a grade other than the
 * proposal needs a written reason. Allowed in draft and during the 公示 window (to settle an
 * objection); refused once the year is locked. One audit entry per grade.
 */
export async function signGrades(db: Db, scope: Scope, actor: Actor, yearId: string, raw: z.input<typeof signInput>, label: string) {
  const { year, status } = await managedYear(db, scope, yearId);
  assertNotLocked(status);
  const input = parseInput(signInput, raw);
  // an item names a staff member or a graded unit
  const keyOf = (i: { staffId?: string | null; unitId?: string | null }) => (i.staffId ?? i.unitId)!;
  const keys = input.items.map(keyOf);
  const rows = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.yearId, yearId), or(inArray(assessments.staffId, keys), inArray(assessments.subjectUnitId, keys))));
  const byStaff = new Map(rows.map((r) => [(r.staffId ?? r.subjectUnitId)!, r]));
  const fields: Record<string, FieldIssue[]> = {};
  input.items.forEach((item, i) => {
    const row = byStaff.get(keyOf(item));
    if (!row) fields[`items.${i}.${item.staffId ? 'staffId' : 'unitId'}`] = [{ key: 'invalid' }];
    else if (item.grade !== row.proposedGrade && !item.reason) fields[`items.${i}.reason`] = [{ key: 'required' }];
  });
  if (Object.keys(fields).length) throw new ValidationError(fields);
  if (status !== 'draft' && input.items.some((i) => !i.reason)) {
    // during 公示 a change settles an objection: say why, even when it returns to the proposal
    throw new ValidationError(Object.fromEntries(input.items.flatMap((it, i) => (it.reason ? [] : [[`items.${i}.reason`, [{ key: 'required' }]]]))));
  }
  const now = new Date();
  await db.transaction(async (tx) => {
    for (const item of input.items) {
      const row = byStaff.get(keyOf(item))!;
      await tx
        .update(assessments)
        .set({ grade: item.grade, reason: item.reason ?? null, signedBy: actor.type === 'user' ? actor.userId : null, signedByLabel: label, signedAt: now })
        .where(eq(assessments.id, row.id));
      await recordAudit(tx, actor, {
        action: 'assessment.sign',
        entityType: 'assessment',
        entityId: row.id,
        unitId: row.unitId,
        summary: { yearId, staffId: row.staffId, subjectUnitId: row.subjectUnitId, score: row.compositeScore, proposed: row.proposedGrade, before: row.grade, grade: item.grade, override: item.grade !== row.proposedGrade, reason: item.reason ?? null },
      });
    }
  });
  return { signed: input.items.length, status: year.status };
}

export async function answerObjection(db: Db, scope: Scope, actor: Actor, yearId: string, objectionId: string, raw: z.input<typeof answerObjectionInput>) {
  const { year, status } = await managedYear(db, scope, yearId);
  assertNotLocked(status);
  const input = parseInput(answerObjectionInput, raw);
  const [objection] = await db.select().from(assessmentObjections).where(and(eq(assessmentObjections.id, objectionId), eq(assessmentObjections.yearId, yearId)));
  if (!objection) throw new NotFoundError('objection');
  if (objection.status !== 'open') throw new ConflictError('objection_answered');
  await db.transaction(async (tx) => {
    await tx
      .update(assessmentObjections)
      .set({ status: 'answered', answer: input.answer, answeredBy: actor.type === 'user' ? actor.userId : null, answeredAt: new Date() })
      .where(eq(assessmentObjections.id, objectionId));
    await recordAudit(tx, actor, { action: 'assessment_objection.answer', entityType: 'assessment_objection', entityId: objectionId, unitId: year.unitId, summary: { yearId, answer: input.answer } });
  });
  return { id: objectionId, openObjections: await openObjectionCount(db, yearId) };
}
