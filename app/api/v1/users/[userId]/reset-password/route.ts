import { resetUserPasswordEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { resetUserPassword } from '@/lib/auth/admin';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(resetUserPasswordEndpoint, async ({ db, caller, params }) =>
  resetUserPassword(db, caller, actorOf(caller), params.userId),
);
