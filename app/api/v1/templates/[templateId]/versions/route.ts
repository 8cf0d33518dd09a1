import { saveVersionEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { translateDefinitionIssues } from '@/lib/i18n/translate';
import { saveVersion } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

export const POST = handle(saveVersionEndpoint, async ({ db, caller, params, body, locale }) => {
  const saved = await saveVersion(db, caller, actorOf(caller), params.templateId, body);
  return { version: saved.version, warnings: translateDefinitionIssues(locale, saved.warnings) };
});
