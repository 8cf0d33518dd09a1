import { logoutAll } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { requireSession, sessionCookie } from '@/lib/auth/caller';
import { logoutEverywhere } from '@/lib/auth/sessions';

export const dynamic = 'force-dynamic';

export const POST = handle(logoutAll, async ({ db, caller, request }) => {
  const ended = await logoutEverywhere(db, requireSession(caller).session.user.id);
  return Response.json({ ended }, { headers: { 'set-cookie': sessionCookie(request, null, 0) } });
});
