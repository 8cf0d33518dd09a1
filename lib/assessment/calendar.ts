/**
 * Working days for the 公示 window, pure. Monday to Friday in Asia/Shanghai; statutory holidays
 * and their swapped working weekends are not modelled (the office may set the end date instead).
 */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // China has no daylight saving time

/** The end of the nth working day counted from `start`'s day (that day counts if it is a working day), at 24:00 Asia/Shanghai. */
export function addWorkingDays(start: Date, days: number): Date {
  const local = new Date(start.getTime() + SHANGHAI_OFFSET_MS);
  let day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  let counted = 0;
  for (;;) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) counted++;
    if (counted >= days) break;
    day += 86_400_000;
  }
  return new Date(day + 86_400_000 - SHANGHAI_OFFSET_MS);
}
