import { deleteCounts } from '@/lib/scoring/counters';
import { and, desc, eq, inArray } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, unitIdsInScope, type Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import {
  answerFacts,
  ballotEntries,
  links,
  raterGroups,
  responses,
  roundForms,
  roundUnits,
  rounds,
  templates,
  templateVersions,
  units,
  type Round,
} from '@/lib/db/schema';
import { ConflictError, NotFoundError, ValidationError } from '@/lib/errors';
import { defaultRetainUntil } from '@/lib/retention/policy';
import { parseInput } from '@/lib/validation';
import { BALLOT_SELECTORS, expandSelector, uniqueEntries, type BallotEntry } from './ballot-list';
import { resolveEntry } from './ballot-lists';
import { createRoundInput, roundActionInput, updateRoundInput, type CreateRoundInput } from './schemas';
import { sealInTransaction, vacuumAfterSeal } from './seal';
import { effectiveStatus } from './status';

const requireOffice = (scope: Scope) => requireRole(scope, ['office']);

/** A round the caller may manage (run by a unit in its scope), or 404. */
export async function managedRound(db: Db, scope: Scope, roundId: string): Promise<Round> {
  requireOffice(scope);
  const [round] = await db.select().from(rounds).where(eq(rounds.id, roundId));
  if (!round || !(await unitIdsInScope(db, scope)).includes(round.unitId)) throw new NotFoundError('round');
  return round;
}

/**
 * Creates a draft round: its schools, rater groups with weights summing to 100%, and forms (a
 * template version + who answers + who is rated; ballot forms with their list of people or units).
 */
export async function createRound(db: Db, scope: Scope, actor: Actor, raw: CreateRoundInput) {
  requireOffice(scope);
  const input = parseInput(createRoundInput, raw);
  const inScope = await unitIdsInScope(db, scope);
  const scopedUnits = await db.select().from(units).where(inArray(units.id, inScope));
  let schoolIds: string[];
  if (input.units?.length) {
    schoolIds = [];
    input.units.forEach((u, i) => {
      const hit = scopedUnits.find((x) => (x.id === u || x.name === u) && x.kind === 'school');
      if (!hit) throw new ValidationError({ [`units.${i}`]: [{ key: 'import_unknown_school', params: { value: u } }] });
      schoolIds.push(hit.id);
    });
  } else {
    schoolIds = scopedUnits.filter((u) => u.kind === 'school' && u.active).map((u) => u.id);
  }
  // template versions: the requested one or the latest, of a template the caller may read
  const versions: string[] = [];
  for (const [i, f] of input.forms.entries()) {
    const [t] = await db.select().from(templates).where(eq(templates.id, f.templateId));
    if (!t || (t.unitId && !inScope.includes(t.unitId))) throw new ValidationError({ [`forms.${i}.templateId`]: [{ key: 'invalid' }] });
    const [v] = await db
      .select()
      .from(templateVersions)
      .where(and(eq(templateVersions.templateId, t.id), f.version ? eq(templateVersions.version, f.version) : undefined))
      .orderBy(desc(templateVersions.version))
      .limit(1);
    if (!v) throw new ValidationError({ [`forms.${i}.version`]: [{ key: 'invalid' }] });
    versions.push(v.id);
  }
  // ballots: staff numbers in scope, unit names in scope, or positions (lib/rounds/ballot-list.ts)
  const ballots: BallotEntry[][] = [];
  for (const [i, f] of input.forms.entries()) {
    const list: BallotEntry[] = [];
    for (const [j, entry] of (f.ballot ?? []).entries()) {
      if (entry.startsWith('@')) {
        const expanded = await expandSelector(db, entry, schoolIds, scopedUnits, scope.unitId);
        if (!expanded) throw new ValidationError({ [`forms.${i}.ballot.${j}`]: [{ key: 'ballot_selector', params: { value: entry, allowed: BALLOT_SELECTORS.join(' ') } }] });
        if (!expanded.length) throw new ValidationError({ [`forms.${i}.ballot.${j}`]: [{ key: 'ballot_selector_empty', params: { value: entry } }] });
        list.push(...expanded);
        continue;
      }
      const hit = await resolveEntry(db, entry, scopedUnits);
      if (!hit) throw new ValidationError({ [`forms.${i}.ballot.${j}`]: [{ key: 'import_unknown_staff', params: { value: entry } }] });
      list.push(hit);
    }
    ballots.push(uniqueEntries(list));
  }
  return db.transaction(async (tx) => {
    const [round] = await tx
      .insert(rounds)
      .values({
        unitId: scope.unitId,
        title: input.title,
        schoolYear: input.schoolYear,
        term: input.term,
        opensAt: new Date(input.opensAt),
        closesAt: new Date(input.closesAt),
        anonymityThreshold: input.anonymityThreshold,
        commentThreshold: input.commentThreshold,
        scoring: input.scoring ?? {},
        testMode: input.testMode,
        retainUntil: input.retainUntil ? new Date(input.retainUntil) : defaultRetainUntil(input.schoolYear),
      })
      .returning();
    if (schoolIds.length) await tx.insert(roundUnits).values(schoolIds.map((unitId) => ({ roundId: round!.id, unitId })));
    const groups = await tx
      .insert(raterGroups)
      .values(input.raterGroups.map((g) => ({ roundId: round!.id, kind: g.kind, name: g.name, weight: g.weight })))
      .returning();
    for (const [i, f] of input.forms.entries()) {
      const [form] = await tx
        .insert(roundForms)
        .values({
          roundId: round!.id,
          templateVersionId: versions[i]!,
          raterGroupId: groups[f.raterGroup]!.id,
          subjectMode: f.subjectMode,
          title: f.title ?? input.raterGroups[f.raterGroup]!.name,
        })
        .returning();
      if (ballots[i]!.length) await tx.insert(ballotEntries).values(ballots[i]!.map((b, k) => ({ formId: form!.id, ...b, sortOrder: k })));
    }
    await recordAudit(tx, actor, { action: 'round.create', entityType: 'round', entityId: round!.id, unitId: scope.unitId, summary: { title: input.title } });
    return round!;
  });
}

