import { z } from 'zod';
import type { Role } from '@/lib/db/schema';

/**
 * One JSON API endpoint: its path, the zod schemas that validate its input, and the shape of its
 * answer. The same object drives request validation (lib/api/handler.ts) and the OpenAPI document
 * (lib/api/openapi.ts), so the two cannot drift apart.
 */
export type Auth = 'public' | 'caller';

export interface Endpoint<
  A extends Auth = Auth,
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form, e.g. /api/v1/rounds/{roundId} */
  path: string;
  summary: string;
  tag: string;
  /** public: no credentials; caller: an API key or a session cookie */
  auth: A;
  /** roles allowed to call at all (checked before anything else); scopes are checked in lib/ */
  roles?: readonly Role[];
  /** may be called by a session that still has to change its initial or reset password (lib/auth/password-rule.ts) */
  beforePasswordChange?: true;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** HTTP status of a successful answer */
  status?: number;
  /** largest JSON body accepted (default 1 MB) */
  maxBodyBytes?: number;
  /** a multipart/form-data upload with one `file` field, at most this many bytes */
  upload?: { maxBytes: number };
  /**
   * replica: a result query whose figures may come from the streaming replica (DATABASE_READ_URL),
   * a moment behind the primary; unset: everything from the primary (read-after-write). The answer
   * says which in its `x-pingyi-read` header.
   */
  reads?: 'replica';
  /** content types of a binary answer (downloads), instead of JSON */
  produces?: string[];
}

export function defineEndpoint<
  A extends Auth,
  R extends z.ZodType,
  P extends z.ZodObject = z.ZodObject<Record<string, never>>,
  Q extends z.ZodObject = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
>(e: Endpoint<A, P, Q, B, R>): Endpoint<A, P, Q, B, R> {
  return e;
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'validation' }),
      message: z.string().meta({ example: '提交的内容有误，请检查标出的字段。' }),
      fields: z.record(z.string(), z.array(z.string())).optional(),
    }),
  })
  .meta({ id: 'Error' });
