import { createTemplateEndpoint, listTemplatesEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { actorOf } from '@/lib/auth/caller';
import { translateDefinitionIssues } from '@/lib/i18n/translate';
import { presentTemplate } from '@/lib/surveys/present';
import { createTemplate, listTemplates } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

export const GET = handle(listTemplatesEndpoint, async ({ db, caller, query }) => {
  const list = await listTemplates(db, caller, { q: query.q, page: query });
  return { templates: list.map((t) => presentTemplate(t, t.versions)), page: query.page, limit: query.limit, total: list.total };
});

export const POST = handle(createTemplateEndpoint, async ({ db, caller, body, locale }) => {
  const { template, version, warnings } = await createTemplate(db, caller, actorOf(caller), body);
  return { id: template.id, version: version.version, warnings: translateDefinitionIssues(locale, warnings) };
});
