import { createUserEndpoint, listUsersEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { pageUsers } from '@/lib/auth/admin';
import { actorOf } from '@/lib/auth/caller';
import { createUser } from '@/lib/auth/users';

export const dynamic = 'force-dynamic';

export const GET = handle(listUsersEndpoint, async ({ db, caller, query }) => {
  const { rows, total } = await pageUsers(db, caller, query);
  return { users: rows.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })), page: query.page, limit: query.limit, total };
});

export const POST = handle(createUserEndpoint, async ({ db, caller, body }) => createUser(db, actorOf(caller), body, caller));
