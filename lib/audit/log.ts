import type { Db } from '@/lib/db/client';
import { auditLog } from '@/lib/db/schema';

/** Who did something: a logged-in user, an API key, or the operator CLI. */
export type Actor =
  | { type: 'user'; userId: string }
  | { type: 'api_key'; apiKeyId: string }
  | { type: 'cli'; label: string }
  | { type: 'system'; label: string };

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  unitId?: string | null;
  summary?: Record<string, unknown>;
}

/** Appends one audit entry. Call it inside the transaction of the change it records. */
export async function recordAudit(db: Db, actor: Actor, input: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor.type === 'user' ? actor.userId : null,
    actorApiKeyId: actor.type === 'api_key' ? actor.apiKeyId : null,
    actorLabel: actor.type === 'cli' || actor.type === 'system' ? `${actor.type}:${actor.label}` : null,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    unitId: input.unitId ?? null,
    summary: input.summary ?? {},
  });
}
