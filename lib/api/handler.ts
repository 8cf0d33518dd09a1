import type { z } from 'zod';
import { scopeFromBearer } from '@/lib/auth/api-keys';
import type { Scope } from '@/lib/auth/scope';
import { getDb, type Db } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { LOCALE_COOKIE, pickLocale, type Locale } from '@/lib/i18n/config';
import { translate, translateFields } from '@/lib/i18n/translate';
import { parseInput } from '@/lib/validation';
import type { Endpoint } from './contract';

export const MAX_JSON_BODY = 1024 * 1024;

type Out<S> = z.output<NonNullable<S> & z.ZodType>;

export interface Ctx<E extends Endpoint> {
  db: Db;
  scope: E['auth'] extends 'key' ? Scope & { apiKeyName: string } : null;
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
  locale: Locale;
  request: Request;
}

function requestLocale(req: Request): Locale {
  const url = new URL(req.url);
  const cookie = /(?:^|;\s*)pingyi_locale=([^;]+)/.exec(req.headers.get('cookie') ?? '')?.[1];
  void LOCALE_COOKIE;
  return pickLocale(url.searchParams.get('lang') ?? cookie, req.headers.get('accept-language'));
}

export function errorResponse(err: DomainError, locale: Locale): Response {
  const fields = translateFields(locale, err);
  return Response.json(
    { error: { code: err.code, message: translate(locale, err), ...(fields ? { fields } : {}) } },
    { status: err.status },
  );
}

async function readJson(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_JSON_BODY) throw new DomainError('payload_too_large', { limit: '1 MB' });
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY) throw new DomainError('payload_too_large', { limit: '1 MB' });
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('malformed_json');
  }
}

/**
 * Wraps a route handler: authenticates, validates params, query and body with the endpoint's zod
 * schemas, runs the handler, and turns domain errors into `{ error: { code, message, fields } }`
 * with the right status, in the caller's language.
 */
export function handle<E extends Endpoint>(endpoint: E, fn: (ctx: Ctx<E>) => Promise<unknown>) {
  return async (request: Request, route: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const locale = requestLocale(request);
    try {
      const db = await getDb();
      const scope = endpoint.auth === 'key' ? await scopeFromBearer(db, request.headers.get('authorization')) : null;
      const url = new URL(request.url);
      const params = endpoint.params ? parseInput(endpoint.params, await route.params) : undefined;
      const query = endpoint.query ? parseInput(endpoint.query, Object.fromEntries(url.searchParams)) : undefined;
      const body = endpoint.body ? parseInput(endpoint.body, await readJson(request)) : undefined;
      const result = await fn({ db, scope, params, query, body, locale, request } as Ctx<E>);
      return Response.json(result, { status: endpoint.status ?? 200 });
    } catch (err) {
      if (err instanceof DomainError) return errorResponse(err, locale);
      console.error(err);
      return errorResponse(new DomainError('internal'), locale);
    }
  };
}
