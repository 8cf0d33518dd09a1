import { createTemplateEndpoint, listTemplatesEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { translateDefinitionIssues } from '@/lib/i18n/translate';
import { presentTemplate } from '@/lib/surveys/present';
import { createTemplate, listTemplates } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

export const GET = handle(listTemplatesEndpoint, async ({ db, caller }) => ({
  templates: (await listTemplates(db, caller)).map((t) => presentTemplate(t, t.versions)),
}));

export const POST = handle(createTemplateEndpoint, async ({ db, caller, body, locale }) => {
  const { template, version, warnings } = await createTemplate(db, caller, actorOf(caller), body);
  return { id: template.id, version: version.version, warnings: translateDefinitionIssues(locale, warnings) };
});
