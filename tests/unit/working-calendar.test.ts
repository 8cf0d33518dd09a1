/**
 * Working days with statutory holidays and swapped working days (lib/assessment/calendar.ts) and
 * the calendar lines the office types (lib/calendar/lines.ts).
 *
 * 2026: 1 Oct is a Thursday. The 国庆 calendar used below: 1–7 Oct 休 (Thu … Wed), 10 Oct (a
 * Saturday) 班. Counting from Wed 30 Sep (that day counts), deadlines at 24:00 Asia/Shanghai
 * (= 16:00 UTC of the same date):
 *
 * | days | weekends only                  | with the 国庆 calendar                          |
 * | 1    | 30 Sep                         | 30 Sep                                          |
 * | 3    | 30 Sep, 1, 2 Oct → 2 Oct       | 30 Sep, (1–7 off) 8, 9 Oct → 9 Oct              |
 * | 4    | … 5 Oct (Mon)                  | … 9 Oct, 10 Oct (Sat, 班) → 10 Oct              |
 * | 5    | … 6 Oct                        | … 10 Oct, (11 Sun off) 12 Oct → 12 Oct          |
 */
import { describe, expect, it } from 'vitest';
import { addWorkingDays, workingDaysBetween, type WorkingCalendar } from '@/lib/assessment/calendar';
import { formatCalendarLines, parseCalendarLines } from '@/lib/calendar/lines';
import { stepDue } from '@/lib/complaints/deadlines';

const TEXT = '2026-10-01..2026-10-07 国庆节 休\n2026-10-10 国庆节 班';
const parsed = parseCalendarLines(TEXT, 2026);
const guoqing: WorkingCalendar = {
  holidays: new Set(parsed.entries.filter((e) => !e.working).map((e) => e.day)),
  workdays: new Set(parsed.entries.filter((e) => e.working).map((e) => e.day)),
};
// 10:00 on Wed 30 Sep 2026, Asia/Shanghai
const accepted = new Date('2026-09-30T02:00:00Z');
const endOf = (day: string) => new Date(`${day}T16:00:00Z`).toISOString();

describe('addWorkingDays with a holiday calendar', () => {
  it.each([
    [1, '2026-09-30', '2026-09-30'],
    [3, '2026-10-02', '2026-10-09'],
    [4, '2026-10-05', '2026-10-10'],
    [5, '2026-10-06', '2026-10-12'],
  ])('%i working days from 30 Sep: %s without, %s with the 国庆 calendar', (days, plain, withHolidays) => {
    expect(addWorkingDays(accepted, days).toISOString()).toBe(endOf(plain));
    expect(addWorkingDays(accepted, days, guoqing).toISOString()).toBe(endOf(withHolidays));
  });

  it('a complaint accepted on 30 Sep with 3 working days for its step is due at the end of 9 Oct', () => {
    expect(stepDue('received', accepted, { received: 3, accepted: 2, assigned: 10, replied: 5, rated: 2 }, guoqing)?.toISOString()).toBe('2026-10-09T16:00:00.000Z');
  });

  it('a step started on a holiday starts counting on the next working day', () => {
    // 3 Oct (Sat, in the holiday): 8, 9 Oct → 2 working days end on 9 Oct
    expect(addWorkingDays(new Date('2026-10-03T01:00:00Z'), 2, guoqing).toISOString()).toBe(endOf('2026-10-09'));
  });
});

describe('workingDaysBetween (the campaign report\'s handling time): days after the filing day up to the closing day', () => {
  // filed Wed 30 Sep 10:00 Shanghai; closed on the day named, 15:00 Shanghai (07:00 UTC)
  // | closed        | weekends only                      | with the 国庆 calendar             |
  // | 30 Sep (Wed)  | 0 (the filing day does not count)  | 0                                  |
  // | 2 Oct (Fri)   | 1, 2 Oct → 2                       | (off) → 0                          |
  // | 9 Oct (Fri)   | 1, 2, 5–9 → 7                      | 8, 9 → 2                           |
  // | 12 Oct (Mon)  | 7 + 12 → 8                         | 8, 9, 10 (Sat, 班), 12 → 4         |
  it.each([
    ['2026-09-30', 0, 0],
    ['2026-10-02', 2, 0],
    ['2026-10-09', 7, 2],
    ['2026-10-12', 8, 4],
  ])('closed on %s: %i without, %i with the 国庆 calendar', (day, plain, withHolidays) => {
    const closed = new Date(`${day}T07:00:00Z`);
    expect(workingDaysBetween(accepted, closed)).toBe(plain);
    expect(workingDaysBetween(accepted, closed, guoqing)).toBe(withHolidays);
  });

  it('reads the days in Asia/Shanghai: 23:30 on 9 Oct there is still 9 Oct', () => {
    expect(workingDaysBetween(accepted, new Date('2026-10-09T15:30:00Z'), guoqing)).toBe(2);
    expect(workingDaysBetween(accepted, new Date('2026-10-09T16:30:00Z'), guoqing)).toBe(3); // 00:30 on Sat 10 Oct (班)
  });
});

describe('calendar lines', () => {
  it('reads a range and a single day with names, and folds them back', () => {
    expect(parsed.issues).toEqual([]);
    expect(parsed.entries).toHaveLength(8);
    expect(parsed.entries[0]).toEqual({ day: '2026-10-01', working: false, name: '国庆节' });
    expect(parsed.entries[7]).toEqual({ day: '2026-10-10', working: true, name: '国庆节' });
    expect(formatCalendarLines(parsed.entries)).toBe(TEXT);
  });

  it('refuses bad lines with their numbers: no kind, an impossible date, another year, a repeated day, a range too long', () => {
    const { issues } = parseCalendarLines(
      ['2026-05-01 劳动节', '2026-02-30 休', '2027-01-01 元旦 休', '2026-10-03 休', '2026-10-01..2026-10-05 国庆节 休', '2026-01-01..2026-03-01 寒假 休', '# a comment', ''].join('\n'),
      2026,
    );
    expect(issues).toEqual([
      { key: 'calendar_line', params: { line: 1 } },
      { key: 'calendar_line', params: { line: 2 } },
      { key: 'calendar_year', params: { line: 3, year: 2026 } },
      { key: 'calendar_duplicate', params: { line: 5, day: '2026-10-03' } },
      { key: 'calendar_line', params: { line: 6 } },
    ]);
  });
});
