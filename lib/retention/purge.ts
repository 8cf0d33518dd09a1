/**
 * The end of a round's retention period: its raw answers (responses, with their comments, and the
 * answer rows derived from them) are deleted in one transaction with an audit entry saying what
 * was deleted and when. The count tables stay, so the results and the assessment figures computed
 * from them do not change; only the comment lists and keywords, which are read from the raw
 * answers, are gone. A test-mode round loses its counts too: test answers are never kept.
 */
import { and, eq, inArray, isNull, lt } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { unitIdsInScope, type Scope } from '@/lib/auth/scope';
import { rawQuery, type Db } from '@/lib/db/client';
import { rounds } from '@/lib/db/schema';
import { deleteCounts } from '@/lib/scoring/counters';
import { retainUntil, WARN_DAYS } from './policy';

export interface PurgedRound {
  roundId: string;
  title: string;
  retainUntil: string;
  responses: number;
  facts: number;
}

/** Deletes the raw answers of every closed round past its retention period; safe to run on several instances at once. */
export async function purgeExpiredRounds(db: Db, actor: Actor, now = new Date()): Promise<PurgedRound[]> {
  // only rounds whose window is over: an open round's answers are never purged under it
  const candidates = await db
    .select({ id: rounds.id, schoolYear: rounds.schoolYear, retainUntil: rounds.retainUntil })
    .from(rounds)
    .where(and(isNull(rounds.answersPurgedAt), lt(rounds.closesAt, now)));
  const due = candidates.filter((r) => retainUntil(r) < now);
  const purged: PurgedRound[] = [];
  for (const { id } of due) {
    const done = await purgeRound(db, actor, id, now);
    if (done) purged.push(done);
  }
  return purged;
}

async function purgeRound(db: Db, actor: Actor, roundId: string, now: Date): Promise<PurgedRound | null> {
  return db.transaction(async (tx) => {
    // the row lock makes a second instance wait here and then find the round already purged
    const [round] = await tx.select().from(rounds).where(eq(rounds.id, roundId)).for('update');
    if (!round || round.answersPurgedAt) return null;
    const until = retainUntil(round);
    const [facts] = await rawQuery<{ n: number }>(tx, `with d as (delete from answer_facts where round_id = $1::uuid returning 1) select count(*)::int as n from d`, [roundId]);
    const [resp] = await rawQuery<{ n: number }>(tx, `with d as (delete from responses where round_id = $1::uuid returning 1) select count(*)::int as n from d`, [roundId]);
    if (round.testMode) await deleteCounts(tx, roundId);
    await tx.update(rounds).set({ answersPurgedAt: now, retainUntil: until }).where(eq(rounds.id, roundId));
    const summary = { retainUntil: until.toISOString(), responses: resp?.n ?? 0, facts: facts?.n ?? 0, countsKept: !round.testMode };
    await recordAudit(tx, actor, { action: 'round.answers_purged', entityType: 'round', entityId: roundId, unitId: round.unitId, summary });
    return { roundId, title: round.title, retainUntil: until.toISOString(), responses: summary.responses, facts: summary.facts };
  });
}

export interface RetentionWarning {
  roundId: string;
  title: string;
  retainUntil: string;
}

/** Rounds of the office's units whose raw answers will be deleted within WARN_DAYS days (export them first). */
export async function retentionWarnings(db: Db, scope: Scope, now = new Date()): Promise<RetentionWarning[]> {
  if (scope.role !== 'office') return [];
  const unitIds = await unitIdsInScope(db, scope);
  if (!unitIds.length) return [];
  const rows = await db
    .select({ id: rounds.id, title: rounds.title, schoolYear: rounds.schoolYear, retainUntil: rounds.retainUntil })
    .from(rounds)
    .where(and(isNull(rounds.answersPurgedAt), inArray(rounds.unitId, unitIds)));
  const horizon = now.getTime() + WARN_DAYS * 24 * 60 * 60 * 1000;
  return rows
    .map((r) => ({ roundId: r.id, title: r.title, until: retainUntil(r) }))
    .filter((r) => r.until.getTime() <= horizon)
    .sort((a, b) => a.until.getTime() - b.until.getTime())
    .map((r) => ({ roundId: r.roundId, title: r.title, retainUntil: r.until.toISOString() }));
}
