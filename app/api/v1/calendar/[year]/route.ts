import { getCalendarEndpoint, putCalendarEndpoint } from '@/lib/api/endpoints-calendar';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { getCalendarYear, setCalendarYear } from '@/lib/calendar/calendar';

export const dynamic = 'force-dynamic';

export const GET = handle(getCalendarEndpoint, async ({ db, caller, params }) => getCalendarYear(db, caller, params.year));
export const PUT = handle(putCalendarEndpoint, async ({ db, caller, params, body }) => setCalendarYear(db, caller, actorOf(caller), params.year, body));
