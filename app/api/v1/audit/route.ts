import { listAuditEndpoint } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { listAudit } from '@/lib/auth/admin';

export const dynamic = 'force-dynamic';

export const GET = handle(listAuditEndpoint, async ({ db, caller, query }) => {
  const entries = await listAudit(db, caller, {
    ...query,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  });
  return {
    entries: entries.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      actor: e.actorUser ?? (e.actorApiKey ? `key:${e.actorApiKey}` : (e.actorLabel ?? '')),
      summary: e.summary,
    })),
    page: query.page,
    limit: query.limit,
    total: entries.total,
  };
});
