/**
 * Manual entries of graded units (学校目标责任制考核): the office scores a school on items no survey
 * measures (records, inspections …), one score per unit, component and period. Ledger (整改台帐)
 * and complaint (效能投诉) figures are not entries: they will be component sources of their own,
 * read from the campaign tables (see unitComponentValues).
 */
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, type Actor } from '@/lib/audit/log';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { regularAssessments } from '@/lib/db/schema';
import { ValidationError, type FieldIssue } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { assertDraft } from './mutations';
import { managedYear, unitsOfYear, yearComponents } from './queries';
import { unitEntriesInput } from './schemas';

/** Upserts the entries, all or nothing: an unknown unit or component refuses the batch with field errors. */
export async function recordUnitEntries(db: Db, scope: Scope, actor: Actor, yearId: string, raw: z.input<typeof unitEntriesInput>) {
  const { year, status } = await managedYear(db, scope, yearId);
  assertDraft(status);
  const input = parseInput(unitEntriesInput, raw);
  const components = (await yearComponents(db, yearId)).filter((c) => c.source === 'entries' && c.appliesTo === 'unit');
  const graded = await unitsOfYear(db, year);
  const fields: Record<string, FieldIssue[]> = {};
  const rows = input.entries.flatMap((e, i) => {
    const unit = graded.find((u) => u.id === e.unit || u.name === e.unit);
    const component = e.component ? components.find((c) => c.key === e.component || c.name === e.component) : components[0];
    if (!unit) fields[`entries.${i}.unit`] = [{ key: 'import_unknown_unit', params: { value: e.unit } }];
    if (!component) fields[`entries.${i}.component`] = [{ key: 'invalid' }];
    return unit && component ? [{ yearId, componentId: component.id, subjectUnitId: unit.id, period: e.period, score: e.score, note: e.note }] : [];
  });
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return db.transaction(async (tx) => {
    for (const row of rows) {
      await tx
        .insert(regularAssessments)
        .values({ ...row, createdBy: actor.type === 'user' ? actor.userId : null })
        .onConflictDoUpdate({
          target: [regularAssessments.componentId, regularAssessments.subjectUnitId, regularAssessments.period],
          set: { score: row.score, note: row.note, updatedAt: sql`now()` },
        });
    }
    await recordAudit(tx, actor, { action: 'assessment_entries.write', entityType: 'assessment_year', entityId: yearId, unitId: year.unitId, summary: { via: 'api', units: rows.length } });
    return { written: rows.length };
  });
}
