import { createStaffEndpoint, listStaffEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createStaff } from '@/lib/org/mutations';
import { pageStaff } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listStaffEndpoint, async ({ db, caller, query }) => {
  const { rows, total } = await pageStaff(db, caller, { ...query, active: query.active === undefined ? undefined : query.active === 'true' });
  return {
  staff: rows.map(({ s, unitName }) => ({
    id: s.id,
    staffNo: s.staffNo,
    name: s.name,
    unitId: s.unitId,
    unitName,
    position: s.position,
    subjects: s.subjects,
    active: s.active,
  })),
  page: query.page,
  limit: query.limit,
  total,
  };
});

export const POST = handle(createStaffEndpoint, async ({ db, caller, body }) => ({ id: (await createStaff(db, caller, actorOf(caller), body)).id }));
