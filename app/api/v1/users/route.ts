import { createUserEndpoint, listUsersEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { listUsers } from '@/lib/auth/admin';
import { actorOf } from '@/lib/auth/caller';
import { createUser } from '@/lib/auth/users';

export const dynamic = 'force-dynamic';

export const GET = handle(listUsersEndpoint, async ({ db, caller }) => ({
  users: (await listUsers(db, caller)).map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
}));

export const POST = handle(createUserEndpoint, async ({ db, caller, body }) => createUser(db, actorOf(caller), body, caller));
