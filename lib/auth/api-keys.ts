import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '@/lib/db/client';
import { apiKeys } from '@/lib/db/schema';
import { DomainError } from '@/lib/errors';
import type { Scope } from './scope';
import { sha256 } from './secrets';

/** Resolves `Authorization: Bearer <key>` to the key's scope, or throws `unauthenticated`. */
export async function scopeFromBearer(db: Db, authorization: string | null): Promise<Scope & { apiKeyName: string }> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new DomainError('unauthenticated');
  const keyHash = sha256(match[1]!);
  const [key] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  if (!key) throw new DomainError('unauthenticated');
  // "last used" to the minute is enough for the key list, and spares a write per request
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(Date.now() - 60_000)))));
  return { role: key.role, unitId: key.unitId, apiKeyId: key.id, apiKeyName: key.name };
}
