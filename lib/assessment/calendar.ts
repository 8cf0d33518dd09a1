/**
 * Working days, pure: Monday to Friday in Asia/Shanghai, except the statutory holidays (休) and
 * the weekend days worked in exchange (班) of a calendar (lib/calendar loads a unit's). Counts the
 * 公示 window, the complaint steps' deadlines and the campaign report's handling times.
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China has no daylight saving time
const DAY_MS = 86_400_000;

/** The day in Asia/Shanghai of an instant (today by default), as YYYY-MM-DD. */
export function shanghaiDay(at = new Date()): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Days as YYYY-MM-DD: holidays are off even on a weekday, workdays are worked even on a weekend. */
export interface WorkingCalendar {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

export const NO_CALENDAR: WorkingCalendar = { holidays: new Set(), workdays: new Set() };

/** Whether a day (UTC midnight of the Shanghai date) is worked. */
function worked(day: number, calendar: WorkingCalendar): boolean {
  const key = new Date(day).toISOString().slice(0, 10);
  if (calendar.holidays.has(key)) return false;
  if (calendar.workdays.has(key)) return true;
  const weekday = new Date(day).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The end of the nth working day counted from `start`'s day (that day counts if it is a working
 * day), at 24:00 Asia/Shanghai.
 */
export function addWorkingDays(start: Date, days: number, calendar: WorkingCalendar = NO_CALENDAR): Date {
  const local = new Date(start.getTime() + SHANGHAI_OFFSET_MS);
  let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  let counted = 0;
  for (;;) {
    if (worked(day, calendar)) counted++;
    if (counted >= days) break;
    day += DAY_MS;
  }
  return new Date(day + DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Working days after `from`'s day up to and including `to`'s day (a complaint's handling time). */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar = NO_CALENDAR): number {
  const end = Date.parse(`${shanghaiDay(to)}T00:00:00Z`);
  let n = 0;
  for (let day = Date.parse(`${shanghaiDay(from)}T00:00:00Z`) + DAY_MS; day <= end; day += DAY_MS) if (worked(day, calendar)) n++;
  return n;
}
