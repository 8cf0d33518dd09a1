import { deleteAssignmentEndpoint, updateAssignmentEndpoint } from '@/lib/api/endpoints-org';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { deleteAssignment, updateAssignment } from '@/lib/org/mutations';

export const dynamic = 'force-dynamic';

export const PATCH = handle(updateAssignmentEndpoint, async ({ db, caller, params, body }) => ({
  id: (await updateAssignment(db, caller, actorOf(caller), params.assignmentId, body)).id,
}));

export const DELETE = handle(deleteAssignmentEndpoint, async ({ db, caller, params }) => {
  await deleteAssignment(db, caller, actorOf(caller), params.assignmentId);
});
