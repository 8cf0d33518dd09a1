import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorSchema } from './contract';
import { ENDPOINTS } from './endpoints';

const BINARY = z.string().meta({ format: 'binary' });

const ERROR_RESPONSES = {
  400: 'Invalid input (field errors in error.fields)',
  401: 'Missing or invalid API key',
  403: 'Outside the caller’s scope',
  404: 'Not found',
  413: 'Request body too large',
  429: 'Too many attempts',
} as const;

/** The OpenAPI 3.1 document, generated from the zod schemas that validate each endpoint. */
export function openApiDocument(version: string) {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key made with `npx pingyi api-key create` or on the API keys page',
  });
  const cookie = registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'pingyi_session',
    description: 'The session cookie set by POST /api/v1/session; mutations must come from the same origin',
  });
  for (const e of ENDPOINTS) {
    registry.registerPath({
      method: e.method,
      path: e.path,
      summary: e.summary,
      ...(e.reads === 'replica'
        ? { description: 'Figures may be read from the streaming replica (DATABASE_READ_URL), a moment behind the primary; the answer says where in `x-pingyi-read`. Release and scope are checked on the primary.' }
        : {}),
      tags: [e.tag],
      security: e.auth === 'caller' ? [{ [bearer.name]: [] }, { [cookie.name]: [] }] : [],
      request: {
        params: e.params,
        query: e.query,
        body: e.upload
          ? { content: { 'multipart/form-data': { schema: z.object({ file: BINARY }) } } }
          : e.body
            ? { content: { 'application/json': { schema: e.body } } }
            : undefined,
      },
      responses: {
        [e.status ?? 200]: {
          description: 'OK',
          headers: { 'x-pingyi-read': { description: '`replica` or `primary`: where the answer was read', schema: { type: 'string', enum: ['primary', 'replica'] } } },
          // a download beside JSON (a report as xlsx or PDF) is bytes, not the JSON answer's shape
          content: Object.fromEntries((e.produces ?? ['application/json']).map((type) => [type, { schema: type === 'application/json' ? e.response : BINARY }])),
        },
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES)
            .filter(([code]) => e.auth === 'caller' || code === '400' || code === '413')
            .map(([code, description]) => [code, { description, content: { 'application/json': { schema: errorSchema } } }]),
        ),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Pingyi (评议) API',
      version,
      description:
        'JSON API of Pingyi. Errors are `{ "error": { "code", "message", "fields"? } }`; messages follow Accept-Language (zh-CN by default, en available).',
    },
    servers: [{ url: '/' }],
  });
}
