import type { z } from 'zod';
import { FleetResponseValidationError } from './errors';

/** An answer with its body read in full. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
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
  const details = { status: response.status, requestId: response.headers.get('x-request-id') ?? undefined };
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw new FleetResponseValidationError(
      `${context.target} answered ${response.status} with a body that is not JSON`,
      { ...details, issues: [] },
    );
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: context.redact(issue.message),
  }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  throw new FleetResponseValidationError(
    `${context.target} answered with a body that does not match the protocol: ${first.path}: ${first.message}${more}`,
    { ...details, issues },
  );
}
