import { createAssignmentEndpoint, listAssignmentsEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { createAssignment } from '@/lib/org/mutations';
import { listAssignments } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(listAssignmentsEndpoint, async ({ db, caller, query }) => {
  const { page, limit, ...filter } = query;
  const rows = await listAssignments(db, caller, { ...filter, page: { page, limit } });
  return {
    assignments: rows.map((r) => ({
      id: r.a.id,
      staffId: r.a.staffId,
      staffNo: r.staffNo,
      staffName: r.staffName,
      classId: r.a.classId,
      className: r.className,
      schoolName: r.schoolName,
      subject: r.a.subject,
      schoolYear: r.a.schoolYear,
      isHeadTeacher: r.a.isHeadTeacher,
    })),
    page,
    limit,
    total: rows.total,
  };
});

export const POST = handle(createAssignmentEndpoint, async ({ db, caller, body }) => ({
  id: (await createAssignment(db, caller, actorOf(caller), body)).id,
}));
