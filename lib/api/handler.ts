import type { z } from 'zod';
import { assertSameOrigin, callerFromRequest, cookieValue, type Caller } from '@/lib/auth/caller';
import { requireRole } from '@/lib/auth/scope';
import { admitDatabaseRequest, getDb, getReadDb, isDatabaseUnavailable, readsReplica, type Db } from '@/lib/db/client';
import { DomainError } from '@/lib/errors';
import { LOCALE_COOKIE, pickLocale, type Locale } from '@/lib/i18n/config';
import { translate, translateFields, translateIssues } from '@/lib/i18n/translate';
import { parseInput } from '@/lib/validation';
import type { Endpoint } from './contract';

export const MAX_JSON_BODY = 1024 * 1024;

type Out<S> = z.output<NonNullable<S> & z.ZodType>;

export interface Ctx<E extends Endpoint> {
  /** the primary */
  db: Db;
  /** where the endpoint's figures are read: the replica for `reads: 'replica'` when one is set, else the primary */
  replica: Db;
  caller: E['auth'] extends 'caller' ? Caller : null;
  params: Out<E['params']>;
  query: Out<E['query']>;
  body: Out<E['body']>;
  /** the uploaded file of an `upload` endpoint */
  file: { name: string; bytes: Uint8Array } | null;
  locale: Locale;
  request: Request;
}

export function requestLocale(req: Request): Locale {
  const url = new URL(req.url);
  const chosen = url.searchParams.get('lang') ?? cookieValue(req.headers.get('cookie'), LOCALE_COOKIE);
  return pickLocale(chosen, req.headers.get('accept-language'));
}

/** Seconds a client is asked to wait before retrying when the database is unavailable (503). */
export const RETRY_AFTER_SECONDS = 3;

export function errorResponse(err: DomainError, locale: Locale): Response {
  const fields = translateFields(locale, err);
  const issues = translateIssues(locale, err);
  return Response.json(
    { error: { code: err.code, message: translate(locale, err), ...(fields ? { fields } : {}), ...(issues ? { issues } : {}) } },
    { status: err.status, headers: err.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : undefined },
  );
}

const megabytes = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * The request body, counted while it streams in: a body over `max` bytes is refused at that byte
 * whether or not it declared a length (a chunked body has none), so nothing larger is ever buffered.
 */
async function readCapped(req: Request, max: number, limit: string): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(req.headers.get('content-length') ?? 0) > max) throw new DomainError('payload_too_large', { limit });
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel();
        throw new DomainError('payload_too_large', { limit });
      }
      chunks.push(value);
    }
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The media type of a request body, without parameters (`application/json; charset=utf-8` → `application/json`). */
function mediaType(req: Request): string {
  return (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

async function readUpload(req: Request, maxBytes: number): Promise<{ name: string; bytes: Uint8Array }> {
  if (mediaType(req) !== 'multipart/form-data') throw new DomainError('unsupported_media_type', { expected: 'multipart/form-data' });
  // the multipart envelope adds a little to the file; the parser only ever sees a capped buffer
  const raw = await readCapped(req, maxBytes + 64 * 1024, megabytes(maxBytes));
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': req.headers.get('content-type')! } }).formData();
  } catch {
    throw new DomainError('validation', {}, { file: [{ key: 'required' }] });
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') throw new DomainError('validation', {}, { file: [{ key: 'required' }] });
  if (file.size > maxBytes) throw new DomainError('payload_too_large', { limit: megabytes(maxBytes) });
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

async function readJson(req: Request, max = MAX_JSON_BODY): Promise<unknown> {
  // only JSON: a text/plain or form body is what another site can make a browser send without a
  // CORS preflight (see assertSameOrigin, which refuses those browsers too)
  if (mediaType(req) !== 'application/json') throw new DomainError('unsupported_media_type', { expected: 'application/json' });
  const limit = max >= 1024 * 1024 ? megabytes(max) : `${max / 1024} KB`;
  const text = new TextDecoder().decode(await readCapped(req, max, limit));
  try {
    return JSON.parse(text);
  } catch {
    throw new DomainError('malformed_json');
  }
}

/**
 * Wraps a route handler: refuses cross-site browser mutations (Origin), authenticates (API key or
 * session cookie; a session that must change its password only reaches the endpoints that allow
 * it), checks the endpoint's roles, validates params, query and body with the
 * endpoint's zod schemas, runs the handler, and turns domain errors into
 * `{ error: { code, message, fields } }` with the right status, in the caller's language.
 */
export function handle<E extends Endpoint>(endpoint: E, fn: (ctx: Ctx<E>) => Promise<unknown>) {
  return async (request: Request, route: { params: Promise<Record<string, string | string[]>> }): Promise<Response> => {
    const locale = requestLocale(request);
    let release = () => {};
    try {
      // before anything is read or counted: a request another site made a browser send is refused
      assertSameOrigin(request);
      release = admitDatabaseRequest();
      const db = await getDb();
      const caller = endpoint.auth === 'caller' ? await callerFromRequest(db, request, endpoint) : null;
      if (caller && endpoint.roles) requireRole(caller, endpoint.roles);
      const url = new URL(request.url);
      const params = endpoint.params ? parseInput(endpoint.params, await route.params) : undefined;
      const query = endpoint.query ? parseInput(endpoint.query, Object.fromEntries(url.searchParams)) : undefined;
      const body = endpoint.body ? parseInput(endpoint.body, await readJson(request, endpoint.maxBodyBytes)) : undefined;
      const file = endpoint.upload ? await readUpload(request, endpoint.upload.maxBytes) : null;
      const onReplica = endpoint.reads === 'replica' && readsReplica();
      const replica = onReplica ? await getReadDb() : db;
      const result = await fn({ db, replica, caller, params, query, body, file, locale, request } as Ctx<E>);
      const read = onReplica ? 'replica' : 'primary';
      if (result instanceof Response) {
        // a handler that knows better (an export that fell back to the primary) has said so already
        if (!result.headers.has('x-pingyi-read')) result.headers.set('x-pingyi-read', read);
        return result;
      }
      if (result === undefined) return new Response(null, { status: 204 });
      const json = JSON.stringify(result);
      // Next streams a route's response without a Content-Length, so its gzip would run even on a
      // receipt of a few bytes (a measurable part of a submission's CPU time): like compression's
      // own 1 KB threshold, small bodies are left alone
      const headers = { 'content-type': 'application/json', 'x-pingyi-read': read, ...(json.length < 1024 ? { 'cache-control': 'no-transform' } : {}) };
      return new Response(json, { status: endpoint.status ?? 200, headers });
    } catch (err) {
      if (err instanceof DomainError) return errorResponse(err, locale);
      // the database is down, restarting, full or timed out: a write is one statement or one
      // transaction, so it committed whole or not at all, and a submission retried with its
      // idempotency key is accepted once
      if (isDatabaseUnavailable(err)) return errorResponse(new DomainError('unavailable'), locale);
      console.error(err);
      return errorResponse(new DomainError('internal'), locale);
    } finally {
      release();
    }
  };
}
