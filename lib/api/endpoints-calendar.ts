import { z } from 'zod';
import { calendarEntrySchema, calendarYearParams, putCalendarInput } from '@/lib/calendar/schemas';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const OFFICE = ['office'] as const;

const calendarSchema = z
  .object({
    year: z.number().int(),
    unitId: uuid,
    days: z.array(calendarEntrySchema).describe('the caller’s unit’s own entries'),
    lines: z.string().describe('the same entries as editable lines, ranges folded'),
    inherited: z.array(calendarEntrySchema).describe('entries of the units above that apply too'),
  })
  .meta({ id: 'CalendarYear' });

export const getCalendarEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/calendar/{year}', summary: 'The working-day calendar (holidays 休, swapped working days 班) of the caller’s district or county for a year', tag: 'calendar',
  auth: 'caller', roles: OFFICE, params: calendarYearParams, response: calendarSchema,
});
export const putCalendarEndpoint = defineEndpoint({
  method: 'put', path: '/api/v1/calendar/{year}', summary: 'Replace the year’s calendar of the caller’s unit, as days or as lines ("2026-10-01..2026-10-07 国庆节 休")', tag: 'calendar',
  auth: 'caller', roles: OFFICE, params: calendarYearParams, body: putCalendarInput, maxBodyBytes: 64 * 1024, response: calendarSchema,
});

export const CALENDAR_ENDPOINTS = [getCalendarEndpoint, putCalendarEndpoint];
