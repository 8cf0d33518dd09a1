import { createStaffEndpoint, listStaffEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createStaff } from '@/lib/org/mutations';
import { listStaff } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listStaffEndpoint, async ({ db, caller, query }) => ({
  staff: (await listStaff(db, caller, { ...query, active: query.active === undefined ? undefined : query.active === 'true' })).map(({ s, unitName }) => ({
    id: s.id,
    staffNo: s.staffNo,
    name: s.name,
    unitId: s.unitId,
    unitName,
    position: s.position,
    subjects: s.subjects,
    active: s.active,
  })),
}));

export const POST = handle(createStaffEndpoint, async ({ db, caller, body }) => ({ id: (await createStaff(db, caller, actorOf(caller), body)).id }));
