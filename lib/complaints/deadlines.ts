/**
 * Working-day deadlines of the complaint steps, pure. Days are counted as the assessment's 公示
 * window counts them (lib/assessment/calendar.ts): Monday to Friday, Asia/Shanghai, with the
 * holidays and swapped working days of the complaint's district or county (lib/calendar).
 */
import { addWorkingDays, NO_CALENDAR, type WorkingCalendar } from '@/lib/assessment/calendar';
import type { ComplaintStep } from './schemas';

/** 受理 3, 转办 2, 办理 10, 回访 5, 办结 2 working days: the usual hotline (12345) periods. */
export const DEFAULT_STEP_DAYS: Record<ComplaintStep, number> = { received: 3, accepted: 2, assigned: 10, replied: 5, rated: 2 };

/** Statuses after which nothing more is due. */
export const FINAL_STATUSES = ['declined', 'closed'] as const;

export function isFinal(status: string): boolean {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** When the step entered at `from` with `status` must be done (null for a final status). */
export function stepDue(status: string, from: Date, days: Record<ComplaintStep, number>, calendar: WorkingCalendar = NO_CALENDAR): Date | null {
  if (isFinal(status)) return null;
  return addWorkingDays(from, days[status as ComplaintStep], calendar);
}

export function isOverdue(c: { status: string; stepDueAt: Date | null }, now = new Date()): boolean {
  return !isFinal(c.status) && c.stepDueAt !== null && c.stepDueAt.getTime() < now.getTime();
}
