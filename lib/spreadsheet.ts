/**
 * Formula injection: a spreadsheet treats a cell that starts with =, +, -, @ (or a tab or carriage
 * return before one of them) as a formula, so a comment such as =HYPERLINK("http://x","y") could run
 * when an exported file is opened. Every text cell we write to xlsx or CSV goes through here: such a
 * cell is prefixed with a single quote and stays text. Numbers are written as numbers and are safe.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function safeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** safeCell for a mixed row: strings escaped, numbers and empty cells kept as they are. */
export function safeRow(row: readonly (string | number | null | undefined)[]): (string | number | null)[] {
  return row.map((v) => (typeof v === 'string' ? safeCell(v) : (v ?? null)));
}

/** The inverse, for reading back a file we wrote: drops the quote added before a formula-like start. */
export function unescapeCell(value: string): string {
  return value.replace(/^'(?=[=+\-@\t\r])/, '');
}
