import { createSession, deleteSession } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { clientAddress, sessionCookie } from '@/lib/auth/caller';
import { login, logout, SESSION_TTL_MS } from '@/lib/auth/sessions';

export const dynamic = 'force-dynamic';

export const POST = handle(createSession, async ({ db, body, request }) => {
  const { token, user } = await login(db, body, clientAddress(request.headers));
  const payload = {
    user: {
      id: user.user.id,
      username: user.user.username,
      displayName: user.user.displayName,
      role: user.user.role,
      unit: { id: user.user.unitId, name: user.unitName },
      mustChangePassword: user.user.mustChangePassword,
    },
  };
  return Response.json(payload, { headers: { 'set-cookie': sessionCookie(request, token, SESSION_TTL_MS / 1000) } });
});

export const DELETE = handle(deleteSession, async ({ db, caller, request }) => {
  if (caller.kind === 'session') await logout(db, caller.sessionToken);
  return new Response(null, { status: 204, headers: { 'set-cookie': sessionCookie(request, null, 0) } });
});
