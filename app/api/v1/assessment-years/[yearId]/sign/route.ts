import { signEndpoint } from '@/lib/api/endpoints-assessment';
import { handle } from '@/lib/api/handler';
import { signGrades } from '@/lib/assessment/mutations';
import { actorOf } from '@/lib/auth/caller';

export const dynamic = 'force-dynamic';

export const POST = handle(signEndpoint, async ({ db, caller, params, body }) => {
  const label = caller.kind === 'session' ? caller.session.user.displayName : `API: ${caller.apiKeyName}`;
  const { signed } = await signGrades(db, caller, actorOf(caller), params.yearId, body, label);
  return { signed };
});
