import type { AssessmentYear } from '@/lib/db/schema';

export type EffectiveYearStatus = 'draft' | 'announced' | 'awaiting_answers' | 'locked';

/**
 * A year's status at a moment: the 公示 window runs until announcementEndsAt; after it the grades
 * lock, unless an objection is still open (then they lock when the last one is answered).
 */
export function effectiveYearStatus(year: Pick<AssessmentYear, 'status' | 'announcementEndsAt'>, openObjections: number, now = new Date()): EffectiveYearStatus {
  if (year.status === 'locked') return 'locked';
  if (year.status === 'draft') return 'draft';
  if (!year.announcementEndsAt || now < year.announcementEndsAt) return 'announced';
  return openObjections > 0 ? 'awaiting_answers' : 'locked';
}
