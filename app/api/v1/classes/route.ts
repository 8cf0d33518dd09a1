import { createClassEndpoint, listClassesEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createClass } from '@/lib/org/mutations';
import { pageClasses } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listClassesEndpoint, async ({ db, caller, query }) => {
  const { rows, total } = await pageClasses(db, caller, query);
  return {
  classes: rows.map(({ c, schoolName }) => ({
    id: c.id,
    schoolId: c.schoolId,
    schoolName,
    grade: c.grade,
    name: c.name,
    expectedStudents: c.expectedStudents,
    expectedParents: c.expectedParents,
    active: c.active,
  })),
  page: query.page,
  limit: query.limit,
  total,
  };
});

export const POST = handle(createClassEndpoint, async ({ db, caller, body }) => ({ id: (await createClass(db, caller, actorOf(caller), body)).id }));
