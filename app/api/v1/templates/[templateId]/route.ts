import { getTemplateEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { presentTemplate } from '@/lib/surveys/present';
import { getTemplate } from '@/lib/surveys/templates';

export const dynamic = 'force-dynamic';

export const GET = handle(getTemplateEndpoint, async ({ db, caller, params }) => {
  const { template, versions } = await getTemplate(db, caller, params.templateId);
  return presentTemplate(template, versions);
});
