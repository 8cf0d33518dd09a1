/**
 * 回头看: for a ledger item found in a round (its source round and question), the same question's
 * figure for the same school — or, for an item about a teacher, that teacher — in the source round
 * and in every later round of the district that asked a question of that name, e.g.
 * "来源测评 72.0% (n=40) → 回头看 85.0% (n=38)". The figures are the results module's own per-subject
 * item figures (getRoundResults at level `subject`), read with the caller's scope, so a round not
 * yet released to the caller is left out and a cell below the round's anonymity threshold comes
 * back suppressed (no numbers) to anyone below the office, exactly as on the results pages.
 */
import { and, asc, eq, gt, ne } from 'drizzle-orm';
import type { Scope } from '@/lib/auth/scope';
import type { Db } from '@/lib/db/client';
import { roundForms, rounds, templateVersions } from '@/lib/db/schema';
import { DomainError } from '@/lib/errors';
import { getRoundResults } from '@/lib/scoring/queries';
import type { RoundResults } from '@/lib/scoring/schemas';

/** How a ledger item names a round's item: the question, and the matrix row after a dot. */
export const questionKey = (i: { question: string; row: string }) => (i.row ? `${i.question}.${i.row}` : i.question);

/** later rounds looked at, oldest first */
const MAX_LATER = 6;

export interface FollowUpFigure {
  raterGroupId: string;
  raterGroup: string;
  title: string;
  suppressed: boolean;
  /** valid answers behind the figure (不了解 excluded) */
  n: number | null;
  satisfaction: number | null;
  mean: number | null;
}
export interface FollowUpRound {
  roundId: string;
  title: string;
  schoolYear: string;
  term: number;
  opensAt: string;
  /** the round the problem was found in */
  source: boolean;
  /** the subject's whole figure is below the round's anonymity threshold for the caller: no numbers */
  suppressed: boolean;
  figures: FollowUpFigure[];
}

/** Whether any form of a round asks the question (its name, before a matrix row's dot). */
async function asksQuestion(db: Db, roundId: string, key: string): Promise<boolean> {
  const name = key.split('.')[0]!;
  const defs = await db.select({ definition: templateVersions.definition }).from(roundForms).innerJoin(templateVersions, eq(templateVersions.id, roundForms.templateVersionId)).where(eq(roundForms.roundId, roundId));
  const has = (node: unknown): boolean =>
    Array.isArray(node) ? node.some(has) : node !== null && typeof node === 'object' ? (node as Record<string, unknown>).name === name || Object.values(node).some(has) : false;
  return defs.some((d) => has(d.definition));
}

async function itemsOf(db: Db, scope: Scope, roundId: string, subjectId: string): Promise<RoundResults | null> {
  try {
    return await getRoundResults(db, scope, roundId, { level: 'subject', subjectId });
  } catch (err) {
    // not released to the caller, out of their scope, or the subject was not rated in that round
    if (err instanceof DomainError) return null;
    throw err;
  }
}

function figuresOf(results: RoundResults, key: string): FollowUpFigure[] {
  const group = new Map(results.round.raterGroups.map((g) => [g.id, g.name]));
  return results.items
    .filter((i) => questionKey(i) === key)
    .map((i) => ({
      raterGroupId: i.raterGroupId,
      raterGroup: group.get(i.raterGroupId) ?? '',
      title: i.title,
      suppressed: i.suppressed || !i.stats,
      n: i.stats?.valid ?? null,
      satisfaction: i.stats?.satisfaction ?? null,
      mean: i.stats?.mean ?? null,
    }));
}

/**
 * The source round's and later rounds' figures of the item's question, or null for an item not
 * found in a round. The subject is the item's responsible person when they were rated on the
 * question in the source round (an item raised from a teacher's results, which prefills them),
 * else the school.
 */
export async function followUpFigures(db: Db, scope: Scope, item: { unitId: string; sourceRoundId: string | null; sourceQuestion: string | null; responsibleStaffId: string | null }) {
  if (!item.sourceRoundId || !item.sourceQuestion) return null;
  const [source] = await db.select().from(rounds).where(eq(rounds.id, item.sourceRoundId));
  if (!source) return null;
  // the responsible teacher first: a teacher's item and the school's own figure often share a
  // question name (the built-in parent and student forms both ask items.homework)
  let subjectId = item.unitId;
  let first: RoundResults | null = null;
  if (item.responsibleStaffId) {
    const theirs = await itemsOf(db, scope, source.id, item.responsibleStaffId);
    if (theirs && figuresOf(theirs, item.sourceQuestion).length) {
      subjectId = item.responsibleStaffId;
      first = theirs;
    }
  }
  first ??= await itemsOf(db, scope, source.id, subjectId);
  const out: FollowUpRound[] = [];
  const entry = (r: typeof source, results: RoundResults | null, isSource: boolean): FollowUpRound => ({
    roundId: r.id,
    title: r.title,
    schoolYear: r.schoolYear,
    term: r.term,
    opensAt: r.opensAt.toISOString(),
    source: isSource,
    suppressed: Boolean(results?.subject?.suppressed),
    figures: results ? figuresOf(results, item.sourceQuestion!) : [],
  });
  out.push(entry(source, first, true));
  const later = await db
    .select()
    .from(rounds)
    .where(and(eq(rounds.unitId, source.unitId), gt(rounds.opensAt, source.opensAt), ne(rounds.status, 'draft'), eq(rounds.testMode, false)))
    .orderBy(asc(rounds.opensAt))
    .limit(MAX_LATER * 3);
  for (const r of later) {
    if (out.length > MAX_LATER) break;
    const results = await itemsOf(db, scope, r.id, subjectId);
    if (!results) continue;
    const e = entry(r, results, false);
    // a later round counts where it asked the same question of the same subject; one whose
    // figure is suppressed for the caller lists no items, so its forms are asked instead
    if (e.figures.length || (e.suppressed && (await asksQuestion(db, r.id, item.sourceQuestion)))) out.push(e);
  }
  return { question: item.sourceQuestion, subjectId, subjectType: subjectId === item.unitId ? ('unit' as const) : ('staff' as const), rounds: out };
}
