/**
 * The working-day calendar of a district or the county (calendar_days): statutory holidays and
 * swapped working weekends. A unit follows the entries of its own unit and every unit above it,
 * the nearest one deciding a day both list, so a county's calendar serves all its districts and a
 * district may add a local day. Only the office edits its own unit's calendar, a year at a time.
 */
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { recordAudit, type Actor } from '@/lib/audit/log';
import { requireRole, rowsOf, type Scope } from '@/lib/auth/scope';
import type { WorkingCalendar } from '@/lib/assessment/calendar';
import type { Db } from '@/lib/db/client';
import { calendarDays } from '@/lib/db/schema';
import { ValidationError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';
import { formatCalendarLines, parseCalendarLines, type CalendarEntry } from './lines';
import { calendarYearParams, putCalendarInput } from './schemas';

interface Resolved extends CalendarEntry {
  unitId: string;
}

/** The entries that apply to a unit from `fromDay` on (its own and its ancestors', nearest first). */
async function resolvedEntries(db: Db, unitId: string, fromDay: string, toDay = '2100-12-31'): Promise<Resolved[]> {
  const rows = rowsOf<{ day: string | Date; working: boolean; name: string; unit_id: string }>(
    await db.execute(sql`
      with recursive up as (
        select id, parent_id, 0 as depth from units where id = ${unitId}
        union all
        select u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id
      )
      select distinct on (c.day) c.day, c.working, c.name, c.unit_id
      from calendar_days c join up on up.id = c.unit_id
      where c.day >= ${fromDay}::date and c.day <= ${toDay}::date
      order by c.day, up.depth`),
  );
  const day = (d: string | Date) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10));
  return rows.map((r) => ({ day: day(r.day), working: r.working, name: r.name, unitId: r.unit_id }));
}

/** The calendar deadlines of a unit are counted with, from the day before `from` (a year back is plenty). */
export async function calendarFor(db: Db, unitId: string, from = new Date()): Promise<WorkingCalendar> {
  const start = new Date(from.getTime() - 86_400_000).toISOString().slice(0, 10);
  const entries = await resolvedEntries(db, unitId, start);
  return {
    holidays: new Set(entries.filter((e) => !e.working).map((e) => e.day)),
    workdays: new Set(entries.filter((e) => e.working).map((e) => e.day)),
  };
}

async function yearOf(db: Db, scope: Scope, year: number) {
  const own = await db
    .select({ day: calendarDays.day, working: calendarDays.working, name: calendarDays.name })
    .from(calendarDays)
    .where(and(eq(calendarDays.unitId, scope.unitId), gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)))
    .orderBy(asc(calendarDays.day));
  const inherited = (await resolvedEntries(db, scope.unitId, `${year}-01-01`, `${year}-12-31`)).filter((e) => e.unitId !== scope.unitId);
  return {
    year,
    unitId: scope.unitId,
    days: own,
    lines: formatCalendarLines(own),
    /** entries of the units above that apply here too (the county's, for a district) */
    inherited: inherited.map(({ day, working, name }) => ({ day, working, name })),
  };
}

export async function getCalendarYear(db: Db, scope: Scope, rawYear: unknown) {
  requireRole(scope, ['office']);
  const { year } = parseInput(calendarYearParams, { year: rawYear });
  return yearOf(db, scope, year);
}

/** Replaces the office's calendar of a year; a bad line refuses the whole text and changes nothing. */
export async function setCalendarYear(db: Db, scope: Scope, actor: Actor, rawYear: unknown, raw: unknown) {
  requireRole(scope, ['office']);
  const { year } = parseInput(calendarYearParams, { year: rawYear });
  const input = parseInput(putCalendarInput, raw);
  let entries: CalendarEntry[];
  if (input.lines !== undefined) {
    const parsed = parseCalendarLines(input.lines, year);
    if (parsed.issues.length) throw new ValidationError({ lines: parsed.issues });
    entries = parsed.entries;
  } else {
    entries = input.days!;
    const fields: ConstructorParameters<typeof ValidationError>[0] = {};
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      if (Number(e.day.slice(0, 4)) !== year) fields[`days.${i}.day`] = [{ key: 'calendar_year', params: { line: i + 1, year } }];
      else if (seen.has(e.day)) fields[`days.${i}.day`] = [{ key: 'calendar_duplicate', params: { line: i + 1, day: e.day } }];
      seen.add(e.day);
    });
    if (Object.keys(fields).length) throw new ValidationError(fields);
  }
  await db.transaction(async (tx) => {
    await tx.delete(calendarDays).where(and(eq(calendarDays.unitId, scope.unitId), gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)));
    if (entries.length) await tx.insert(calendarDays).values(entries.map((e) => ({ unitId: scope.unitId, day: e.day, working: e.working, name: e.name })));
    await recordAudit(tx, actor, {
      action: 'calendar.update',
      entityType: 'unit',
      entityId: scope.unitId,
      unitId: scope.unitId,
      summary: { year, holidays: entries.filter((e) => !e.working).length, workdays: entries.filter((e) => e.working).length },
    });
  });
  return yearOf(db, scope, year);
}
