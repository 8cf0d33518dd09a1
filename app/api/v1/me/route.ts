import { me } from '@/lib/api/endpoints';
import { handle } from '@/lib/api/handler';
import { NotFoundError } from '@/lib/errors';
import { getUnit } from '@/lib/org/queries';

export const dynamic = 'force-dynamic';

export const GET = handle(me, async ({ db, scope }) => {
  const unit = await getUnit(db, scope.unitId);
  if (!unit) throw new NotFoundError('unit');
  return {
    role: scope.role,
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    apiKey: scope.apiKeyId ? { id: scope.apiKeyId, name: scope.apiKeyName } : null,
  };
});