/** Edits a draft round; an opened round can only be extended or closed (roundAction). */
export async function updateRound(db: Db, scope: Scope, actor: Actor, roundId: string, raw: unknown) {
  const patch = parseInput(updateRoundInput, raw);
  const round = await managedRound(db, scope, roundId);
  if (round.status !== 'draft') throw new ConflictError('round_not_draft_edit');
  const set = {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.opensAt !== undefined ? { opensAt: new Date(patch.opensAt) } : {}),
    ...(patch.closesAt !== undefined ? { closesAt: new Date(patch.closesAt) } : {}),
    ...(patch.anonymityThreshold !== undefined ? { anonymityThreshold: patch.anonymityThreshold } : {}),
    ...(patch.commentThreshold !== undefined ? { commentThreshold: patch.commentThreshold } : {}),
    ...(patch.scoring !== undefined ? { scoring: patch.scoring } : {}),
    ...(patch.testMode !== undefined ? { testMode: patch.testMode } : {}),
  };
  const opensAt = set.opensAt ?? round.opensAt;
  const closesAt = set.closesAt ?? round.closesAt;
  if (closesAt <= opensAt) throw new ValidationError({ closesAt: [{ key: 'closes_before_opens' }] });
  return db.transaction(async (tx) => {
    const [after] = await tx.update(rounds).set(set).where(eq(rounds.id, roundId)).returning();
    await recordAudit(tx, actor, { action: 'round.update', entityType: 'round', entityId: roundId, unitId: round.unitId, summary: { after: patch } });
    return after!;
  });
}

/**
 * Moves a round through its life: open (for its window; the template versions it uses become
 * immutable), close early, extend, release to schools, then to staff, and — for a test-mode round
 * only — wipe its answers before the real run. Nothing deletes the answers of a real round.
 */
export async function roundAction(db: Db, scope: Scope, actor: Actor, roundId: string, raw: unknown) {
  const input = parseInput(roundActionInput, raw);
  const round = await managedRound(db, scope, roundId);
  const now = new Date();
  const status = effectiveStatus(round, now);
  const conflict = (reason: string) => new ConflictError(reason);
  let set: Partial<Round> = {};
  switch (input.action) {
    case 'open':
      if (round.status !== 'draft') throw conflict('round_not_draft');
      set = { status: 'open' };
      break;
    case 'close':
      if (status !== 'open' && status !== 'scheduled') throw conflict('round_not_open');
      set = { status: 'closed', closesAt: status === 'open' ? now : round.closesAt };
      break;
    case 'extend': {
      const closesAt = new Date(input.closesAt!);
      if (round.status !== 'open' || closesAt <= round.closesAt) throw conflict('round_extend');
      // a sealed round's answers have been rewritten and may have been exported: reopening it
      // would let two exports be differenced
      if (round.sealedAt) throw conflict('round_sealed');
      set = { closesAt };
      break;
    }
    case 'release_schools':
      if (status !== 'closed' && round.status !== 'released') throw conflict('round_not_closed');
      set = { status: 'released', releasedToSchoolsAt: round.releasedToSchoolsAt ?? now };
      break;
    case 'release_staff':
      if (!round.releasedToSchoolsAt) throw conflict('round_release_order');
      set = { releasedToStaffAt: round.releasedToStaffAt ?? now };
      break;
    case 'release_pooled':
      if (!round.releasedToSchoolsAt) throw conflict('round_release_order');
      set = { pooledReleasedAt: round.pooledReleasedAt ?? now };
      break;
    case 'withhold_pooled':
      set = { pooledReleasedAt: null };
      break;
    case 'wipe_test_answers':
      if (!round.testMode) throw conflict('round_not_test');
      break;
  }
  let sealed = false;
  const result = await db.transaction(async (tx) => {
    if (input.action === 'open') {
      const forms = await tx.select({ v: roundForms.templateVersionId }).from(roundForms).where(eq(roundForms.roundId, roundId));
      await tx.update(templateVersions).set({ lockedAt: now }).where(inArray(templateVersions.id, forms.map((f) => f.v)));
    }
    if (input.action === 'wipe_test_answers') {
      await deleteCounts(tx, roundId);
      await tx.delete(answerFacts).where(eq(answerFacts.roundId, roundId));
      await tx.delete(responses).where(eq(responses.roundId, roundId));
      await tx.update(links).set({ usedCount: 0 }).where(eq(links.roundId, roundId));
    }
    let [after] = Object.keys(set).length ? await tx.update(rounds).set(set).where(eq(rounds.id, roundId)).returning() : [round];
    // closing (or releasing a round whose window ended by itself) seals its answers in the same
    // transaction: nothing is accepted between the close and the seal
    if ((input.action === 'close' || input.action === 'release_schools') && (await sealInTransaction(tx, roundId, now))) {
      sealed = true;
      [after] = await tx.select().from(rounds).where(eq(rounds.id, roundId));
    }
    await recordAudit(tx, actor, { action: `round.${input.action}`, entityType: 'round', entityId: roundId, unitId: round.unitId, summary: { before: { status: round.status }, after: set } });
    return after!;
  });
  if (sealed) await vacuumAfterSeal(db);
  return result;
}
