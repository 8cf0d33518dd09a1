/**
 * Ballot quality: a response that answers every scored item the same way (straight-lining), or a
 * ballot that gives every person on its list the same 等次, is flagged; the round's rules say
 * whether it is also void. Void ballots are counted and left out of every figure. Pure.
 */
import type { FactDraft } from '@/lib/surveys/annotations';
import type { ScoringConfig } from './config';
import { isStraightLined } from './stats';

export type BallotFlag = 'straight_line' | 'same_grade';

export interface BallotVerdict {
  flag: BallotFlag | null;
  void: boolean;
}

/** Fewest people on a ballot before "everyone the same 等次" says anything. */
export const SAME_GRADE_MIN_SUBJECTS = 3;

export function judgeBallot(
  subjects: readonly { facts: readonly FactDraft[] }[],
  gradeQuestions: ReadonlySet<string>,
  config: Pick<ScoringConfig, 'voidStraightLined' | 'voidSameGrade' | 'straightLineMinItems'>,
): BallotVerdict {
  const grades = subjects.map((s) => s.facts.find((f) => gradeQuestions.has(f.question))?.value);
  if (subjects.length >= SAME_GRADE_MIN_SUBJECTS && grades.every((g) => g !== undefined) && isStraightLined(grades as string[], SAME_GRADE_MIN_SUBJECTS)) {
    return { flag: 'same_grade', void: config.voidSameGrade };
  }
  const items = subjects.flatMap((s) => s.facts.filter((f) => f.score !== null && !gradeQuestions.has(f.question)).map((f) => f.value));
  if (isStraightLined(items, config.straightLineMinItems)) return { flag: 'straight_line', void: config.voidStraightLined };
  return { flag: null, void: false };
}
