/**
 * How long the raw answers of a round are kept (PIPL art. 28/31: the minimum needed). The results
 * and the annual assessment need them until the following years' assessments and objections are
 * settled, so the default is the end of the school year after next: a round of 2025-2026 keeps its
 * answers until 31 August 2028 (China time). The office is warned this many days before.
 */
export const WARN_DAYS = 30;

export function defaultRetainUntil(schoolYear: string): Date {
  const start = Number(/^(\d{4})-\d{4}$/.exec(schoolYear)?.[1]);
  if (!Number.isFinite(start)) throw new Error(`Not a school year: ${schoolYear}`);
  return new Date(`${start + 3}-08-31T23:59:59+08:00`);
}

/** The round's own retention date, or the default for its school year. */
export function retainUntil(round: { retainUntil: Date | null; schoolYear: string }): Date {
  return round.retainUntil ?? defaultRetainUntil(round.schoolYear);
}
