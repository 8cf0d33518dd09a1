import { validateDefinitionEndpoint } from '@/lib/api/endpoints-surveys';
import { handle } from '@/lib/api/handler';
import { DomainError } from '@/lib/errors';
import { translateIssues } from '@/lib/i18n/translate';
import { checkDefinition } from '@/lib/surveys/definition';

export const dynamic = 'force-dynamic';

export const POST = handle(validateDefinitionEndpoint, async ({ body, locale }) => {
  const { issues, questions } = checkDefinition(body.definition);
  const located = issues.map((i) => ({ sheet: '', row: 0, column: i.path, code: i.code, params: i.params }));
  const messages = translateIssues(locale, new DomainError('definition_invalid', {}, undefined, located)) ?? [];
  return { ok: issues.length === 0, issues: issues.map((i, n) => ({ path: i.path, code: i.code, message: messages[n]!.message })), questions };
});
