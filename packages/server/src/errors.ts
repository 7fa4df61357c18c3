import type { ErrorCode, FieldIssue } from '@fleetops/protocol';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  device_retired: 410,
  device_disabled: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  guard_refused: 422,
  enrollment_token_invalid: 401,
  enrollment_token_expired: 401,
  enrollment_token_exhausted: 401,
  enrollment_token_revoked: 401,
  internal: 500,
  unavailable: 503,
};

/** An error meant for the API caller: its code and message go out in the one error shape. */
export class ApiError extends Error {
  readonly status: number;

  /** `status` overrides the code's usual one, e.g. 422 for a well-formed request whose content is refused. */
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { issues?: FieldIssue[] } & Record<string, unknown>,
    /** Tells clients that the same request may succeed if sent again (`x-should-retry`). */
    readonly retryable = false,
    status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status ?? STATUS[code];
  }
}

export const notFound = (what: string, id: string) => new ApiError('not_found', `${what} ${id} not found`);
