import { z } from 'zod';
import { templateKind } from '@/lib/db/schema';
import { createTemplateInput, saveVersionInput, validateDefinitionInput } from '@/lib/surveys/schemas';
import { pageInfo, pageQuery } from '@/lib/paging';
import { defineEndpoint } from './contract';

const uuid = z.uuid();
const READERS = ['office', 'school_admin'] as const;

const versionSummary = z.object({ version: z.number().int(), locked: z.boolean(), createdAt: z.iso.datetime({ offset: true }) });
export const templateSchema = z
  .object({
    id: uuid,
    kind: z.enum(templateKind.enumValues),
    name: z.string(),
    description: z.string(),
    builtIn: z.boolean(),
    versions: z.array(versionSummary),
  })
  .meta({ id: 'Template' });
const definitionIssue = z.object({ path: z.string(), code: z.string(), message: z.string() }).meta({ id: 'DefinitionIssue' });
const definitionWarnings = z.array(definitionIssue).meta({ description: 'What survey-core tolerates but may not behave as the author meant (unknown properties, dropped elements, external URLs, shared answer names); the definition is saved as written' });
const questionSummary = z.object({
  name: z.string(),
  type: z.string(),
  title: z.string(),
  scored: z.boolean(),
  dimension: z.string().nullable(),
  role: z.string().nullable(),
});

export const listTemplatesEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/templates', summary: 'The built-in library and the district’s own questionnaire templates, a page at a time (page, limit ≤ 500; q searches the name)', tag: 'surveys',
  auth: 'caller', roles: READERS, query: pageQuery, response: z.object({ templates: z.array(templateSchema), ...pageInfo }),
});
export const createTemplateEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/templates', summary: 'Create or import a template from any SurveyJS JSON survey-core can run (errors refuse it; warnings are returned and the JSON is kept as written)', tag: 'surveys',
  auth: 'caller', roles: ['office'], body: createTemplateInput, status: 201, response: z.object({ id: uuid, version: z.number().int(), warnings: definitionWarnings }),
});
export const getTemplateEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/templates/{templateId}', summary: 'A template and its versions', tag: 'surveys',
  auth: 'caller', roles: READERS, params: z.object({ templateId: uuid }), response: templateSchema,
});
export const saveVersionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/templates/{templateId}/versions',
  summary: 'Save an edited definition: changes the latest version while unused, else makes a new version (used versions are immutable)', tag: 'surveys',
  auth: 'caller', roles: ['office'], params: z.object({ templateId: uuid }), body: saveVersionInput, response: z.object({ version: z.number().int(), warnings: definitionWarnings }),
});
export const getVersionEndpoint = defineEndpoint({
  method: 'get', path: '/api/v1/templates/{templateId}/versions/{version}', summary: 'One version’s definition and its questions (scored or not)', tag: 'surveys',
  auth: 'caller', roles: READERS, params: z.object({ templateId: uuid, version: z.coerce.number().int().min(1) }),
  response: z.object({ version: z.number().int(), locked: z.boolean(), definition: z.record(z.string(), z.unknown()), questions: z.array(questionSummary) }),
});
export const validateDefinitionEndpoint = defineEndpoint({
  method: 'post', path: '/api/v1/templates/validate', summary: 'Check a SurveyJS definition without saving it', tag: 'surveys',
  auth: 'caller', roles: READERS, body: validateDefinitionInput,
  response: z.object({ ok: z.boolean(), issues: z.array(definitionIssue), warnings: definitionWarnings, questions: z.array(questionSummary) }),
});

export const SURVEY_ENDPOINTS = [listTemplatesEndpoint, createTemplateEndpoint, getTemplateEndpoint, saveVersionEndpoint, getVersionEndpoint, validateDefinitionEndpoint];
