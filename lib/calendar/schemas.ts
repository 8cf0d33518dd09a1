import { z } from 'zod';

export const calendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

const entry = z
  .object({
    day: z.iso.date(),
    working: z.boolean().describe('true: a weekend day worked in exchange (班); false: a holiday (休)'),
    name: z.string().trim().max(50).default(''),
  })
  .strict();

/**
 * A year's calendar of the caller's district or county, replacing what it had for that year:
 * either `days`, or `lines` as the office types them ("2026-10-01..2026-10-07 国庆节 休",
 * "2026-10-10 国庆节 班"). An empty list clears the year.
 */
export const putCalendarInput = z
  .object({
    days: z.array(entry).max(400).optional(),
    lines: z.string().max(20_000).optional(),
  })
  .strict()
  .refine((v) => (v.days === undefined) !== (v.lines === undefined), { path: ['lines'], message: 'required' });

export const calendarEntrySchema = entry.required({ name: true });
