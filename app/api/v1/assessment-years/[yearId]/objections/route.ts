import { listObjectionsEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { listObjections } from '@/lib/assessment/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listObjectionsEndpoint, async ({ db, caller, params }) => ({
  objections: (await listObjections(db, caller, params.yearId)).map(({ o, staffName }) => ({
    id: o.id,
    name: o.name,
    contact: o.contact,
    about: staffName,
    body: o.body,
    status: o.status,
    answer: o.answer,
    createdAt: o.createdAt.toISOString(),
    answeredAt: o.answeredAt ? o.answeredAt.toISOString() : null,
  })),
}));
