import { listEntriesEndpoint, recordEntriesEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { recordEntries } from '@/lib/assessment/entries';
import { listEntries } from '@/lib/assessment/queries';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const GET = handle(listEntriesEndpoint, async ({ db, caller, params }) => ({
  entries: (await listEntries(db, caller, params.yearId)).map((r) => ({
    id: r.e.id,
    staffNo: r.staffNo,
    name: r.name,
    component: r.component,
    period: r.e.period,
    score: r.e.score,
    sanction: r.e.sanction,
    note: r.e.note,
  })),
}));

export const POST = handle(recordEntriesEndpoint, async ({ db, caller, params, body }) => recordEntries(db, caller, actorOf(caller), params.yearId, body));
