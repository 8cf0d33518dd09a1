/**
 * A round's scoring rules, stored as `rounds.scoring` and read through this schema so missing keys
 * take the published defaults. Pure.
 */
import { z } from 'zod';

const trimRule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('extremes'), above: z.number().int().min(2).max(100) }),
  z.object({ kind: z.literal('percent'), percent: z.number().min(0).max(25) }),
  z.object({ kind: z.literal('none') }),
]);

export const scoringConfig = z
  .object({
    /** trimmed mean: drop one highest and one lowest above 5 ratings (the published rule) */
    trim: trimRule.default({ kind: 'extremes', above: 5 }),
    /** an item's score: the trimmed mean (the published rule) or the plain mean */
    itemScore: z.enum(['trimmed', 'mean']).default('trimmed'),
    /**
     * a group's score weighs its dimensions (e.g. 德能勤绩廉 15/10/30/30/15); without weights
     * every item weighs the same
     */
    dimensionWeights: z.record(z.string().min(1).max(40), z.number().min(0).max(100)).optional(),
    /** 满意率 numerator: the answer values counted as satisfied (over valid answers) */
    satisfied: z.array(z.string().min(1).max(40)).min(1).max(10).default(['satisfied', 'fair']),
    /** a response answering every scored item the same way is void (else only flagged) */
    voidStraightLined: z.boolean().default(false),
    /** a ballot giving every person on the list the same 等次 is void (DESIGN: void, configurable) */
    voidSameGrade: z.boolean().default(true),
    /** fewest items before a response counts as straight-lined */
    straightLineMinItems: z.number().int().min(2).max(100).default(5),
    /** rank teachers within a school by empirical-Bayes shrinkage toward the school mean */
    shrinkage: z.boolean().default(true),
  })
  .strict();

export type ScoringConfig = z.output<typeof scoringConfig>;

export function readScoringConfig(stored: unknown): ScoringConfig {
  const parsed = scoringConfig.safeParse(stored ?? {});
  return parsed.success ? parsed.data : scoringConfig.parse({});
}
