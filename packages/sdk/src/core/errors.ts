import { ErrorBody, type FieldIssue } from '@fleetops/protocol';
import { retryAfterMs } from '../internal/backoff';

/** The root of every error the SDK throws: `catch (e) { if (e instanceof FleetError) … }`. */
export class FleetError extends Error {
  override name = 'FleetError';
}

/** What the server said, as the error factory receives it. */
export interface ApiErrorInit {
  status: number;
  headers: Headers;
  /** The raw response body; an `ErrorBody` when the server is well-behaved. */
  body: string;
  /** Number of attempts made, retries included. */
  attempts: number;
  /** Applied to every text taken from the response before it enters the error. */
  redact?: (text: string) => string;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

/** A non-2xx answer of the server. Subclasses name the common statuses; use `instanceof`. */
export class FleetApiError extends FleetError {
  override name = 'FleetApiError';
  /** The HTTP status. */
  readonly status: number;
  /** The machine-readable error code, e.g. `not_found` (an `ErrorCode`, or a generic one). */
  readonly code: string;
  /** The server's `x-request-id`, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  /** Structured details, e.g. `issues` of a validation failure. */
  readonly details: ErrorBody['error']['details'];
  /** The response headers. */
  readonly headers: Headers;
  /** Number of attempts made, retries included. */
  readonly attempts: number;

  constructor(init: ApiErrorInit) {
    const redact = init.redact ?? ((text: string) => text);
    const parsed = parseErrorBody(init.body);
    const code = parsed?.code ?? DEFAULT_CODES[init.status] ?? (init.status >= 500 ? 'internal' : 'error');
    const requestId = init.headers.get('x-request-id') ?? parsed?.requestId;
    const details = parsed?.details && JSON.parse(redact(JSON.stringify(parsed.details)));
    const text = parsed ? redact(parsed.message) : `the server answered ${init.status} without an error body`;
    super(formatMessage(init.status, code, text, details?.issues, requestId, init.attempts));
    this.status = init.status;
    this.code = code;
    this.requestId = requestId;
    this.details = details;
    this.headers = init.headers;
    this.attempts = init.attempts;
  }

  /** The one place that maps a status to an error class. */
  static generate(init: ApiErrorInit): FleetApiError {
    const { status } = init;
    if (status === 400 || status === 422) return new FleetBadRequestError(init);
    if (status === 401) return new FleetAuthError(init);
    if (status === 403) return new FleetPermissionError(init);
    if (status === 404) return new FleetNotFoundError(init);
    if (status === 409) return new FleetConflictError(init);
    if (status === 429) return new FleetRateLimitError(init);
    if (status >= 500) return new FleetServerError(init);
    return new FleetApiError(init);
  }
}

/** 400 or 422: the request was refused as invalid; `issues` says which fields. */
export class FleetBadRequestError extends FleetApiError {
  override name = 'FleetBadRequestError';
  /** The fields that failed validation, with their dotted path. */
  get issues(): FieldIssue[] {
    return this.details?.issues ?? [];
  }
}

/** 401: the token is missing, unknown or revoked. */
export class FleetAuthError extends FleetApiError {
  override name = 'FleetAuthError';
}

/** 403: the token is valid but its role does not allow this. */
export class FleetPermissionError extends FleetApiError {
  override name = 'FleetPermissionError';
}

/** 404: no such resource in the token's org. */
export class FleetNotFoundError extends FleetApiError {
  override name = 'FleetNotFoundError';
}

/** 409: the request conflicts with the current state. */
export class FleetConflictError extends FleetApiError {
  override name = 'FleetConflictError';
}

/** 429: too many requests, after the retries were spent. */
export class FleetRateLimitError extends FleetApiError {
  override name = 'FleetRateLimitError';
  /** How long the server asked to wait, from `Retry-After-Ms` or `Retry-After`. */
  readonly retryAfterMs: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init);
    this.retryAfterMs = retryAfterMs(init.headers);
  }
}

/** 500 or above, after the retries were spent. */
export class FleetServerError extends FleetApiError {
  override name = 'FleetServerError';
}

/** The server could not be reached, or the connection broke, after the retries were spent. */
export class FleetNetworkError extends FleetError {
  override name = 'FleetNetworkError';
  /** Number of attempts made, retries included. */
  readonly attempts: number;

  constructor(message: string, options: { attempts: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.attempts = options.attempts;
  }
}

/** A request outlived its `timeoutMs` (after the retries were spent), or a wait outlived its own. */
export class FleetTimeoutError extends FleetError {
  override name = 'FleetTimeoutError';
  /** Number of attempts made, retries included; for a wait, the number of polls. */
  readonly attempts: number;

  constructor(message: string, options: { attempts: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.attempts = options.attempts;
  }
}

/**
 * The caller's `AbortSignal` fired. Never retried; `cause` is the signal's reason.
 * Its `name` is `AbortError`, as for an aborted `fetch`.
 */
export class FleetAbortError extends FleetError {
  override name = 'AbortError';
}

/** A 2xx answer whose body is not JSON or does not match the protocol schema. */
export class FleetResponseValidationError extends FleetError {
  override name = 'FleetResponseValidationError';
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The server's `x-request-id`. */
  readonly requestId: string | undefined;
  /** Each mismatch, with its dotted path in the body (`data.0.id`); empty for malformed JSON. */
  readonly issues: { path: string; message: string }[];

  constructor(
    message: string,
    options: { status: number; requestId: string | undefined; issues: { path: string; message: string }[] },
  ) {
    super(message);
    this.status = options.status;
    this.requestId = options.requestId;
    this.issues = options.issues;
  }
}

function parseErrorBody(body: string): ErrorBody['error'] | undefined {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}

const MAX_ISSUES_IN_MESSAGE = 3;

function formatMessage(
  status: number,
  code: string,
  text: string,
  issues: FieldIssue[] | undefined,
  requestId: string | undefined,
  attempts: number,
): string {
  const unmentioned = (issues ?? []).filter((issue) => !text.includes(issue.message));
  const shown = unmentioned.slice(0, MAX_ISSUES_IN_MESSAGE).map((i) => `${i.path}: ${i.message}`);
  const more = unmentioned.length > shown.length ? `; +${unmentioned.length - shown.length} more` : '';
  const issueText = shown.length ? ` [${shown.join('; ')}${more}]` : '';
  const context = [requestId && `request ${requestId}`, attempts > 1 && `after ${attempts} attempts`]
    .filter(Boolean)
    .join(', ');
  return `${status} ${code}: ${text}${issueText}${context ? ` (${context})` : ''}`;
}
