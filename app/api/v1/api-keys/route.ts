import { createApiKeyEndpoint, listApiKeysEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { listApiKeys } from '@/lib/auth/admin';
import { actorOf } from '@/lib/auth/caller';
import { createApiKey } from '@/lib/auth/users';

export const dynamic = 'force-dynamic';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const GET = handle(listApiKeysEndpoint, async ({ db, caller }) => ({
  apiKeys: (await listApiKeys(db, caller)).map((k) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    unitName: k.unitName,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
  })),
}));

export const POST = handle(createApiKeyEndpoint, async ({ db, caller, body }) => createApiKey(db, actorOf(caller), body, caller));
