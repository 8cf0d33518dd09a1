import { me } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { NotFoundError } from '@/lib/errors';
import { getUnit } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(me, async ({ db, caller }) => {
  const unit = await getUnit(db, caller.unitId);
  if (!unit) throw new NotFoundError('unit');
  return {
    role: caller.role,
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    apiKey: caller.kind === "api_key" ? { id: caller.apiKeyId, name: caller.apiKeyName } : null,
  };
});
