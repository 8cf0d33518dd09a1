/**
 * Domain errors carry a code (which is also the message key in the catalogue), an HTTP status,
 * parameters for the message, and optional field errors (field path → message keys).
 * Route handlers and actions translate them; lib/ never formats user-facing text.
 */
export type ErrorCode =
  | 'validation'
  | 'malformed_json'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'roster_invalid'
  | 'definition_invalid'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  roster_invalid: 400,
  definition_invalid: 400,
  internal: 500,
  unavailable: 503,
};

export interface FieldIssue {
  /** catalogue key under `errors.fields`, e.g. `required`, `too_small` */
  key: string;
  params?: Record<string, string | number>;
}

/** One problem in an uploaded file: where it is and what is wrong (a key under errors.import). */
export interface FileIssue {
  sheet: string;
  row: number;
  column: string;
  code: string;
  params?: Record<string, string | number>;
}

export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly fields?: Record<string, FieldIssue[]>,
    readonly issues?: FileIssue[],
  ) {
    super(code);
    this.status = STATUS[code];
  }
}

export class ValidationError extends DomainError {
  constructor(fields: Record<string, FieldIssue[]>) {
    super('validation', {}, fields);
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string) {
    super('not_found', { entity });
  }
}

export class ForbiddenError extends DomainError {
  constructor(reason?: string) {
    super('forbidden', reason ? { reason } : {});
  }
}

export class ConflictError extends DomainError {
  constructor(reason: string) {
    super('conflict', { reason });
  }
}
