import { getVersionEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { getVersion } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

export const GET = handle(getVersionEndpoint, async ({ db, caller, params }) => {
  const { version, questions } = await getVersion(db, caller, params.templateId, params.version);
  return { version: version.version, locked: version.lockedAt !== null, definition: version.definition, questions };
});
