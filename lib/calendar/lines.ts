/**
 * The working-day calendar as an office types it, pure: one line per day or range of days, as the
 * State Council's notice lists them —
 *
 *   2026-10-01..2026-10-07 国庆节 休
 *   2026-10-10 国庆节 班
 *
 * 休 (or "off") marks holidays, 班 (or "work") the weekend days worked in exchange; the name may be
 * left out. Parsing refuses the whole text with the line numbers of every bad line.
 */
import type { FieldIssue } from '@/lib/errors';

export interface CalendarEntry {
  day: string;
  working: boolean;
  name: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_RANGE_DAYS = 31;
const OFF = new Set(['休', 'off', 'holiday']);
const ON = new Set(['班', 'work', 'workday']);

function validDay(s: string): number | null {
  if (!DAY.test(s)) return null;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== s ? null : t;
}

export function parseCalendarLines(text: string, year: number): { entries: CalendarEntry[]; issues: FieldIssue[] } {
  const entries: CalendarEntry[] = [];
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const parts = raw.trim().split(/\s+/).filter(Boolean);
    if (!parts.length || parts[0]!.startsWith('#')) return;
    const kind = parts.length >= 2 ? parts[parts.length - 1]!.toLowerCase() : '';
    const [from, to = from] = parts[0]!.split('..');
    const start = validDay(from!);
    const end = validDay(to!);
    if ((!OFF.has(kind) && !ON.has(kind)) || start === null || end === null || end < start || (end - start) / 86_400_000 >= MAX_RANGE_DAYS) {
      issues.push({ key: 'calendar_line', params: { line } });
      return;
    }
    const name = parts.slice(1, -1).join(' ').slice(0, 50);
    for (let t = start; t <= end; t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      if (Number(day.slice(0, 4)) !== year) {
        issues.push({ key: 'calendar_year', params: { line, year } });
        return;
      }
      if (seen.has(day)) {
        issues.push({ key: 'calendar_duplicate', params: { line, day } });
        return;
      }
      seen.set(day, line);
      entries.push({ day, working: ON.has(kind), name });
    }
  });
  return { entries: entries.sort((a, b) => a.day.localeCompare(b.day)), issues };
}

/** The entries back as lines, consecutive days of the same name and kind folded into a range. */
export function formatCalendarLines(entries: readonly CalendarEntry[]): string {
  const sorted = [...entries].sort((a, b) => a.day.localeCompare(b.day));
  const out: string[] = [];
  let run: CalendarEntry[] = [];
  const flush = () => {
    if (!run.length) return;
    const first = run[0]!;
    const last = run[run.length - 1]!;
    const days = first.day === last.day ? first.day : `${first.day}..${last.day}`;
    out.push([days, first.name, first.working ? '班' : '休'].filter(Boolean).join(' '));
    run = [];
  };
  for (const e of sorted) {
    const prev = run[run.length - 1];
    const next = prev && Date.parse(`${e.day}T00:00:00Z`) - Date.parse(`${prev.day}T00:00:00Z`) === 86_400_000;
    if (!prev || !next || prev.name !== e.name || prev.working !== e.working) flush();
    run.push(e);
  }
  flush();
  return out.join('\n');
}
