import { validateDefinitionEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { translateDefinitionIssues } from '@/lib/i18n/translate';
import { checkDefinition } from '@/lib/surveys/definition';

export const dynamic = 'force-dynamic';

export const POST = handle(validateDefinitionEndpoint, async ({ body, locale }) => {
  const { errors, warnings, questions } = checkDefinition(body.definition);
  return { ok: errors.length === 0, issues: translateDefinitionIssues(locale, errors), warnings: translateDefinitionIssues(locale, warnings), questions };
});
