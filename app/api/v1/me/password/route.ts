import { changeOwnPassword } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { requireSession } from '@/lib/auth/caller';
import { changePassword } from '@/lib/auth/sessions';

export const dynamic = 'force-dynamic';

export const POST = handle(changeOwnPassword, async ({ db, caller, body }) => {
  const session = requireSession(caller);
  await changePassword(db, session.session.user.id, session.sessionToken, body);
});
