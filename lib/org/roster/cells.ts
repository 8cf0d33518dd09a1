/** Cell parsers for roster imports: each returns the value or an error key. Pure. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; params?: Record<string, string | number> };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string, params?: Record<string, string | number>): Parsed<never> => ({ ok: false, error, params });

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 1–12, from "6", "六年级", "初一" (7), "高二" (11). */
export function parseGrade(raw: string): Parsed<number> {
  const s = raw.trim().replace(/年级$/, '');
  let n: number | undefined;
  if (/^\d{1,2}$/.test(s)) n = Number(s);
  else if (s.length === 1 && CN_DIGITS[s]) n = CN_DIGITS[s];
  else if (/^初[一二三]$/.test(s)) n = 6 + CN_DIGITS[s[1]!]!;
  else if (/^高[一二三]$/.test(s)) n = 9 + CN_DIGITS[s[1]!]!;
  if (n === undefined) return fail('grade_format');
  return n >= 1 && n <= 12 ? ok(n) : fail('grade_range');
}

export function parseCount(raw: string, fallback = 0): Parsed<number> {
  const s = raw.trim();
  if (s === '') return ok(fallback);
  if (!/^\d+$/.test(s)) return fail('not_integer');
  const n = Number(s);
  return n <= 300 ? ok(n) : fail('count_range', { max: 300 });
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '在职', '启用']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '离职', '停用']);

export function parseYesNo(raw: string, fallback: boolean): Parsed<boolean> {
  const s = raw.trim().toLowerCase();
  if (s === '') return ok(fallback);
  if (YES.has(s)) return ok(true);
  if (NO.has(s)) return ok(false);
  return fail('yes_no');
}

export function parseSchoolYear(raw: string): Parsed<string> {
  const m = /^(\d{4})\s*[-–—/]\s*(\d{4})$/.exec(raw.trim());
  if (!m || Number(m[2]) !== Number(m[1]) + 1) return fail('school_year');
  return ok(`${m[1]}-${m[2]}`);
}

export function parseStaffNo(raw: string): Parsed<string> {
  const s = raw.trim();
  return /^[A-Za-z0-9_-]{1,32}$/.test(s) ? ok(s) : fail('staff_no');
}

export function parseText(raw: string, max: number): Parsed<string> {
  const s = raw.trim().replace(/\s+/g, ' ');
  return s.length <= max ? ok(s) : fail('too_long', { max });
}

export function parseSubjects(raw: string): Parsed<string[]> {
  const list = raw
    .split(/[,，、;；/\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return list.every((s) => s.length <= 20) ? ok([...new Set(list)]) : fail('too_long', { max: 20 });
}
