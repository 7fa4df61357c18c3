import type { z } from 'zod';
import { ndjsonLines } from '../internal/ndjson';
import { FleetResponseValidationError } from './errors';

/** An answer with its body read in full. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** The answer a streamed body belongs to, as a validation error names it. */
export interface StreamParseContext {
  /** The request, e.g. `GET /v1/audit/events/export`. */
  target: string;
  status: number;
  requestId: string | undefined;
}

interface JsonParseContext {
  status: number;
  requestId: string | undefined;
  /** Applied to each issue message; the schemas' own messages need none. */
  redact?: (text: string) => string;
  /** The start of the message when the text is not JSON, and when it does not match. */
  notJson: string;
  mismatch: string;
}

/**
 * Parses a 2xx answer with the route's response schema, or throws FleetResponseValidationError
 * naming the request (`target`, e.g. `GET /v1/devices`) and each field that did not match.
 */
export function parseResponse<S extends z.ZodType>(
  response: RawResponse,
  schema: S,
  context: { target: string; redact: (text: string) => string },
): z.output<S> {
  return parseJson(response.body, schema, {
    status: response.status,
    requestId: response.headers.get('x-request-id') ?? undefined,
    redact: context.redact,
    notJson: `${context.target} answered ${response.status} with a body that is not JSON`,
    mismatch: `${context.target} answered with a body that does not match the protocol`,
  });
}

/**
 * Parses an NDJSON body line by line as it arrives, each line with `schema`. A line that is not
 * JSON or does not match throws FleetResponseValidationError naming its line number, and the
 * rest of the body is not read.
 */
export async function* parseNdjson<S extends z.ZodType>(
  body: ReadableStream<Uint8Array>,
  schema: S,
  context: StreamParseContext,
): AsyncGenerator<z.output<S>, void, undefined> {
  for await (const line of ndjsonLines(body)) {
    yield parseJson(line.text, schema, {
      ...context,
      notJson: `${context.target} answered a line ${line.number} that is not JSON`,
      mismatch: `${context.target} answered a line ${line.number} that does not match the protocol`,
    });
  }
}

function parseJson<S extends z.ZodType>(text: string, schema: S, context: JsonParseContext): z.output<S> {
  const details = { status: context.status, requestId: context.requestId };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new FleetResponseValidationError(context.notJson, { ...details, issues: [] });
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: context.redact ? context.redact(issue.message) : issue.message,
  }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  throw new FleetResponseValidationError(`${context.mismatch}: ${first.path}: ${first.message}${more}`, {
    ...details,
    issues,
  });
}
